"""Issue 14: a runner whose left knee is paused by a see-soon answer cannot start a left-leg
exercise from Today, in Debian's chromium (the API and the terminal: tests/web/
test_safety_doors.py and tests/test_cli_training.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kneecap.application import profile
from kneecap.core.profile import WEEKDAYS
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
PROFILE = {
    "equipment": ["wall", "stairs", "heel-block", "rail"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 0,
    "screening": {"soon_swelling_left": True},  # rule 37: the left leg is paused
}


def runner() -> Any:
    today = WEEKDAYS[timezone.localdate().weekday()]
    user = get_user_model().objects.create_user("ada", password=PASSWORD)
    data = {**PROFILE, "runs": {today: {"kind": "quality", "minutes": 45}}}
    profile.save_profile(user, data, timezone.localdate(), answered=True)
    return user


def test_today_offers_no_left_leg_work_and_says_why(live_server: Any, page: Any) -> None:
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/")
    picker = page.locator("#kc-pick")
    # a two-leg exercise would load the paused leg: it cannot be chosen
    assert picker.locator("option[value='deep-squat-hold']").is_disabled()
    assert "right leg only" in picker.locator("option[value='split-squat']").inner_text()
    page.goto(live_server.url + "/today/?exercise=deep-squat-hold")
    alert = page.get_by_role("alert")
    assert "left" in alert.inner_text() and "Start guided session" not in page.content()
    page.goto(live_server.url + "/today/?exercise=split-squat")
    assert "right leg only" in page.content()  # per-side work goes on for the other leg
