from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.application.progress import report_for
from kneecap.db.accounts.models import ApiToken
from kneecap.db.training.models import Pin
from tests.web.conftest import client_for
from tests.web.test_api_plan_runs import PROFILE, put_profile

pytestmark = pytest.mark.django_db
JSON = "application/json"
DECISION_KEYS = {
    "exercise",
    "decision",
    "level",
    "prescription",
    "side",
    "why",
    "rules",
    "pain_ceiling",
}


def log(client: Any, days_ago: int, pain: int) -> None:
    body = {
        "date": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
        "pain_after": 0,
        "exercises": [
            {
                "exercise": "split-squat",
                "level": "bodyweight",
                "pain_during": pain,
                "sets": [{"reps": 10}] * 2,
            },
            {
                "exercise": "tibialis-raise",
                "level": "both-legs",
                "pain_during": 0,
                "sets": [{"reps": 10, "hold_s": 3}] * 3,
            },
        ],
    }
    response = client.post("/api/sessions", body, content_type=JSON)
    assert response.status_code == 201, response.content


@pytest.fixture
def logged(alice: Any) -> Any:
    """Alice with a profile and two sessions, the last with a knee pain of 6 in split squats."""
    client = client_for(alice)
    put_profile(client, PROFILE)
    log(client, 5, 0)
    log(client, 2, 6)
    return client


def pin(client: Any, body: dict[str, Any], query: str = "", slug: str = "split-squat") -> Any:
    return client.put(f"/api/progress/{slug}/pin{query}", body, content_type=JSON)


def test_the_report_has_the_shape_of_kneecap_progress_json(alice: Any, logged: Any) -> None:
    report = logged.get("/api/progress").json()
    assert set(report) == {"as_of", "exercises", "alerts", "missing"}
    assert report["as_of"] == timezone.localdate().isoformat()
    assert all(set(d) == DECISION_KEYS for d in report["exercises"])
    expected = report_for(alice, timezone.localdate())
    assert expected is not None
    assert report == json.loads(json.dumps(expected.as_dict()))


def test_a_pain_of_six_regresses_that_exercise_only_and_says_why(logged: Any) -> None:
    split = logged.get("/api/progress/split-squat").json()
    assert split["decision"] == "regress"
    assert any("6/10" in why for why in split["why"])
    assert split["rules"] and all(isinstance(r, int) for r in split["rules"])
    assert logged.get("/api/progress/tibialis-raise").json()["decision"] != "regress"


def test_no_profile_no_exercise_or_nothing_logged_is_404(bob: Any, logged: Any) -> None:
    assert logged.get("/api/progress/moonwalk").status_code == 404
    assert logged.get("/api/progress/deep-squat-hold").status_code == 404
    response = client_for(bob).get("/api/progress")  # bob has not onboarded himself
    assert response.status_code == 404 and "profile" in response.json()["detail"]


def test_the_runner_pins_a_dose_the_engine_keeps(alice: Any, logged: Any) -> None:
    body = {"level": "bodyweight", "prescription": {"sets": 2, "reps": 8}, "note": "easy week"}
    response = pin(logged, body)
    assert response.status_code == 200
    assert response.json()["by"] == "runner" and response.json()["pinned_by"] == "alice"
    assert response.json()["prescription"] == {"sets": 2, "reps": 8}
    decision = logged.get("/api/progress/split-squat").json()
    assert decision["level"] == "bodyweight"
    assert (decision["prescription"]["sets"], decision["prescription"]["reps"]) == (2, 8)
    assert logged.get("/api/progress/split-squat/pin").json()["note"] == "easy week"


def test_a_coach_pins_and_unpins_for_a_linked_athlete(alice: Any, bob: Any, logged: Any) -> None:
    coach = client_for(bob)
    on = f"?athlete={alice.pk}"
    response = pin(coach, {"level": "bodyweight", "prescription": {"reps": 6}}, on)
    assert response.status_code == 200 and response.json()["by"] == "coach"
    assert Pin.objects.get(owner=alice).pinned_by == bob
    assert not Pin.objects.filter(owner=bob).exists()
    assert coach.get(f"/api/progress{on}").status_code == 200
    assert coach.get(f"/api/progress/split-squat/pin{on}").json()["pinned_by"] == "bob"
    assert coach.delete(f"/api/progress/split-squat/pin{on}").status_code == 204
    assert not Pin.objects.exists()
    assert coach.delete(f"/api/progress/split-squat/pin{on}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "on-one-finger"}, "level"),
        ({"level": "bodyweight", "prescription": {"reps": 0}}, "prescription.reps"),
        ({"level": "bodyweight", "prescription": {"sets": 2.5}}, "sets"),
        ({"level": "bodyweight", "prescription": {"hold_s": 99999}}, "prescription.hold_s"),
        ({"level": "bodyweight", "prescription": {"speed": 3}}, "speed"),
        ({"level": "bodyweight", "note": "x" * 301}, "note"),
        ({"level": "bodyweight", "note": "a\x00b"}, "note"),
        ({"level": "bodyweight", "by": "coach"}, "by"),
    ],
)
def test_an_impossible_pin_is_422_naming_the_field(
    logged: Any, body: dict[str, Any], field: str
) -> None:
    response = pin(logged, body)
    assert response.status_code == 422 and field in response.json()["detail"]
    assert not Pin.objects.exists()


def test_pinning_an_exercise_missing_from_the_catalog_is_404(logged: Any) -> None:
    assert pin(logged, {"level": "x"}, slug="moonwalk").status_code == 404
    assert logged.delete("/api/progress/split-squat/pin").status_code == 404


@pytest.mark.parametrize("on", ["", "?athlete={alice}"])
def test_a_stranger_gets_404_on_every_progress_operation(
    alice: Any, charlie: Any, logged: Any, on: str
) -> None:
    pin(logged, {"level": "bodyweight", "note": "alice's own"})
    on = on.format(alice=alice.pk)
    stranger = client_for(charlie)
    assert stranger.get(f"/api/progress{on}").status_code == 404  # charlie has no profile
    assert stranger.get(f"/api/progress/split-squat{on}").status_code == 404
    assert stranger.get(f"/api/progress/split-squat/pin{on}").status_code == 404
    assert stranger.delete(f"/api/progress/split-squat/pin{on}").status_code == 404
    wrote = pin(stranger, {"level": "bodyweight", "note": "charlie's"}, on)
    assert wrote.status_code == (404 if on else 200)
    assert Pin.objects.get(owner=alice).note == "alice's own"


def test_a_personal_token_reads_the_report_and_pins(alice: Any, logged: Any, client: Any) -> None:
    _, token = ApiToken.issue(alice, "script")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/progress", headers=auth).status_code == 200
    response = client.put(
        "/api/progress/tibialis-raise/pin", {"level": "both-legs"}, content_type=JSON, headers=auth
    )
    assert response.status_code == 200 and response.json()["level"] == "both-legs"
    assert client.get("/api/progress").status_code == 401
