"""Issue 17 §3: the weekly pattern the last three weeks of runs show, proposed when it
contradicts the runner's."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kneecap.core.planning.model import Run
from kneecap.core.planning.pattern import PATTERN_WEEKS, propose_pattern
from kneecap.core.profile import PlannedRun, RunKind

TODAY = date(2026, 12, 9)  # a Wednesday
MONDAY = TODAY - timedelta(days=TODAY.weekday())
PATTERN = {
    "tue": PlannedRun(RunKind.EASY, 40),
    "thu": PlannedRun(RunKind.QUALITY, 45),
    "sat": PlannedRun(RunKind.LONG, 90),
}


def weekly(weekday: int, minutes: int, kind: RunKind, weeks: int = PATTERN_WEEKS) -> list[Run]:
    """A run on ``weekday`` (0 = Monday) in each of the last ``weeks`` full weeks."""
    return [
        Run(MONDAY - timedelta(weeks=w) + timedelta(days=weekday), minutes, kind)
        for w in range(1, weeks + 1)
    ]


def as_planned() -> list[Run]:
    return [
        *weekly(1, 40, RunKind.EASY),
        *weekly(3, 50, RunKind.EASY),  # a quality day reads as easy once imported
        *weekly(5, 95, RunKind.LONG),
    ]


def test_runs_that_follow_the_pattern_propose_nothing() -> None:
    assert propose_pattern(PATTERN, as_planned(), TODAY) is None


def test_no_runs_is_a_break_not_a_new_pattern() -> None:
    assert propose_pattern(PATTERN, [], TODAY) is None


def test_a_long_run_moved_from_saturday_to_sunday() -> None:
    runs = [
        *weekly(1, 40, RunKind.EASY),
        *weekly(3, 45, RunKind.EASY),
        *weekly(6, 100, RunKind.LONG),
    ]
    found = propose_pattern(PATTERN, runs, TODAY)
    assert found is not None
    assert {c.weekday: (c.was.kind, c.now.kind) for c in found.changes} == {
        "sat": (RunKind.LONG, RunKind.REST),
        "sun": (RunKind.REST, RunKind.LONG),
    }
    assert found.runs["sun"] == PlannedRun(RunKind.LONG, 100)
    assert found.runs["thu"] == PlannedRun(RunKind.QUALITY, 45)  # kept as planned
    assert "sat" not in found.runs
    assert (found.first, found.last) == (MONDAY - timedelta(weeks=3), MONDAY - timedelta(days=1))
    assert found.profile_runs()["sun"] == {"kind": "long", "minutes": 100}


def test_a_fourth_run_day_in_two_of_three_weeks_is_added() -> None:
    runs = [*as_planned(), *weekly(4, 32, RunKind.EASY, weeks=2)]
    found = propose_pattern(PATTERN, runs, TODAY)
    assert found is not None
    assert [(c.weekday, c.now, c.weeks_run) for c in found.changes] == [
        ("fri", PlannedRun(RunKind.EASY, 30), 2)
    ]


def test_a_one_off_run_a_race_or_this_weeks_runs_change_nothing() -> None:
    one_off = [Run(MONDAY - timedelta(days=5), 30, RunKind.EASY)]  # one Wednesday
    races = [Run(d.date + timedelta(days=-2), 60, RunKind.RACE) for d in weekly(0, 1, RunKind.EASY)]
    this_week = [Run(MONDAY, 40, RunKind.EASY), Run(MONDAY + timedelta(days=1), 30, RunKind.EASY)]
    assert propose_pattern(PATTERN, [*as_planned(), *one_off, *races, *this_week], TODAY) is None


@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(5, 200), st.sampled_from(list(RunKind))),
        max_size=30,
    )
)
def test_a_proposal_never_keeps_a_day_the_runs_contradict(
    raw: list[tuple[int, int, RunKind]],
) -> None:
    runs = [Run(MONDAY - timedelta(days=21) + timedelta(days=d), m, k) for d, m, k in raw]
    found = propose_pattern(PATTERN, runs, TODAY)
    again = propose_pattern(found.runs, runs, TODAY) if found else None
    assert again is None  # taking the proposal makes the runs agree
