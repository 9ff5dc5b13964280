"""The weekly running pattern as the runs show it (issue 17 §3).

The planner places strength around the runner's weekly pattern (and around the runs that
actually happened, ``Calendar``). When the last three full weeks of runs contradict the
pattern — the long run moved from Saturday to Sunday, a fourth run day, a day no longer run —
kneecap proposes the pattern the runs show, and the runner decides.

A weekday counts as a run day when it held a run in most of those weeks; the long run is
where the runs were long. Imported runs carry no intent, so a planned quality day that was
run stays a quality day; races are one-offs and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from kneecap.core.planning.model import Run
from kneecap.core.profile import WEEKDAYS, PlannedRun, RunKind

PATTERN_WEEKS = 3  # the weeks of runs set against the pattern
MOST = 2  # a weekday run in at least this many of them is a run day


@dataclass(frozen=True, slots=True)
class DayChange:
    """One weekday the runs contradict: what the pattern says and what the runs show."""

    weekday: str  # mon…sun
    was: PlannedRun
    now: PlannedRun
    weeks_run: int  # of PATTERN_WEEKS

    def as_dict(self) -> dict[str, Any]:
        return {
            "weekday": self.weekday,
            "was": _run_dict(self.was),
            "now": _run_dict(self.now),
            "weeks_run": self.weeks_run,
        }


@dataclass(frozen=True, slots=True)
class PatternProposal:
    """The pattern the last weeks' runs show, and the days it changes."""

    first: date  # the Monday of the first week looked at
    last: date  # the Sunday of the last
    runs: Mapping[str, PlannedRun]  # the whole proposed pattern, keyed mon…sun
    changes: tuple[DayChange, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "runs": {day: _run_dict(run) for day, run in self.runs.items()},
            "changes": [c.as_dict() for c in self.changes],
        }

    def profile_runs(self) -> dict[str, dict[str, Any]]:
        """The proposal in the profile file's shape (``runs`` of the profile)."""
        return {day: _run_dict(run) for day, run in self.runs.items()}


def propose_pattern(
    pattern: Mapping[str, PlannedRun], runs: Iterable[Run], today: date
) -> PatternProposal | None:
    """The pattern the last ``PATTERN_WEEKS`` full weeks of runs show, when it differs from
    ``pattern`` in which days are run or where the long run is; None when it agrees or when
    those weeks hold no run at all (a break is not a new pattern)."""
    first = today - timedelta(days=today.weekday() + 7 * PATTERN_WEEKS)
    last = first + timedelta(days=7 * PATTERN_WEEKS - 1)
    seen = _by_weekday(r for r in runs if first <= r.date <= last and r.kind is not RunKind.RACE)
    if not seen:
        return None
    proposed: dict[str, PlannedRun] = {}
    changes = []
    for i, day in enumerate(WEEKDAYS):
        was = pattern.get(day, PlannedRun(RunKind.REST))
        found = seen.get(i, [])
        now = _shown(was, found)
        if now.kind is not RunKind.REST:
            proposed[day] = now
        if _differs(was, now):
            changes.append(DayChange(day, was, now, len(found)))
    if not changes:
        return None
    return PatternProposal(first, last, proposed, tuple(changes))


def _by_weekday(runs: Iterable[Run]) -> dict[int, list[Run]]:
    """Each weekday's runs, one per week (the day's longest when there were several)."""
    daily: dict[date, Run] = {}
    for run in runs:
        if run.date not in daily or run.minutes > daily[run.date].minutes:
            daily[run.date] = run
    days: dict[int, list[Run]] = {}
    for run in daily.values():
        days.setdefault(run.date.weekday(), []).append(run)
    return days


def _shown(was: PlannedRun, found: list[Run]) -> PlannedRun:
    """What one weekday's runs say it is."""
    if len(found) < MOST:
        return PlannedRun(RunKind.REST)
    long = sum(r.kind is RunKind.LONG for r in found) >= MOST
    if long:
        kind = RunKind.LONG
    elif was.kind in (RunKind.REST, RunKind.LONG):
        kind = Counter(r.kind for r in found).most_common(1)[0][0]
        kind = RunKind.EASY if kind is RunKind.LONG else kind
    else:
        kind = was.kind  # an easy or quality day that was run stays what it was planned as
    if kind is was.kind and was.minutes:
        return was
    return PlannedRun(kind, _round5(median(r.minutes for r in found)))


def _differs(was: PlannedRun, now: PlannedRun) -> bool:
    """A day changes when it starts or stops being a run day, or gains or loses the long run."""
    ran = was.kind is not RunKind.REST, now.kind is not RunKind.REST
    long = was.kind is RunKind.LONG, now.kind is RunKind.LONG
    return ran[0] != ran[1] or long[0] != long[1]


def _round5(minutes: float) -> int:
    return max(5, int(5 * round(minutes / 5)))


def _run_dict(run: PlannedRun) -> dict[str, Any]:
    return {"kind": run.kind.value, "minutes": run.minutes}
