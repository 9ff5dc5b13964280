from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.application.log import training_log
from kneecap.core import log as core
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.training.models import ExerciseLog, MorningCheckin, SessionLog, SetLog
from tests.web.conftest import client_for
from tests.web.session_form import form_data

pytestmark = pytest.mark.django_db


def session(**changes: Any) -> dict[str, Any]:
    day = timezone.localdate() - timedelta(days=1)
    body = {
        "date": day.isoformat(),
        "pain_after": 2,
        "exercises": [
            {
                "exercise": "tibialis-raise",
                "level": "both-legs",
                "pain_during": 1,
                "rpe": 5,
                "sets": [{"reps": 10, "hold_s": 3}] * 3,
            },
            {
                "exercise": "deep-squat-hold",
                "level": "heels-5cm",
                "pain_during": 0,
                "sets": [{"hold_s": 25}, {"hold_s": 30}],
            },
        ],
    }
    body.update(changes)
    return body


def post(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/sessions/", json.dumps(body), content_type="application/json")


def test_a_guided_session_is_saved_once_even_when_sent_twice(alice: Any) -> None:
    client = client_for(alice)
    body = session(client_id=str(uuid.uuid4()))
    first, again = post(client, body), post(client, body)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert SessionLog.objects.count() == 1
    assert ExerciseLog.objects.count() == 2 and SetLog.objects.count() == 5


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("exercises", 0, "sets", 0, "reps"), -3, "reps"),
        (("exercises", 0, "pain_during"), 11, "pain_during"),
        (("exercises", 1, "sets", 0, "hold_s"), 36000, "hold_s"),
        (("date",), "2099-01-01", "date"),
        (("exercises", 0, "exercise"), "moonwalk", "exercise"),
    ],
)
def test_impossible_values_are_refused_and_nothing_is_saved(
    alice: Any, path: tuple[Any, ...], value: Any, field: str
) -> None:
    body = session()
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    response = post(client_for(alice), body)
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not SessionLog.objects.exists() and not SetLog.objects.exists()


def test_history_lists_the_session_with_its_pain(alice: Any) -> None:
    client = client_for(alice)
    post(client, session())
    page = client.get("/history/").content.decode()
    assert "pain after 2/10" in page and "Tibialis raise" in page
    row = SessionLog.objects.get()
    assert "3 s hold" in client.get(f"/sessions/{row.pk}/").content.decode()
    assert "Tibialis raise" in client.get("/history/exercise/tibialis-raise/").content.decode()


def test_the_cached_history_follows_every_change_and_each_viewer(alice: Any, bob: Any) -> None:
    RunnerProfile.objects.create(user=alice, data={}, onboarded_at=timezone.now())
    client = client_for(alice)
    post(client, session())
    assert "pain after 2/10" in client.get("/history/").content.decode()
    row = SessionLog.objects.get()
    edit = form_data(core.from_json(core.SessionLog, session(pain_after=4)))
    client.post(f"/sessions/{row.pk}/edit/", edit)
    own = client.get("/history/").content.decode()
    assert "pain after 4/10" in own and "pain after 2/10" not in own
    assert "?athlete=" not in own  # the coach's copy has its own key
    assert (
        f"?athlete={alice.pk}"
        in client_for(bob).get(f"/history/?athlete={alice.pk}").content.decode()
    )
    client.post(f"/sessions/{row.pk}/delete/")
    assert "No session logged yet" in client.get("/history/").content.decode()


def test_a_session_is_edited_as_a_whole_and_deleted(alice: Any) -> None:
    client = client_for(alice)
    post(client, session())
    row = SessionLog.objects.get()
    edited = form_data(
        core.from_json(core.SessionLog, session(pain_after=4)), **{"ex1-remove": "on"}
    )
    response = client.post(f"/sessions/{row.pk}/edit/", edited)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.pain_after == 4 and row.exercises.count() == 1
    bad = form_data(core.from_json(core.SessionLog, session()), pain_after=12)
    page = client.post(f"/sessions/{row.pk}/edit/", bad).content.decode()
    assert "Knee pain after (0–10): Ensure this value is less than or equal to 10." in page
    row.refresh_from_db()
    assert row.pain_after == 4
    client.post(f"/sessions/{row.pk}/delete/")
    assert not SessionLog.objects.exists() and not SetLog.objects.exists()


def test_the_morning_check_in_is_recorded_and_read_back(alice: Any) -> None:
    client = client_for(alice)
    post(client, session())
    client.post("/checkin/", {"pain": 1, "stiffness": 2})
    checkin = MorningCheckin.objects.get()
    assert (checkin.pain, checkin.stiffness, checkin.date) == (1, 2, timezone.localdate())
    log = training_log(alice)
    assert log.sessions[0].pain_next_morning == 1


def test_the_owner_alone_writes_a_coach_reads_a_stranger_sees_nothing(
    alice: Any, bob: Any, charlie: Any
) -> None:
    post(client_for(alice), session())
    row = SessionLog.objects.get()
    assert client_for(bob).get(f"/sessions/{row.pk}/?athlete={alice.pk}").status_code == 200
    assert client_for(bob).get(f"/history/?athlete={alice.pk}").status_code == 200
    for client in (client_for(bob), client_for(charlie)):
        assert client.post(f"/sessions/{row.pk}/delete/").status_code == 404
        assert client.get(f"/sessions/{row.pk}/edit/").status_code == 404
    assert client_for(charlie).get(f"/sessions/{row.pk}/?athlete={alice.pk}").status_code == 404
    assert client_for(charlie).get(f"/history/?athlete={alice.pk}").status_code == 404
    assert SessionLog.objects.filter(pk=row.pk).exists()


def test_history_shows_the_morning_check_ins_beside_the_sessions(alice: Any) -> None:
    client = client_for(alice)
    post(client, session())
    client.post("/checkin/", {"pain": 3, "stiffness": 2})
    page = client.get("/history/").content.decode()
    assert "morning check-in" in page and "Knee pain 3/10" in page and "stiffness 2/10" in page
    assert page.index("morning check-in") < page.index("pain after 2/10")  # newest first
