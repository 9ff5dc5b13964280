"""The week at a glance (issue 20 §2, issue 18 §4): runs planned and done, strength sessions,
rest and race days; the plan's reasons behind "why"; the race with its distance and priority."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.application import week
from kneecap.application.runner import monday
from kneecap.core.profile import Priority, RunKind
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.runs.models import Activity
from tests.web.conftest import client_for
from tests.web.test_onboarding_and_plan import PREFERENCES, onboard

pytestmark = pytest.mark.django_db


def test_the_week_holds_runs_sessions_rest_and_the_race(alice: Any) -> None:
    today = timezone.localdate()
    race_day = monday(today) + timedelta(days=33)  # a Saturday five weeks on
    client = client_for(alice)
    preferences = {**PREFERENCES, "race_date": race_day.isoformat(), "race_distance_km": "21.1"}
    onboard(client)
    assert client.post("/onboarding/preferences/", preferences).status_code == 302
    Activity.objects.create(
        owner=alice,
        start=timezone.make_aware(
            timezone.datetime.combine(monday(today), timezone.datetime.min.time())
        )
        + timedelta(hours=7),
        elapsed_s=35 * 60,
        moving_s=35 * 60,
        sport="running",
        kind="easy",
    )
    days = week.week_for(alice, today)
    assert days is not None and len(days) == 7
    first, tuesday, friday = days[0], days[1], days[4]
    assert first.actual is not None and first.actual.minutes == 35  # the run that happened
    assert first.planned.kind is RunKind.REST  # on a day the pattern keeps free
    assert tuesday.planned.kind is RunKind.QUALITY and tuesday.planned.minutes == 50
    assert friday.rest
    assert any(d.session is not None and d.exercises for d in days)
    later = week.days_between(alice, today, race_day, race_day)
    assert later is not None and later[0].race is Priority.A
    assert "goal race" in later[0].race_words
    stored = RunnerProfile.objects.get(user=alice).data["races"][0]
    assert stored["distance_km"] == 21.1


def test_the_plan_opens_on_the_strip_and_keeps_rules_behind_why(alice: Any) -> None:
    client = client_for(alice)
    onboard(client)
    race_day = timezone.localdate() + timedelta(days=20)
    preferences = {**PREFERENCES, "race_date": race_day.isoformat(), "race_distance_km": "10"}
    assert client.post("/onboarding/preferences/", preferences).status_code == 302
    page = client.get("/plan/").content.decode()
    assert page.index('class="week-strip"') < page.index("Week of")
    assert "<th>Rules</th>" not in page
    assert "<summary>Why this session</summary>" in page and "Rule numbers" in page
    assert f"Race on {race_day:%A} {race_day.day}" in page and "10 km" in page
    assert "tapers the week before" in page  # what A means, in words
    assert "quality" in page and "long" in page  # the runs the plan is built around


def test_today_shows_the_week_strip(alice: Any) -> None:
    client = client_for(alice)
    onboard(client)
    assert 'class="week-strip"' in client.get("/today/").content.decode()


def test_the_month_shows_each_days_run(alice: Any) -> None:
    client = client_for(alice)
    onboard(client)
    page = client.get("/plan/month/").content.decode()
    assert "long 100" in page and "quality 50" in page
