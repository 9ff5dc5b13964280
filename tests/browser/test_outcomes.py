"""A runner answers the knee rating on a phone and sees it charted on the progress page;
her coach changes the schedule from her card."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kneecap.db.accounts.models import CoachLink, RunnerProfile
from kneecap.db.training.models import OutcomeSchedule
from tests.browser.conftest import log_in
from tests.browser.test_coach_flow import PASSWORD, expect, switch_to
from tests.web.ownership import PROFILE

pytestmark = pytest.mark.django_db(transaction=True)


def test_answer_see_the_chart_and_a_coach_reschedules(live_server: Any, page: Any) -> None:
    users = get_user_model().objects
    alice = users.create_user("alice", password=PASSWORD)
    bob = users.create_user("bob", password=PASSWORD)
    RunnerProfile.objects.create(user=alice, data=PROFILE, onboarded_at=timezone.now())
    CoachLink.objects.create(
        athlete=alice, coach=bob, invited_by=alice, status=CoachLink.Status.ACTIVE
    )

    log_in(page, live_server, "alice", PASSWORD)
    page.goto(live_server.url + "/outcomes/")
    page.get_by_role("link", name="Answer now").first.click()
    page.get_by_label("How well does your knee work today").fill("72")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("cell", name="score 72.0")).to_be_visible()

    page.goto(live_server.url + "/progress/")
    expect(page.get_by_role("img", name="Knee rating")).to_be_visible()
    table = page.get_by_role("table").filter(has_text="Sessions that week")
    expect(table.get_by_role("cell", name="72.0")).to_be_visible()

    switch_to(page, live_server, "bob")
    page.goto(live_server.url + "/coaching/athletes/")
    page.get_by_role("link", name="Questionnaires and their schedule").click()
    page.get_by_label("Ask again every (weeks)").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("every 6 weeks after the last answer (set by bob)")).to_be_visible()
    assert OutcomeSchedule.objects.get(owner=alice).interval_weeks == 6
