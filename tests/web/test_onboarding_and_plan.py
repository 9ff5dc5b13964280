from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from kneecap.core.screening import QUESTIONS
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.training.models import PlannedSession
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

WEEK = {
    "mon": ("rest", 0),
    "tue": ("quality", 50),
    "wed": ("easy", 40),
    "thu": ("easy", 40),
    "fri": ("rest", 0),
    "sat": ("easy", 30),
    "sun": ("long", 100),
}
PREFERENCES = {
    "equipment": ["wall", "stairs", "rail", "heel-block", "band", "dumbbells"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 1,
    "race_priority": "A",
}


def onboard(client: Any, **safety: bool) -> Any:
    running = {}
    for day, (kind, minutes) in WEEK.items():
        running[f"{day}_kind"], running[f"{day}_minutes"] = kind, minutes
    assert client.post("/onboarding/running/", running).status_code == 302
    assert client.post("/onboarding/preferences/", PREFERENCES).status_code == 302
    return client.post("/onboarding/safety/", {k: "on" for k, v in safety.items() if v})


def test_the_wizard_stores_a_profile_that_core_accepts(alice: Any) -> None:
    client = client_for(alice)
    response = onboard(client)
    assert response.status_code == 302 and response["Location"] == "/plan/"
    stored = RunnerProfile.objects.get(user=alice)
    assert stored.onboarded_at is not None
    assert stored.data["runs"]["sun"] == {"kind": "long", "minutes": 100}
    assert set(stored.data["screening"]) == {q.id for q in QUESTIONS}


def test_the_plan_page_shows_sessions_with_reasons(alice: Any) -> None:
    client = client_for(alice)
    onboard(client)
    page = client.get("/plan/").content.decode()
    assert "Week of" in page and "min" in page
    assert "rule" in page.lower()
    assert PlannedSession.objects.filter(owner=alice, date__gte=timezone.localdate()).exists()


def test_an_urgent_flag_blocks_the_plan_and_says_to_seek_care(alice: Any) -> None:
    urgent = next(q.id for q in QUESTIONS if q.group == "urgent")
    client = client_for(alice)
    onboard(client, **{urgent: True})
    page = client.get("/plan/").content.decode()
    assert "Please see a clinician before training" in page
    assert not PlannedSession.objects.filter(owner=alice).exists()


def test_before_onboarding_the_plan_leads_to_the_wizard(alice: Any) -> None:
    assert client_for(alice).get("/plan/")["Location"] == "/onboarding/"


def test_a_coach_sees_the_plan_and_a_stranger_does_not(alice: Any, bob: Any, charlie: Any) -> None:
    onboard(client_for(alice))
    for path in ("/plan/", "/plan/month/"):
        assert client_for(bob).get(f"{path}?athlete={alice.pk}").status_code == 200
        assert client_for(charlie).get(f"{path}?athlete={alice.pk}").status_code == 404


def test_the_month_calendar_marks_planned_days(alice: Any) -> None:
    client = client_for(alice)
    onboard(client)
    page = client.get("/plan/month/").content.decode()
    assert "min</span>" in page


def test_a_bad_answer_is_refused_without_saving(alice: Any) -> None:
    client = client_for(alice)
    response = client.post("/onboarding/preferences/", {**PREFERENCES, "knee_pain_now": 11})
    assert response.status_code == 200
    assert not RunnerProfile.objects.filter(user=alice, data__has_key="knee_pain_now").exists()
