from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.training.models import Pin
from tests.web.conftest import client_for
from tests.web.test_api_plan_runs import PROFILE, put_profile

pytestmark = pytest.mark.django_db


def log(
    client: Any, days_ago: int, pain: int, slug: str = "split-squat", level: str = "bodyweight"
) -> None:
    body = {
        "date": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
        "pain_after": 0,
        "exercises": [
            {"exercise": slug, "level": level, "pain_during": pain, "sets": [{"reps": 10}] * 2},
            {
                "exercise": "tibialis-raise",
                "level": "both-legs",
                "pain_during": 0,
                "sets": [{"reps": 10, "hold_s": 3}] * 3,
            },
        ],
    }
    response = client.post("/sessions/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_pain_of_six_regresses_that_exercise_only_and_says_why(alice: Any) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    log(client, 5, 0)
    log(client, 2, 6)
    page = client.get("/progress/").content.decode()
    assert "regress" in page and "6/10" in page
    split = client.get("/progress/split-squat/").content.decode()
    assert "regress" in split and "rule" in split.lower()
    assert "<svg" in split and "pain during" in split
    tib = client.get("/progress/tibialis-raise/").content.decode()
    assert "decision-regress" not in tib


def test_a_coach_pins_a_dose_the_engine_keeps(alice: Any, bob: Any, charlie: Any) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    log(client, 3, 0)
    pin = {"athlete": alice.pk, "level": "bodyweight", "sets": 2, "reps": 8, "note": "easy week"}
    assert client_for(charlie).post("/progress/split-squat/pin/", pin).status_code == 404
    assert client_for(bob).post("/progress/split-squat/pin/", pin).status_code == 302
    stored = Pin.objects.get(owner=alice)
    assert stored.pinned_by == bob and stored.prescription == {"sets": 2, "reps": 8}
    page = client.get("/progress/split-squat/").content.decode()
    assert "Pinned" in page and "2 × 8" in page
    client.post("/progress/split-squat/unpin/")
    assert not Pin.objects.exists()


def test_a_stranger_sees_no_progress(alice: Any, charlie: Any) -> None:
    put_profile(client_for(alice), PROFILE)
    assert client_for(charlie).get(f"/progress/?athlete={alice.pk}").status_code == 404
    assert client_for(charlie).get(f"/progress/split-squat/?athlete={alice.pk}").status_code == 404
