from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.application.progress import load_summary
from kneecap.db.accounts.models import ApiToken
from kneecap.db.runs.models import Activity
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def run(owner: Any, days_ago: int, km: float, minutes: float = 30, rpe: int | None = 4) -> None:
    Activity.objects.create(
        owner=owner,
        start=timezone.now() - timedelta(days=days_ago),
        distance_m=km * 1000,
        elapsed_s=minutes * 60,
        moving_s=minutes * 60,
        rpe=rpe,
    )


@pytest.fixture
def history(alice: Any) -> Any:
    """Six weeks of 5 km runs, then a 12 km run yesterday: more than twice the longest."""
    for days_ago in range(42, 2, -3):
        run(alice, days_ago, 5)
    run(alice, 1, 12, minutes=75)
    return alice


def test_the_load_has_the_load_views_shape_and_numbers(history: Any) -> None:
    body = client_for(history).get("/api/load").json()
    today = timezone.localdate()
    expected = json.loads(json.dumps(load_summary(history, today).as_dict()))
    assert {k: v for k, v in body.items() if k != "softening"} == expected
    assert body["today"] == today.isoformat() and body["weekly_note"]
    assert sum(w["runs"] for w in body["weeks"]) == 15


def test_a_run_more_than_twice_the_longest_is_a_strong_spike_that_softens(history: Any) -> None:
    body = client_for(history).get("/api/load").json()
    latest = [s for s in body["spikes"] if not s["planned"]][-1]
    assert latest["tier"] == "strong" and latest["reference_m"] == 5000
    assert "12 km" in latest["message"]
    assert body["softening"] and "12 km" in body["softening"]


def test_the_ratio_waits_for_28_days_of_data(alice: Any) -> None:
    for days_ago in (10, 5, 1):
        run(alice, days_ago, 5)
    body = client_for(alice).get("/api/load").json()
    assert body["trend_ready"] is False
    assert body["days"] and all(d["ratio"] is None for d in body["days"])  # rule 24


def test_since_and_until_trim_weeks_days_and_spikes(history: Any) -> None:
    client = client_for(history)
    today = timezone.localdate()
    since = today - timedelta(days=10)
    body = client.get("/api/load", {"since": since.isoformat()}).json()
    monday = since - timedelta(days=since.weekday())
    assert body["weeks"] and all(w["week_start"] >= monday.isoformat() for w in body["weeks"])
    assert all(d["day"] >= since.isoformat() for d in body["days"] + body["spikes"])
    until = (today - timedelta(days=20)).isoformat()
    early = client.get("/api/load", {"until": until}).json()
    assert early["spikes"] and all(s["day"] <= until for s in early["spikes"])
    assert all(s["tier"] != "strong" for s in early["spikes"])
    backwards = {"since": today.isoformat(), "until": until}
    response = client.get("/api/load", backwards)
    assert response.status_code == 422 and "since" in response.json()["detail"]
    assert client.get("/api/load", {"since": "last week"}).status_code == 422


def test_no_runs_is_an_empty_view_not_an_error(alice: Any) -> None:
    body = client_for(alice).get("/api/load").json()
    assert body["weeks"] == [] and body["spikes"] == [] and body["softening"] is None


def test_a_coach_reads_the_load_a_stranger_gets_404(history: Any, bob: Any, charlie: Any) -> None:
    on = f"?athlete={history.pk}"
    assert len(client_for(bob).get(f"/api/load{on}").json()["weeks"]) > 0
    stranger = client_for(charlie)
    assert stranger.get(f"/api/load{on}").status_code == 404
    assert stranger.get("/api/load").json()["weeks"] == []  # charlie's own, empty


def test_a_personal_token_reads_the_load(history: Any, client: Any) -> None:
    _, token = ApiToken.issue(history, "dashboard")
    response = client.get("/api/load", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["weeks"]
    assert client.get("/api/load").status_code == 401
