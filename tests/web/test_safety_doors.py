"""Issue 14 §1: every door asks the same gate (the guided save, the API, the plan and its
exports, Today), a rule-38 trigger closes it until the questions are answered again, and a
linked coach or physio clears a pause with a note that is kept."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.utils import timezone

from kneecap.application import profile
from kneecap.core.profile import WEEKDAYS
from kneecap.db.training.models import SafetyEvent, SessionLog
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
JSON = "application/json"
PROFILE = {
    "equipment": ["wall", "stairs", "heel-block", "rail", "mat"],
    "sessions_per_week": 2,
    "minutes_per_session": 40,
    "experience": "novice",
    "knee_pain_now": 0,
}


def onboard(user: Any, screening: dict[str, bool] | None = None) -> Any:
    today = WEEKDAYS[timezone.localdate().weekday()]
    data = {
        **PROFILE,
        "runs": {today: {"kind": "quality", "minutes": 45}},
        "screening": screening or {},
    }
    profile.save_profile(user, data, timezone.localdate(), answered=True)
    return user


def today_session(exercise: str, level: str, **set_fields: Any) -> dict[str, Any]:
    sets = [{"reps": 8, **set_fields}] if exercise != "deep-squat-hold" else [{"hold_s": 20}]
    return {
        "date": timezone.localdate().isoformat(),
        "exercises": [{"exercise": exercise, "level": level, "sets": sets}],
    }


def test_the_api_and_the_guided_save_refuse_a_left_leg_session_done_today(alice: Any) -> None:
    onboard(alice, {"soon_swelling_left": True})
    client = client_for(alice)
    left = today_session("split-squat", "bodyweight", side="left")
    refused = client.post("/api/sessions", left, content_type=JSON)
    assert refused.status_code == 409 and "left" in refused.json()["detail"]
    both = today_session("deep-squat-hold", "heels-5cm")
    assert client.post("/sessions/", both, content_type=JSON).status_code == 409
    right = json.loads(json.dumps(left).replace('"left"', '"right"'))
    assert client.post("/api/sessions", right, content_type=JSON).status_code == 201
    # a session logged for an earlier day is a record of what happened: it is kept
    earlier = {**both, "date": (timezone.localdate() - timedelta(days=2)).isoformat()}
    assert client.post("/api/sessions", earlier, content_type=JSON).status_code == 201
    assert SessionLog.objects.filter(owner=alice).count() == 2


def test_an_urgent_answer_empties_the_plan_and_its_exports(alice: Any) -> None:
    onboard(alice, {"urgent_no_weight": True})
    client = client_for(alice)
    plan = client.get("/api/plan").json()
    assert plan["weeks"] == [] and "care today" in plan["blocked"]["advice"]
    assert (
        client.post(
            "/api/sessions", today_session("tibialis-raise", "both-legs"), content_type=JSON
        ).status_code
        == 409
    )
    page = client.get("/today/").content.decode()
    assert "paused" in page and "Start guided session" not in page


def test_the_plan_and_its_calendar_leave_out_what_the_gate_refuses(alice: Any) -> None:
    onboard(alice, {"acute_injury_7d": True})  # §6.2: a recent injury, every Ottawa answer no
    client = client_for(alice)
    plan = client.get("/api/plan?weeks=2").json()
    planned = {i["exercise"] for w in plan["weeks"] for s in w["sessions"] for i in s["items"]}
    assert planned and not planned & {"knees-to-floor", "deep-squat-hold"}
    assert any("left out" in w for w in plan["warnings"])
    client.post("/settings/calendar/")
    feed = client.get(client.session["calendar_url"].split("testserver")[1])
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    text = " ".join(str(e.get("DESCRIPTION", "")) for e in events)
    assert "Knees to floor" not in text and "Deep squat" not in text


def test_a_twist_closes_the_gate_until_the_questions_are_answered_again(alice: Any) -> None:
    onboard(alice)
    client = client_for(alice)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    fell = {"date": yesterday, "twisted_or_fell": True}
    assert client.post("/api/sessions", fell, content_type=JSON).status_code == 201
    assert SafetyEvent.objects.filter(owner=alice, kind="trigger").count() == 1
    today = today_session("tibialis-raise", "both-legs")
    refused = client.post("/api/sessions", today, content_type=JSON)
    assert refused.status_code == 409 and "twist or fall" in refused.json()["detail"]
    assert client.get("/api/plan").json()["weeks"] == []
    assert client.put("/api/screening", {}, content_type=JSON).status_code == 200
    assert client.post("/api/sessions", today, content_type=JSON).status_code == 201
    # the same trigger found again is not a new one
    assert SafetyEvent.objects.filter(owner=alice, kind="trigger").count() == 1


@pytest.mark.parametrize(
    ("change", "trigger"),
    [
        ({"pain_after": 8}, "pain-after"),
        ({"swelling": True}, "swelling"),
        (
            {"exercises": [{"exercise": "stairs", "level": "easy", "pain_during": 9}]},
            "pain-during",
        ),
    ],
)
def test_each_logged_trigger_is_recorded(alice: Any, change: dict[str, Any], trigger: str) -> None:
    onboard(alice)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {"date": day, **change}
    assert client_for(alice).post("/api/sessions", body, content_type=JSON).status_code == 201
    assert SafetyEvent.objects.get(owner=alice, kind="trigger").key.startswith(trigger)


def test_a_run_stopped_for_pain_is_a_trigger(alice: Any) -> None:
    onboard(alice)
    run = {"date": timezone.localdate().isoformat(), "minutes": 20, "stopped_for_pain": True}
    response = client_for(alice).post("/api/runs", run, content_type=JSON)
    assert response.status_code == 201 and response.json()["stopped_for_pain"] is True
    assert SafetyEvent.objects.get(owner=alice, kind="trigger").key.startswith("run-stopped")


def test_a_linked_coach_clears_a_pause_with_a_note_that_is_kept(
    alice: Any, bob: Any, charlie: Any
) -> None:
    onboard(alice, {"soon_swelling_left": True})
    coach = client_for(bob)
    pauses = coach.get(f"/api/coach/athletes/{alice.pk}/pauses").json()
    assert [p["scope"] for p in pauses] == ["leg:left"]
    silent = {"scope": "leg:left", "note": " "}
    assert (
        coach.post(
            f"/api/coach/athletes/{alice.pk}/clearances", silent, content_type=JSON
        ).status_code
        == 422
    )
    odd = {"scope": "urgent", "note": "seen"}
    assert (
        coach.post(f"/api/coach/athletes/{alice.pk}/clearances", odd, content_type=JSON).status_code
        == 422
    )
    body = {"scope": "leg:left", "note": "Examined in clinic: no effusion."}
    assert (
        coach.post(
            f"/api/coach/athletes/{alice.pk}/clearances", body, content_type=JSON
        ).status_code
        == 201
    )
    event = SafetyEvent.objects.get(owner=alice, kind="cleared")
    assert (event.by, event.note) == (bob, "Examined in clinic: no effusion.")
    left = today_session("split-squat", "bodyweight", side="left")
    assert client_for(alice).post("/api/sessions", left, content_type=JSON).status_code == 201
    stranger = client_for(charlie)
    assert (
        stranger.post(
            f"/api/coach/athletes/{alice.pk}/clearances", body, content_type=JSON
        ).status_code
        == 404
    )


def test_a_recent_injury_is_confirmed_settling_only_after_7_days(alice: Any) -> None:
    onboard(alice, {"acute_injury_7d": True})
    client = client_for(alice)
    assert client.post("/api/screening/settling").status_code == 409
    SafetyEvent.objects.filter(owner=alice, kind="answered").update(
        at=timezone.now() - timedelta(days=8)
    )
    from kneecap.application import cache

    cache.changed(alice.pk)
    assert "settling" in client.get("/today/").content.decode()
    assert client.post("/api/screening/settling").status_code == 204
    deep = today_session("deep-squat-hold", "heels-5cm")
    assert client.post("/api/sessions", deep, content_type=JSON).status_code == 201
