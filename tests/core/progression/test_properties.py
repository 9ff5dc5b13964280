"""Properties over random histories: the runner does what the engine says, give or take a
few reps, with random pain; every decision along the way is checked."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.catalog import load_catalog
from kneecap.core.catalog.model import Exercise, Prescription
from kneecap.core.log import SessionLog, TrainingLog
from kneecap.core.progression import Action, Context, Decision, progress
from kneecap.core.progression.dose import cap
from tests.core.progression.builders import BRIDGE, DRILL, RAISE, SQUAT, START, did, lookup, session

BASELINE = 1
CATALOG = load_catalog()


@dataclass(frozen=True)
class Step:
    level: str
    done: Prescription  # what was logged, as the engine counts it (capped at the level top)
    red: bool  # the session just logged was red for this exercise
    decision: Decision


day_steps = st.tuples(
    st.integers(1, 6),  # days to the next session
    st.integers(0, 10),  # pain during
    st.integers(0, 3),  # next morning (the usual is 1)
    st.integers(-3, 2),  # off the prescription by this many steps
    st.sampled_from([None, 4.0, 9.0]),  # effort
)
contexts = st.fixed_dictionaries(
    {
        "deload_week": st.booleans(),
        "load_spike": st.booleans(),
        "days_to_race": st.sampled_from([None, 5, 12, 40]),
        "days_to_long_run": st.sampled_from([None, 0, 1, 3]),
    }
)
exercises = st.sampled_from([RAISE, SQUAT, DRILL, BRIDGE])


def _off(p: Prescription, by: int) -> Prescription:
    if p.reps is not None:
        return p.with_changes(reps=max(1, p.reps + by))
    if p.hold_s is not None:
        return p.with_changes(hold_s=max(1.0, p.hold_s + 5 * by))
    if p.flights is not None:
        return p.with_changes(flights=max(1, p.flights + by))
    assert p.distance_m is not None
    return p.with_changes(distance_m=max(1.0, p.distance_m + 10 * by))


def simulate(
    ex: Exercise,
    days: list[tuple[int, int, int, int, float | None]],
    ctx: dict[str, object],
    find: Callable[[str], Exercise] = lookup,
) -> list[Step]:
    sessions: list[SessionLog] = []
    level, dose, day, out = ex.levels[0].slug, ex.levels[0].prescription, START, []
    for gap, pain, morning, by, rpe in days:
        logged = _off(dose, by)
        sessions.append(session(day, did(ex, level, logged, pain=pain, rpe=rpe), morning=morning))
        day += timedelta(days=gap)
        log = TrainingLog(tuple(sessions), BASELINE)
        decision = progress(find, log, Context(as_of=day, **ctx)).exercises[0]  # type: ignore[arg-type]
        red = pain > 5 or (ex.module == "knee" and morning > BASELINE)
        out.append(Step(level, cap(logged, ex, ex.level(level)), red, decision))
        if decision.prescription is None:
            break
        level, dose = decision.level, decision.prescription
    return out


histories = given(ex=exercises, days=st.lists(day_steps, min_size=1, max_size=14), ctx=contexts)


@settings(max_examples=60, deadline=None)
@histories
def test_a_red_session_is_never_followed_by_an_advance(
    ex: Exercise, days: list[tuple[int, int, int, int, float | None]], ctx: dict[str, object]
) -> None:
    for step in simulate(ex, days, ctx):
        if step.red:
            assert step.decision.action is not Action.ADVANCE, step.decision.why


@settings(max_examples=60, deadline=None)
@histories
def test_a_ladder_never_skips_a_level(
    ex: Exercise, days: list[tuple[int, int, int, int, float | None]], ctx: dict[str, object]
) -> None:
    for step in simulate(ex, days, ctx):
        before, after = ex.level_index(step.level), ex.level_index(step.decision.level)
        if step.decision.action is Action.ADVANCE:
            assert after in (before, before + 1)
        else:
            assert after <= before


@settings(max_examples=60, deadline=None)
@histories
def test_an_advance_grows_one_lever_within_the_brief_bounds(
    ex: Exercise, days: list[tuple[int, int, int, int, float | None]], ctx: dict[str, object]
) -> None:
    for step in simulate(ex, days, ctx):
        new = step.decision.prescription
        if step.decision.action is not Action.ADVANCE or step.decision.level != step.level:
            continue
        assert new is not None
        _check_one_step(step.done, new)


@settings(max_examples=40, deadline=None)
@given(
    slug=st.sampled_from(sorted(CATALOG.slugs())),
    days=st.lists(day_steps, min_size=1, max_size=12),
    ctx=contexts,
)
def test_the_shipped_ladders_keep_the_same_bounds(
    slug: str, days: list[tuple[int, int, int, int, float | None]], ctx: dict[str, object]
) -> None:
    ex = CATALOG.get(slug)
    for step in simulate(ex, days, ctx, CATALOG.get):
        new, level = step.decision.prescription, step.decision.level
        if step.red:
            assert step.decision.action is not Action.ADVANCE
        if step.decision.action is Action.ADVANCE:
            assert ex.level_index(level) - ex.level_index(step.level) in (0, 1)
            if level == step.level and new is not None:
                _check_one_step(step.done, new)


def _check_one_step(old: Prescription, new: Prescription) -> None:
    grown = {
        k
        for k in ("sets", "reps", "hold_s", "distance_m", "flights", "load_kg")
        if (getattr(new, k) or 0) > (getattr(old, k) or 0)
    }
    assert len(grown) == 1, (old, new)
    (lever,) = grown
    bounds = {
        "reps": lambda a, b: b - a <= 2,  # rule 6, §7.2
        "sets": lambda a, b: b - a == 1,  # rule 11: one more repeat
        "hold_s": lambda a, b: b - a <= (10 if a <= 30 else 5),  # rule 10
        "distance_m": lambda a, b: b - a <= max(1, round(a * 0.1)),  # rule 11
        "load_kg": lambda a, b: 1.025 - 1e-9 <= b / a <= 1.10 + 1e-9,  # rule 7
        "flights": lambda a, b: b - a <= 2,
    }
    assert bounds[lever](getattr(old, lever), getattr(new, lever)), (lever, old, new)


@settings(max_examples=60, deadline=None)
@histories
def test_an_advance_never_raises_volume_and_load_together(
    ex: Exercise, days: list[tuple[int, int, int, int, float | None]], ctx: dict[str, object]
) -> None:
    for step in simulate(ex, days, ctx):
        new = step.decision.prescription
        if step.decision.action is not Action.ADVANCE or new is None:
            continue
        heavier = (new.load_kg or 0) > (step.done.load_kg or 0)
        assert not (heavier and new.volume() > step.done.volume()), (step.done, new)


@settings(max_examples=30, deadline=None)
@histories
def test_the_same_log_gives_the_same_answer(
    ex: Exercise, days: list[tuple[int, int, int, int, float | None]], ctx: dict[str, object]
) -> None:
    steps = simulate(ex, days, ctx)
    again = simulate(ex, days, ctx)
    assert [json.dumps(s.decision.as_dict()) for s in steps] == [
        json.dumps(s.decision.as_dict()) for s in again
    ]
