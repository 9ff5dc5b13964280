"""The player asks an imperial runner for yards and logs metres (issue 19.3)."""

from __future__ import annotations

from typing import Any

import pytest

from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.training.models import SetLog
from tests.browser.conftest import log_in
from tests.browser.test_guided_session import PASSWORD, play_through, runner

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_distance_drill_is_entered_in_yards_and_logged_in_metres(
    live_server: Any, page: Any
) -> None:
    user = runner()
    stored = RunnerProfile.objects.get(user=user)
    stored.data = {**stored.data, "units": "imperial"}
    stored.save()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/?exercise=walking-backward&speed=100")
    page.get_by_role("button", name="Start guided session").click()
    done = page.locator("#kc-next[data-action=done]")
    done.wait_for(timeout=60_000)  # the stopwatch runs until the runner says done
    done.click()
    page.locator("#kc-entry").wait_for()
    assert page.locator("#kc-entry-label").text_content() == "How many yards did you do?"
    assert page.locator("#kc-entry-value").input_value() == "109.4"
    play_through(page)
    distances = {round(s.distance_m) for s in SetLog.objects.all()}
    assert distances == {100}
