"""Home is Today (issue 18.1, 18.5): what now, for a runner and for a coach."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from kneecap.application.progress import next_report
from kneecap.core.profile import WEEKDAYS
from kneecap.db.accounts.models import CoachLink
from tests.web.conftest import client_for
from tests.web.test_api_plan_runs import PROFILE, put_profile

pytestmark = pytest.mark.django_db


def _planned_today(client: Client) -> None:
    today = WEEKDAYS[timezone.localdate().weekday()]
    put_profile(client, {**PROFILE, "runs": {today: {"kind": "quality", "minutes": 45}}})


def test_home_shows_today_then_says_done_and_offers_nothing_twice(alice: Any) -> None:
    client = client_for(alice)
    _planned_today(client)
    page = client.get("/").content.decode()
    assert "Today," in page and "Start guided session" in page
    body = {
        "date": timezone.localdate().isoformat(),
        "exercises": [{"exercise": "tibialis-raise", "level": "both-legs", "sets": [{"reps": 8}]}],
    }
    assert client.post("/sessions/", body, content_type="application/json").status_code == 201
    page = client.get("/").content.decode()
    assert "Done for today" in page and "Tibialis raise (1 set)" in page
    assert "Start guided session" not in page


@override_settings(SIGNUP_OPEN=True)
def test_a_coach_who_signs_up_lands_on_their_athletes_and_home_sends_them_there(
    alice: Any,
) -> None:
    client = Client()
    form = {"username": "cora", "password1": "correct horse battery"}
    form |= {"password2": "correct horse battery", "who": "coach"}
    response = client.post("/signup/", form)
    assert response.status_code == 302 and response["Location"] == "/coaching/athletes/"
    assert client.get("/")["Location"] == "/coaching/athletes/"
    runner = Client()
    form |= {"username": "rita", "who": "runner"}
    assert runner.post("/signup/", form)["Location"] == "/"
    assert runner.get("/")["Location"] == "/onboarding/"


def test_a_runner_answers_a_coach_invitation_on_home(alice: Any, charlie: Any) -> None:
    client = client_for(alice)
    _planned_today(client)
    link = CoachLink.objects.create(athlete=alice, coach=charlie, invited_by=charlie)
    page = client.get("/").content.decode()
    assert "charlie" in page and "asks to be your coach" in page
    response = client.post(f"/coaching/{link.pk}/accept/", {"next": "/"})
    assert response["Location"] == "/"
    link.refresh_from_db()
    assert link.status == CoachLink.Status.ACTIVE
    assert "asks to be your coach" not in client.get("/").content.decode()
    # never sent elsewhere by a crafted next
    gone = client.post(f"/coaching/{link.pk}/revoke/", {"next": "https://evil.example/"})
    assert gone["Location"] == "/coaching/"


def test_progress_and_the_exercise_page_count_the_session_logged_today(alice: Any) -> None:
    """Issue 18: right after logging, what comes next counts today's session."""
    client = client_for(alice)
    _planned_today(client)
    body = {
        "date": timezone.localdate().isoformat(),
        "exercises": [{"exercise": "tibialis-raise", "level": "both-legs", "sets": [{"reps": 8}]}],
    }
    assert client.post("/sessions/", body, content_type="application/json").status_code == 201
    report = next_report(alice, timezone.localdate())
    assert report is not None and "tibialis-raise" in {d.exercise for d in report.exercises}
    page = client.get("/progress/tibialis-raise/").content.decode()
    assert "Not logged yet" not in page
