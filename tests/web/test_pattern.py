"""Issue 17 §3: runs set against the weekly pattern. The plan proposes the pattern the last
three weeks of runs show, the runner takes it (page, API, CLI in tests/test_cli_training.py),
and the planner places strength around the runs that happened."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.application import profile
from kneecap.application.profile import stored_data
from kneecap.core.catalog import load_catalog
from kneecap.core.planning import generate_plan
from kneecap.core.planning.model import Run
from kneecap.core.profile import RunKind, parse_profile
from tests.web.conftest import client_for
from tests.web.test_safety_doors import PROFILE

pytestmark = pytest.mark.django_db
JSON = "application/json"


def onboard(user: Any) -> None:
    data = {
        **PROFILE,
        "runs": {"tue": {"kind": "easy", "minutes": 40}, "sat": {"kind": "long", "minutes": 90}},
    }
    profile.save_profile(user, data, timezone.localdate(), answered=True)


def log_run(client: Any, day: date, minutes: int, kind: str = "easy") -> None:
    body = {"date": day.isoformat(), "minutes": minutes, "kind": kind}
    response = client.post("/api/runs", body, content_type=JSON)
    assert response.status_code == 201, response.content


def moved_long_run(client: Any) -> None:
    """Three weeks of Tuesday easy runs and Sunday (not Saturday) long runs."""
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    for week in (1, 2, 3):
        first = monday - timedelta(weeks=week)
        log_run(client, first + timedelta(days=1), 40)
        log_run(client, first + timedelta(days=6), 100, "long")


def test_the_plan_proposes_the_pattern_the_runs_show_and_the_runner_takes_it(
    alice: Any, bob: Any
) -> None:
    onboard(alice)
    runner = client_for(alice)
    assert runner.get("/api/plan/pattern").json() == {"proposal": None}
    moved_long_run(runner)
    proposal = runner.get("/api/plan/pattern").json()["proposal"]
    assert [(c["weekday"], c["was"]["kind"], c["now"]["kind"]) for c in proposal["changes"]] == [
        ("sat", "long", "rest"),
        ("sun", "rest", "long"),
    ]
    page = runner.get("/plan/").content.decode()
    assert "Your runs have a new rhythm" in page and "Plan around my runs" in page
    coach_page = client_for(bob).get(f"/plan/?athlete={alice.pk}").content.decode()
    assert "new rhythm" in coach_page and "Plan around my runs" not in coach_page
    assert runner.post("/plan/pattern/").status_code == 302
    assert stored_data(alice)["runs"] == {
        "tue": {"kind": "easy", "minutes": 40},
        "sun": {"kind": "long", "minutes": 100},
    }
    assert runner.get("/api/plan/pattern").json() == {"proposal": None}
    assert runner.post("/api/plan/pattern").status_code == 409  # nothing left to take
    assert "new rhythm" not in runner.get("/plan/").content.decode()


def test_the_api_takes_the_pattern_for_the_caller_only(alice: Any, bob: Any) -> None:
    onboard(alice)
    moved_long_run(client_for(alice))
    taken = client_for(bob).post(f"/api/plan/pattern?athlete={alice.pk}")
    assert taken.status_code == 409  # the coach's own account: no profile, nothing to take
    assert stored_data(alice)["runs"]["sat"] == {"kind": "long", "minutes": 90}
    assert client_for(alice).post("/api/plan/pattern").json()["runs"]["sun"]["kind"] == "long"


def test_strength_moves_off_a_day_with_a_long_run_that_happened() -> None:
    """rule 27: no strength on a day with a run over 90 minutes, planned or not: the planner
    reads the runs that happened as well as the pattern."""
    runner = parse_profile({**PROFILE, "start_date": "2026-12-07", "weeks": 1})
    catalog = list(load_catalog())
    planned = [s.date for s in generate_plan(runner, catalog).sessions() if s.items]
    assert planned
    ran = [Run(planned[0], 120, RunKind.LONG)]
    after = [s.date for s in generate_plan(runner, catalog, runs=ran).sessions() if s.items]
    assert planned[0] not in after and len(after) == len(planned)
