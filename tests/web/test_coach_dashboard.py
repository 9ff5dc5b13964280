from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.training.models import CoachNote, ExerciseLog, SessionLog
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_linked_athletes_only(alice: Any, bob: Any, charlie: Any) -> None:
    page = client_for(bob).get("/coaching/athletes/").content.decode()
    assert "alice" in page and "charlie" not in page
    assert "alice" not in client_for(charlie).get("/coaching/athletes/").content.decode()


def test_it_shows_adherence_pain_and_red_flags(alice: Any, bob: Any) -> None:
    today = timezone.localdate()
    session = SessionLog.objects.create(owner=alice, date=today - timedelta(days=1), pain_after=3)
    ExerciseLog.objects.create(
        session=session, exercise="split-squat", level="bodyweight", pain_during=8
    )
    page = client_for(bob).get("/coaching/athletes/").content.decode()
    assert "knee pain 8/10 during Split squat" in page and "(rule 38)" in page
    assert "3.0/10" in page


def test_a_coach_leaves_a_note_the_athlete_sees(alice: Any, bob: Any, charlie: Any) -> None:
    assert (
        client_for(bob)
        .post(f"/coaching/athletes/{alice.pk}/note/", {"text": "Easy this week"})
        .status_code
        == 302
    )
    assert CoachNote.objects.get().athlete == alice
    assert (
        client_for(charlie)
        .post(f"/coaching/athletes/{alice.pk}/note/", {"text": "spam"})
        .status_code
        == 404
    )
    assert CoachNote.objects.count() == 1


def test_it_shows_progression_state_and_running_load(alice: Any, bob: Any) -> None:
    from kneecap.db.runs.models import Activity
    from tests.web.test_api_plan_runs import PROFILE, put_profile

    put_profile(client_for(alice), PROFILE)
    SessionLog.objects.create(owner=alice, date=timezone.localdate() - timedelta(days=2))
    row = SessionLog.objects.get()
    ExerciseLog.objects.create(
        session=row, exercise="split-squat", level="bodyweight", pain_during=6
    )
    Activity.objects.create(owner=alice, start=timezone.now(), distance_m=12000, elapsed_s=3600)
    page = client_for(bob).get("/coaching/athletes/").content.decode()
    assert "decision-regress" in page
    assert "km" in page
