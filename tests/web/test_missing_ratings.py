"""Issue 14 §2: a rating nobody gave is never green; the engine holds the dose and asks for
it, and Today and the API take it (the terminal's door is in tests/test_cli_training.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.training.models import ExerciseLog, MorningCheckin
from tests.web.conftest import client_for
from tests.web.test_safety_doors import onboard

pytestmark = pytest.mark.django_db
JSON = "application/json"


def unrated(client: Any, days_ago: int, *, morning: int | None = None) -> str:
    """A split-squat session with no pain during; its next morning only when given."""
    day = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    session: dict[str, Any] = {
        "date": day,
        "exercises": [
            {"exercise": "split-squat", "level": "bodyweight", "sets": [{"reps": 8}] * 2}
        ],
    }
    if morning is not None:
        session["pain_next_morning"] = morning
    assert client.post("/api/sessions", session, content_type=JSON).status_code == 201
    return day


def missing(client: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/progress").json()["missing"]
    return found


def test_today_asks_for_pain_during_and_keeps_the_answer(alice: Any) -> None:
    onboard(alice)
    client = client_for(alice)
    day = unrated(client, 3, morning=0)
    assert missing(client) == [{"date": day, "exercise": "split-squat", "what": "pain_during"}]
    decision = client.get("/api/progress/split-squat").json()
    assert decision["decision"] == "hold"
    assert not any("0/10" in why for why in decision["why"])  # no rating is stated as given
    page = client.get("/today/").content.decode()
    assert "A rating is missing" in page and "Knee pain during Split squat" in page
    body = {"date": day, "exercise": "split-squat", "what": "pain_during", "value": "2"}
    assert client.post("/today/rating/", body).status_code == 302
    assert ExerciseLog.objects.get(session__owner=alice).pain_during == 2
    assert missing(client) == []
    assert "A rating is missing" not in client.get("/today/").content.decode()


def test_the_api_takes_a_missing_next_morning_as_that_mornings_check_in(alice: Any) -> None:
    onboard(alice)
    client = client_for(alice)
    day = unrated(client, 3)
    ExerciseLog.objects.filter(session__owner=alice).update(pain_during=1)
    assert missing(client) == [{"date": day, "exercise": None, "what": "pain_next_morning"}]
    body = {"date": day, "what": "pain_next_morning", "value": 1}
    assert client.post("/api/ratings", body, content_type=JSON).status_code == 204
    morning = timezone.localdate() - timedelta(days=2)
    assert MorningCheckin.objects.get(owner=alice, date=morning).pain == 1
    assert missing(client) == []


def test_a_bad_rating_is_refused_by_name_and_nothing_is_stored(alice: Any, bob: Any) -> None:
    onboard(alice)
    client = client_for(alice)
    day = unrated(client, 3, morning=0)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    good = {"date": day, "exercise": "split-squat", "what": "pain_during", "value": 2}
    for change, field in [
        ({"value": 11}, "value"),
        ({"what": "pain_after"}, "what"),
        ({"exercise": "tibialis-raise"}, "exercise"),
        ({"date": tomorrow}, "date"),
        ({"mood": "fine"}, "mood"),
    ]:
        response = client.post("/api/ratings", {**good, **change}, content_type=JSON)
        assert response.status_code == 422, (change, response.content)
        assert field in response.content.decode(), change
    coach = client_for(bob)  # a rating is the runner's own: a coach cannot give it
    assert (
        coach.post(f"/api/ratings?athlete={alice.pk}", good, content_type=JSON).status_code == 404
    )
    assert ExerciseLog.objects.get(session__owner=alice).pain_during is None
