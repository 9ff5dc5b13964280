from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.runs.models import Activity
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def run(owner: Any, days_ago: int, km: float, minutes: float = 50, rpe: int | None = 5) -> None:
    start = timezone.now() - timedelta(days=days_ago)
    Activity.objects.create(
        owner=owner,
        start=start,
        distance_m=km * 1000,
        elapsed_s=minutes * 60,
        moving_s=minutes * 60,
        rpe=rpe,
        sport="running",
    )


def test_the_load_view_shows_weeks_spikes_and_no_risk_zones(alice: Any) -> None:
    for days in range(60, 3, -4):
        run(alice, days, 10)
    run(alice, 1, 16, 95)  # 60 % longer than the month's longest run
    page = client_for(alice).get("/load/").content.decode()
    assert "Running per week" in page and "<svg" in page
    assert "60 %" in page or "60%" in page
    assert "28-day average" in page  # trend shown: more than 28 days of data
    for word in ("danger", "risk of injury", "probability"):
        assert word not in page.lower()


def test_the_trend_waits_for_28_days_of_data(alice: Any) -> None:
    run(alice, 3, 8)
    page = client_for(alice).get("/load/").content.decode()
    assert "appears after 28 days" in page and "28-day average" not in page


def test_only_the_runner_and_their_coach_see_the_load(alice: Any, bob: Any, charlie: Any) -> None:
    run(alice, 2, 8)
    assert client_for(bob).get(f"/load/?athlete={alice.pk}").status_code == 200
    assert client_for(charlie).get(f"/load/?athlete={alice.pk}").status_code == 404


def test_a_big_run_yesterday_takes_high_stress_work_out_of_todays_plan(alice: Any) -> None:
    from kneecap.application import plans
    from kneecap.core.catalog.model import Stress
    from kneecap.core.profile import WEEKDAYS
    from tests.web.test_api_plan_runs import PROFILE, put_profile

    today = WEEKDAYS[timezone.localdate().weekday()]
    put_profile(
        client_for(alice),
        {
            **PROFILE,
            "runs": {today: {"kind": "quality", "minutes": 45}},
            "equipment": ["wall", "rail", "dumbbells", "heel-block", "mat", "stairs", "band"],
            "minutes_per_session": 90,
        },
    )
    for days in range(45, 5, -5):
        run(alice, days, 10)
    run(alice, 1, 16, 95)  # 60 % longer than the month's longest: warning tier
    plan = plans.plan_for(alice, timezone.localdate(), 1)
    near = [s for s in plan.sessions() if abs((s.date - timezone.localdate()).days) <= 1]
    assert all(i.stress is not Stress.HIGH for s in near for i in s.items)
    assert any("rules 21, 27" in line for s in near for line in s.why)
