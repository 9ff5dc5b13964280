"""Metric or imperial (issue 19.3): pages show the viewer's units, JSON stays in metres."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.runs.models import Activity
from tests.web.conftest import client_for
from tests.web.ownership import PROFILE
from tests.web.test_onboarding_and_plan import PREFERENCES
from tests.web.test_training_log import post, session

pytestmark = pytest.mark.django_db


def _runner(user: Any, chosen: str) -> None:
    RunnerProfile.objects.create(
        user=user, data={**PROFILE, "units": chosen}, onboarded_at=timezone.now()
    )
    body = session()
    body["exercises"][0]["sets"] = [{"reps": 10, "load_kg": 10}] * 3
    body["exercises"].append(
        {"exercise": "walking-backward", "level": "flat", "sets": [{"distance_m": 100}]}
    )
    assert post(client_for(user), body).status_code == 201, body
    Activity.objects.create(
        owner=user, start=timezone.now() - timedelta(days=2), sport="running", distance_m=8047
    )


@pytest.mark.parametrize(
    ("chosen", "shown", "hidden"),
    [
        ("imperial", ["5 mi", "22 lb", "109 yd"], [" km<", " kg", "100 m"]),
        ("metric", ["8 km", "10 kg", "100 m"], [" mi<", " lb", " yd"]),
    ],
)
def test_pages_show_the_runners_units(
    alice: Any, chosen: str, shown: list[str], hidden: list[str]
) -> None:
    _runner(alice, chosen)
    client = client_for(alice)
    pages = {p: client.get(p).content.decode() for p in ("/runs/", "/history/", "/load/")}
    run = Activity.objects.get(owner=alice)
    pages["run"] = client.get(f"/runs/{run.pk}/").content.decode()
    assert shown[0] in pages["/runs/"] and shown[0] in pages["run"]
    assert shown[1] in pages["/history/"] and shown[2] in pages["/history/"]
    unit = "mi" if chosen == "imperial" else "km"
    assert f"distance ({unit})" in pages["/load/"]
    progress = client.get("/progress/walking-backward/").content.decode()
    assert ("yards" if chosen == "imperial" else "metres") in progress
    for page in pages.values():
        for word in hidden:
            assert word not in page


def test_a_coach_sees_an_athletes_runs_in_the_coachs_own_units(alice: Any, bob: Any) -> None:
    _runner(alice, "metric")
    RunnerProfile.objects.create(user=bob, data={**PROFILE, "units": "imperial"})
    page = client_for(bob).get(f"/runs/?athlete={alice.pk}").content.decode()
    assert "5 mi" in page and "8 km" not in page


def test_json_stays_in_metres_whatever_the_units(alice: Any) -> None:
    _runner(alice, "imperial")
    runs = client_for(alice).get("/api/runs").json()
    items = runs["items"] if isinstance(runs, dict) else runs
    assert items[0]["distance_m"] == 8047


def test_the_units_are_chosen_in_settings_and_onboarding(alice: Any) -> None:
    client = client_for(alice)
    assert "Imperial: miles" in client.get("/settings/").content.decode()
    assert client.post("/settings/units/", {"units": "imperial"}).status_code == 302
    assert RunnerProfile.objects.get(user=alice).data["units"] == "imperial"
    chosen = re.search(
        r'<input[^>]*value="imperial"[^>]*>', client.get("/settings/").content.decode()
    )
    assert chosen is not None and "checked" in chosen.group(0)
    client.post("/settings/units/", {"units": "stone"})
    assert RunnerProfile.objects.get(user=alice).data["units"] == "imperial"
    page = client.get("/onboarding/preferences/").content.decode()
    assert 'name="units"' in page
    sent = client.post("/onboarding/preferences/", {**PREFERENCES, "units": "metric"})
    assert sent.status_code == 302
    assert RunnerProfile.objects.get(user=alice).data["units"] == "metric"


def test_the_api_profile_takes_and_returns_the_units_and_names_a_bad_one(alice: Any) -> None:
    client = client_for(alice)
    put = lambda data: client.put("/api/profile", data, content_type="application/json")  # noqa: E731
    assert put(PROFILE).status_code == 200
    assert client.get("/api/profile").json()["units"] == "metric"
    assert put({**PROFILE, "units": "imperial"}).status_code == 200
    assert client.get("/api/profile").json()["units"] == "imperial"
    refused = put({**PROFILE, "units": "furlongs"})
    assert refused.status_code == 422 and "units" in refused.content.decode()
