from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from kneecap.core.profile import WEEKDAYS
from tests.web.conftest import client_for
from tests.web.test_api_plan_runs import PROFILE, put_profile

pytestmark = pytest.mark.django_db


def script_of(page: str) -> dict[str, Any]:
    raw = page.split('id="kc-script" type="application/json">')[1].split("</script>")[0]
    return json.loads(raw)


def test_today_shows_the_planned_session_with_its_guide(alice: Any) -> None:
    today = WEEKDAYS[timezone.localdate().weekday()]
    client = client_for(alice)
    put_profile(client, {**PROFILE, "runs": {today: {"kind": "quality", "minutes": 45}}})
    page = client.get("/today/").content.decode()
    assert "Start guided session" in page
    script = script_of(page)
    kinds = {e["kind"] for e in script["events"]}
    assert {"get-ready", "set", "rest", "end"} <= kinds


@pytest.mark.parametrize(
    ("slug", "kind", "timer"),
    [
        ("tibialis-raise", "hold", "countdown"),  # reps with holds
        ("deep-squat-hold", "hold", "stopwatch"),  # a hold for time
        ("walking-backward", "work", "stopwatch"),  # distance: target, then what was done
        ("split-squat", "side-switch", "countdown"),  # per side
        ("stairs", "work", "stopwatch"),  # flights: target, then what was done
        ("reverse-sled", "work", "stopwatch"),
        ("knees-to-floor", "hold", "countdown"),  # 3-5 s holds at the floor
    ],
)
def test_each_seed_drill_on_demand_gets_the_right_timer(
    alice: Any, slug: str, kind: str, timer: str
) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    script = script_of(client.get(f"/today/?exercise={slug}").content.decode())
    assert any(e["kind"] == kind and e["timer"] == timer for e in script["events"])


def test_an_unknown_exercise_is_404(alice: Any) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    assert client.get("/today/?exercise=moonwalk").status_code == 404


def test_a_check_in_is_offered_the_morning_after_a_session(alice: Any) -> None:
    from datetime import timedelta

    from kneecap.db.training.models import SessionLog

    client = client_for(alice)
    put_profile(client, PROFILE)
    SessionLog.objects.create(owner=alice, date=timezone.localdate() - timedelta(days=1))
    assert "Morning check-in" in client.get("/today/").content.decode()
    client.post("/checkin/", {"pain": 0, "stiffness": 0})
    assert "Morning check-in" not in client.get("/today/").content.decode()


def test_after_the_session_today_says_done_and_progress_counts_it(alice: Any) -> None:
    """Issue 18: a saved session is not offered again, and what comes next counts it."""
    today = WEEKDAYS[timezone.localdate().weekday()]
    client = client_for(alice)
    put_profile(client, {**PROFILE, "runs": {today: {"kind": "quality", "minutes": 45}}})
    assert "Start guided session" in client.get("/today/").content.decode()
    body = {
        "date": timezone.localdate().isoformat(),
        "pain_after": 1,
        "exercises": [
            {
                "exercise": "tibialis-raise",
                "level": "both-legs",
                "pain_during": 0,
                "sets": [{"reps": 8}],
            }
        ],
    }
    assert client.post("/sessions/", body, content_type="application/json").status_code == 201
    page = client.get("/today/").content.decode()
    assert "Done for today" in page and "Start guided session" not in page
    progress = client.get("/progress/").content.decode()
    assert "Log a session and kneecap will say" not in progress and "Tibialis raise" in progress
