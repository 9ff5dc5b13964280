from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_runner_browses_filters_and_reads_an_exercise(live_server: Any, page: Any) -> None:
    get_user_model().objects.create_user("ada", password="correct horse battery")
    log_in(page, live_server, "ada", "correct horse battery")

    page.get_by_text("More", exact=True).click()  # on a phone, Exercises is under More
    page.get_by_role("link", name="Exercises").click()
    assert page.get_by_role("link", name="Tibialis raise").is_visible()
    page.get_by_text("Filter by equipment and stress").click()
    page.get_by_label("Sled", exact=True).check()
    page.get_by_role("button", name="Filter").click()
    assert page.get_by_role("link", name="Reverse sled").is_visible()
    assert page.get_by_role("link", name="Tibialis raise").count() == 0

    page.goto(live_server.url + "/exercises/tibialis-raise/")
    picture = page.get_by_role("img", name="Start and end positions of Tibialis raise")
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("heading", name="How to do it").is_visible()
    assert page.get_by_role("heading", name="The ladder").is_visible()
    assert page.locator("ol.ladder-path > li").count() >= 3
