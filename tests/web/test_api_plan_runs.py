from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.runs.models import Activity
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

PROFILE = {
    "runs": {"tue": {"kind": "quality", "minutes": 50}, "sun": {"kind": "long", "minutes": 100}},
    "equipment": ["wall", "rail"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 0,
    "screening": {},
}


def put_profile(client: Any, data: dict[str, Any]) -> Any:
    return client.put("/api/profile", data, content_type="application/json")


def test_profile_round_trip_and_plan(alice: Any) -> None:
    client = client_for(alice)
    assert client.get("/api/profile").status_code == 404
    assert put_profile(client, PROFILE).status_code == 200
    assert client.get("/api/profile").json()["runs"]["sun"]["minutes"] == 100
    plan = client.get("/api/plan", {"weeks": 2}).json()
    assert len(plan["weeks"]) == 2 and plan["blocked"] is None
    assert all("why" in s for w in plan["weeks"] for s in w["sessions"])


def test_a_bad_profile_is_422_and_keeps_the_old_one(alice: Any) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    response = put_profile(client, {**PROFILE, "knee_pain_now": 11})
    assert response.status_code == 422 and "knee_pain_now" in response.json()["detail"]
    assert client.get("/api/profile").json()["knee_pain_now"] == 0


def test_a_coach_reads_but_cannot_replace_the_profile(alice: Any, bob: Any, charlie: Any) -> None:
    put_profile(client_for(alice), PROFILE)
    assert client_for(bob).get(f"/api/profile?athlete={alice.pk}").status_code == 200
    assert client_for(bob).get(f"/api/plan?athlete={alice.pk}").status_code == 200
    assert client_for(charlie).get(f"/api/profile?athlete={alice.pk}").status_code == 404
    assert client_for(charlie).get(f"/api/plan?athlete={alice.pk}").status_code == 404


def test_runs_are_logged_listed_filtered_and_deleted(alice: Any) -> None:
    client = client_for(alice)
    today = timezone.localdate()
    for days, minutes in ((1, 40), (20, 95)):
        body = {
            "date": (today - timedelta(days=days)).isoformat(),
            "minutes": minutes,
            "distance_m": 8000,
        }
        assert client.post("/api/runs", body, content_type="application/json").status_code == 201
    listing = client.get("/api/runs", {"since": (today - timedelta(days=7)).isoformat()}).json()
    assert listing["count"] == 1 and listing["items"][0]["elapsed_s"] == 2400
    paged = client.get("/api/runs", {"limit": 1, "offset": 1}).json()
    assert paged["count"] == 2 and len(paged["items"]) == 1
    run_id = listing["items"][0]["id"]
    assert client.delete(f"/api/runs/{run_id}").status_code == 204


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2099-01-01", "minutes": 30},
        {"date": "2026-01-01", "minutes": -3},
        {"date": "2026-01-01", "minutes": 30, "rpe": 11},
        {"date": "not a date", "minutes": 30},
        {"minutes": 30},
    ],
)
def test_impossible_runs_are_422(alice: Any, body: dict[str, Any]) -> None:
    response = client_for(alice).post("/api/runs", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not Activity.objects.exists()


def test_strangers_get_404_on_runs(alice: Any, charlie: Any) -> None:
    run = Activity.objects.create(owner=alice, start=timezone.now(), distance_m=5000)
    stranger = client_for(charlie)
    assert stranger.get(f"/api/runs/{run.pk}").status_code == 404
    assert stranger.get(f"/api/runs/{run.pk}?athlete={alice.pk}").status_code == 404
    assert stranger.delete(f"/api/runs/{run.pk}").status_code == 404
    assert stranger.get(f"/api/runs?athlete={alice.pk}").status_code == 404


def test_any_sport_filter_is_answered_and_kept_apart(alice: Any) -> None:
    """Filters go into the kept page's cache key: control characters and spaces once made the
    cache refuse the key (a 500 found by schemathesis); distinct filters must not share one."""
    client = client_for(alice)
    assert put_profile(client, PROFILE).status_code == 200
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    for _ in range(2):
        response = client.post("/api/runs", {"date": day, "minutes": 30}, "application/json")
        assert response.status_code == 201
    first, second = Activity.objects.filter(owner=alice)
    Activity.objects.filter(pk=first.pk).update(sport="trail running")
    Activity.objects.filter(pk=second.pk).update(sport="trail\x06running " + "é" * 20)
    for sport, run in (("trail running", first), ("trail\x06running " + "é" * 20, second)):
        listing = client.get("/api/runs", {"sport": sport}).json()
        assert [item["id"] for item in listing["items"]] == [run.pk]
    for sport in ("\U000bbf91js\x06\x7f", "é" * 3000):
        assert client.get("/api/runs", {"sport": sport}).json()["count"] == 0
