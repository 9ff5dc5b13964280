"""Over random runners, every plan keeps every rule, or names the rule it relaxed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.core.catalog.model import Equipment
from kneecap.core.planning import CurrentDose, Run, WeekKind, generate_plan
from kneecap.core.profile import (
    WEEKDAYS,
    Experience,
    PlannedRun,
    Priority,
    Profile,
    Race,
    RunKind,
)
from kneecap.core.screening import QUESTIONS
from tests.core.planning.builders import seed_catalog
from tests.core.planning.checks import Case, check_plan, lighter

CATALOG = seed_catalog()
START = date(2026, 3, 2)

planned_run = st.builds(
    lambda kind, minutes: PlannedRun(kind, 0 if kind is RunKind.REST else minutes),
    st.sampled_from(list(RunKind)),
    st.integers(10, 150),
)
pattern = st.fixed_dictionaries({}, optional=dict.fromkeys(WEEKDAYS, planned_run))
# Screening answers: a few ids answered yes or no; most runners answer no to all.
screening = st.dictionaries(st.sampled_from([q.id for q in QUESTIONS]), st.booleans(), max_size=3)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    start = START + timedelta(days=draw(st.integers(0, 400)))
    weeks = draw(st.integers(1, 14))
    horizon = weeks * 7
    races = draw(
        st.lists(
            st.builds(
                Race,
                st.integers(-3, horizon + 14).map(lambda d: start + timedelta(days=d)),
                st.sampled_from(list(Priority)),
            ),
            max_size=3,
        )
    )
    profile = Profile(
        start_date=start,
        weeks=weeks,
        runs=draw(pattern),
        races=tuple(races),
        equipment=frozenset(draw(st.sets(st.sampled_from(list(Equipment))))),
        sessions_per_week=draw(st.integers(0, 7)),
        minutes_per_session=draw(st.integers(5, 90)),
        experience=draw(st.sampled_from(list(Experience))),
        knee_pain_now=draw(st.integers(0, 10)),
        screening=draw(screening),
    )
    runs = draw(
        st.lists(
            st.builds(
                Run,
                st.integers(-60, horizon).map(lambda d: start + timedelta(days=d)),
                st.integers(10, 150),
                st.sampled_from([k for k in RunKind if k is not RunKind.REST]),
            ),
            max_size=6,
        )
    )
    current = draw(st.none() | st.just(_current()))
    return Case(profile, CATALOG, tuple(runs), current)


def _current() -> dict[str, CurrentDose]:
    split = next(e for e in CATALOG if e.slug == "split-squat")
    hip = next(e for e in CATALOG if e.slug == "glute-bridge")
    return {
        "split-squat": CurrentDose("loaded", split.levels[1].prescription.with_changes(reps=10)),
        "glute-bridge": CurrentDose("both-legs", hip.levels[0].prescription, "held", (15,)),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_plan_keeps_every_rule_or_says_which_it_relaxed(case: Case) -> None:
    plan = generate_plan(case.profile, case.catalog, runs=case.runs, current=case.current)
    check_plan(case, plan)


@settings(max_examples=25, deadline=None)
@given(cases())
def test_the_same_input_gives_the_same_plan(case: Case) -> None:
    first = generate_plan(case.profile, case.catalog, runs=case.runs, current=case.current)
    again = generate_plan(case.profile, case.catalog, runs=case.runs, current=case.current)
    assert first == again


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(0, 3))
def test_a_first_week_deload_carries_less_than_the_build_week_before_it(
    case: Case, offset: int
) -> None:
    """rule 29: the plan's first week is the deload (program week 4, 8…): it weighs less than
    the week before it, as a plan starting that week earlier places it."""
    profile = replace(case.profile, runs={**case.profile.runs}, races=(), screening={})
    start = profile.start_date
    program_start = start - timedelta(weeks=3 + 4 * offset)
    plan = generate_plan(profile, case.catalog, current=case.current, program_start=program_start)
    earlier = replace(profile, start_date=start - timedelta(weeks=1), weeks=profile.weeks + 1)
    before = generate_plan(earlier, case.catalog, current=case.current, program_start=program_start)
    assert plan.weeks[0].kind is WeekKind.DELOAD
    if before.weeks[0].kind is WeekKind.BUILD:
        assert lighter(plan.weeks[0], before.weeks[0])
