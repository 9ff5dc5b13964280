"""Metric or imperial (issue 19.3): pages show the viewer's units, JSON stays in metres."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from kneecap.application import reminders
from kneecap.core import log as core
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import Pin, SessionLog, SetLog
from tests.web.conftest import client_for
from tests.web.ownership import PROFILE
from tests.web.session_form import form_data
from tests.web.test_onboarding_and_plan import PREFERENCES
from tests.web.test_plan_exports import feed_url
from tests.web.test_reminders import EMAILS, at, session_day
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


def test_an_imperial_runner_types_miles_and_pounds_and_metres_and_kg_are_stored(
    alice: Any,
) -> None:
    RunnerProfile.objects.create(user=alice, data={**PROFILE, "units": "imperial"})
    client = client_for(alice)
    assert "Distance (mi)" in client.get("/runs/new/").content.decode()
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    run = {"day": day, "minutes": 42, "distance_km": 5, "kind": "easy", "rpe": 4, "name": ""}
    assert client.post("/runs/new/", run).status_code == 302
    saved = Activity.objects.get(owner=alice)
    assert saved.distance_m == pytest.approx(8046.72)
    form = client.get(f"/runs/{saved.pk}/edit/").content.decode()
    assert 'value="5.0"' in form or 'value="5"' in form

    page = client.get("/sessions/new/?exercise=split-squat").content.decode()
    assert "Added load (lb)" in page
    rows = {"ex0-level": "loaded", "ex0-set-TOTAL_FORMS": "1", "ex0-set-INITIAL_FORMS": "0"}
    rows |= {"ex0-set-0-reps": "8", "ex0-set-0-load_kg": "22"}
    sent = client.post(
        "/sessions/new/?exercise=split-squat", {"date": day, "pain_after": "1", **rows}
    )
    assert sent.status_code == 302, sent.content.decode()[-1500:]
    logged = SetLog.objects.get(exercise__session__owner=alice)
    assert logged.load_kg == pytest.approx(22 * 0.45359237)


def test_an_edit_that_leaves_a_load_as_shown_keeps_its_kilograms(alice: Any) -> None:
    _runner(alice, "imperial")  # tibialis raises at 10 kg, shown as 22 lb
    client = client_for(alice)
    row = SessionLog.objects.get(owner=alice)
    page = client.get(f"/sessions/{row.pk}/edit/").content.decode()
    assert 'name="ex0-set-0-load_kg" value="22"' in page
    body = session()
    body["exercises"][0]["sets"] = [{"reps": 10, "load_kg": 10}] * 3
    body["exercises"].append(
        {"exercise": "walking-backward", "level": "flat", "sets": [{"distance_m": 100}]}
    )
    shown = {f"ex0-set-{n}-load_kg": "22" for n in range(3)} | {"ex2-set-0-distance_m": "109.4"}
    edit = form_data(core.from_json(core.SessionLog, body), pain_after=4, **shown)
    assert client.post(f"/sessions/{row.pk}/edit/", edit).status_code == 302
    loads = SetLog.objects.filter(load_kg__isnull=False).values_list("load_kg", flat=True)
    assert list(loads) == [10, 10, 10]
    assert SetLog.objects.get(distance_m__isnull=False).distance_m == 100


def test_a_pin_is_typed_and_shown_in_pounds_and_stored_in_kilograms(alice: Any) -> None:
    _runner(alice, "imperial")
    client = client_for(alice)
    assert "Load (lb)" in client.get("/progress/split-squat/").content.decode()
    pin = {"level": "loaded", "sets": 3, "reps": 8, "load_kg": 22}
    assert client.post("/progress/split-squat/pin/", pin).status_code == 302
    stored = Pin.objects.get(owner=alice).prescription
    assert stored["load_kg"] == pytest.approx(22 * 0.45359237)
    assert "22 lb" in client.get("/progress/split-squat/").content.decode()


def test_a_coach_who_chooses_units_stays_a_coach(alice: Any, bob: Any) -> None:
    client = client_for(bob)
    assert client.post("/settings/units/", {"units": "imperial"}).status_code == 302
    page = client.get("/settings/").content.decode()
    assert '<span class="role">coach</span>' in page


def test_the_calendar_feed_and_the_emails_follow_the_owners_units(
    alice: Any, settings: Any
) -> None:
    settings.BASE_URL = "https://kneecap.example.org"
    kit = {**PROFILE, "equipment": ["wall", "rail", "incline"], "units": "imperial"}
    RunnerProfile.objects.create(user=alice, data=kit, onboarded_at=timezone.now())
    client = client_for(alice)
    feed = feed_url(client).replace("http://testserver", "")
    calendar = Client().get(feed).content.decode()  # no viewer: the owner's units
    assert " yd" in calendar and "100 m" not in calendar
    reminders.save_settings(alice, EMAILS)
    day = session_day(alice)
    reminders.sweep(at(day, 17, 31))
    (message,) = mail.outbox
    assert " yd" in message.body and "100 m" not in message.body


def test_a_race_distance_is_typed_in_miles_and_kept_in_kilometres(alice: Any) -> None:
    RunnerProfile.objects.create(user=alice, data={**PROFILE, "units": "imperial"})
    client = client_for(alice)
    assert "Race distance (mi, optional)" in client.get("/onboarding/preferences/").content.decode()
    race = (timezone.localdate() + timedelta(days=60)).isoformat()
    body = {**PREFERENCES, "units": "imperial", "race_date": race, "race_distance_km": "26.2"}
    assert client.post("/onboarding/preferences/", body).status_code == 302
    (kept,) = RunnerProfile.objects.get(user=alice).data["races"]
    assert kept["distance_km"] == pytest.approx(42.165, abs=0.001)
    page = client.get("/onboarding/preferences/").content.decode()
    assert 'value="26.2"' in page
