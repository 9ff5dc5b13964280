"""The planner over the shipped catalog (the TOML files), as the CLI and the web app use it."""

from __future__ import annotations

from hypothesis import given, settings

from kneecap.core.catalog import load_catalog
from kneecap.core.planning import WeekKind, generate_plan
from tests.core.planning.builders import profile as make_profile
from tests.core.planning.checks import Case, check_plan
from tests.core.planning.test_properties import cases

SHIPPED = tuple(load_catalog())


@settings(max_examples=60, deadline=None)
@given(cases())
def test_plans_from_the_shipped_catalog_keep_every_rule(case: Case) -> None:
    case = Case(case.profile, SHIPPED, case.runs, None)
    plan = generate_plan(case.profile, load_catalog(), runs=case.runs)
    check_plan(case, plan)


def test_sixteen_weeks_use_the_seed_drills_and_the_hip_module() -> None:
    profile = make_profile(weeks=16)
    plan = generate_plan(profile, load_catalog())
    check_plan(Case(profile, SHIPPED), plan)
    used = {i.exercise for s in plan.sessions() for i in s.items}
    assert {"walking-backward", "split-squat", "glute-bridge"} <= used
    assert {i.module for s in plan.sessions() for i in s.items} == {"knee", "hip"}
    assert [w.kind for w in plan.weeks].count(WeekKind.DELOAD) == 4
