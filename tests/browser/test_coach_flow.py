"""A coach link in a real browser: invite, accept, the dashboard, the plan, revoke, then 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kneecap.db.accounts.models import RunnerProfile
from tests.browser.conftest import log_in
from tests.web.ownership import PROFILE

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


def switch_to(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username, PASSWORD)


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_a_coach_follows_an_athlete_until_she_ends_the_link(live_server: Any, page: Any) -> None:
    users = get_user_model().objects
    alice = users.create_user("alice", password=PASSWORD)
    users.create_user("bob", password=PASSWORD)
    RunnerProfile.objects.create(user=alice, data=PROFILE, onboarded_at=timezone.now())

    log_in(page, live_server, "alice", PASSWORD)
    page.goto(live_server.url + "/coaching/")
    page.get_by_label("Username:").fill("bob")
    page.get_by_label("to coach me").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("cell", name="pending")).to_be_visible()

    switch_to(page, live_server, "bob")
    page.goto(live_server.url + "/coaching/")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("cell", name="active")).to_be_visible()
    page.goto(live_server.url + "/coaching/athletes/")
    expect(page.get_by_role("heading", name="alice")).to_be_visible()
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name="alice"))
    card.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("heading", name="alice’s plan")).to_be_visible()
    plan_url = page.url
    assert f"athlete={alice.pk}" in plan_url

    switch_to(page, live_server, "alice")
    page.goto(live_server.url + "/coaching/")
    page.get_by_role("button", name="End link").click()
    expect(page.get_by_role("cell", name="active")).to_have_count(0)

    switch_to(page, live_server, "bob")
    page.goto(live_server.url + "/coaching/athletes/")
    expect(page.get_by_role("heading", name="alice")).to_have_count(0)
    assert page.goto(plan_url).status == 404
    assert page.goto(live_server.url + f"/history/?athlete={alice.pk}").status == 404
