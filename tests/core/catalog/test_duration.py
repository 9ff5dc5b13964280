"""The duration estimate the planner budgets with."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.catalog import Exercise, Prescription, estimate_duration_s, load_catalog
from kneecap.core.catalog.model import SIDE_SWITCH_S

CATALOG = load_catalog()


def test_reps_count_tempo_and_hold_plus_rests_between_sets() -> None:
    tib = CATALOG.get("tibialis-raise")  # 2 s per rep
    p = Prescription(sets=3, reps=10, hold_s=3, rest_s=60)
    assert estimate_duration_s(tib, p) == 3 * 10 * (2 + 3) + 2 * 60


def test_per_side_work_doubles_but_the_rest_between_rounds_does_not() -> None:
    squat = CATALOG.get("split-squat")  # 3 s per rep
    p = Prescription(sets=3, reps=10, rest_s=90, per_side=True)
    assert estimate_duration_s(squat, p) == 3 * 2 * 10 * 3 + 3 * SIDE_SWITCH_S + 2 * 90
    both = estimate_duration_s(squat, p.with_changes(per_side=False))
    assert both < estimate_duration_s(squat, p) < 2 * both


def test_distance_is_covered_at_the_drills_walking_pace() -> None:
    walk = CATALOG.get("walking-backward")
    p = Prescription(sets=5, distance_m=100, rest_s=60)
    assert walk.pace_m_per_s == 0.8
    assert estimate_duration_s(walk, p) == 5 * 125 + 4 * 60


def test_holds_flights_and_timed_sets() -> None:
    squat = CATALOG.get("deep-squat-hold")
    assert estimate_duration_s(squat, Prescription(sets=3, hold_s=60, rest_s=60)) == 3 * 70 + 120
    stairs = CATALOG.get("stairs")
    assert estimate_duration_s(stairs, Prescription(sets=1, flights=4)) == 120
    assert estimate_duration_s(stairs, Prescription(sets=2, duration_s=300, rest_s=30)) == 630


def test_a_single_set_has_no_rest() -> None:
    tib = CATALOG.get("tibialis-raise")
    assert estimate_duration_s(tib, Prescription(sets=1, reps=10, rest_s=600)) == 20


@pytest.mark.parametrize("ex", list(CATALOG), ids=lambda ex: ex.slug)
def test_every_shipped_level_fits_a_session(ex: Exercise) -> None:
    for lvl in ex.levels:
        for p in (lvl.prescription, lvl.target or lvl.prescription):
            assert 30 <= estimate_duration_s(ex, p) <= 30 * 60, (ex.slug, lvl.slug)


@settings(max_examples=60, deadline=None)
@given(sets=st.integers(1, 10), reps=st.integers(1, 50), rest=st.integers(0, 300))
def test_more_sets_or_reps_never_take_less_time(sets: int, reps: int, rest: int) -> None:
    tib = CATALOG.get("tibialis-raise")
    p = Prescription(sets=sets, reps=reps, rest_s=rest)
    now = estimate_duration_s(tib, p)
    assert estimate_duration_s(tib, p.with_changes(sets=sets + 1)) > now
    assert estimate_duration_s(tib, p.with_changes(reps=reps + 1)) > now
