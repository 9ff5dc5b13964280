"""The runner's days: the weekly pattern, overridden by actual runs, with the races on top."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from kneecap.core.planning.model import DayRun, Run
from kneecap.core.profile import Priority, Profile, RunKind

_HARDNESS = {
    RunKind.REST: 0,
    RunKind.EASY: 1,
    RunKind.QUALITY: 2,
    RunKind.LONG: 3,
    RunKind.RACE: 4,
}
LOOKAHEAD_DAYS = 7


@dataclass(frozen=True, slots=True)
class Calendar:
    profile: Profile
    actual: Mapping[date, DayRun]
    races: Mapping[date, Priority]

    @classmethod
    def build(cls, profile: Profile, runs: Iterable[Run]) -> Calendar:
        actual: dict[date, DayRun] = {}
        for run in runs:
            before = actual.get(run.date, DayRun())
            kind = max(before.kind, run.kind, key=_HARDNESS.__getitem__)
            actual[run.date] = DayRun(kind, before.minutes + run.minutes)
        races: dict[date, Priority] = {}
        for race in profile.races:
            races[race.date] = min(races.get(race.date, race.priority), race.priority)
        return cls(profile, actual, races)

    def run_on(self, day: date) -> DayRun:
        """An actual run wins over the pattern; a race date is a race whatever the pattern."""
        run = self.actual.get(day)
        if run is None:
            planned = self.profile.run_on(day.weekday())
            run = DayRun(planned.kind, planned.minutes)
        if day in self.races:
            return DayRun(RunKind.RACE, run.minutes)
        return run

    def next_key(self, day: date) -> tuple[int, DayRun] | None:
        """Days to the next long run, key workout or race after ``day``, within a week."""
        for k in range(1, LOOKAHEAD_DAYS + 1):
            run = self.run_on(day + timedelta(days=k))
            if run.key:
                return k, run
        return None

    def days_to_a_race(self, day: date) -> tuple[int, date] | None:
        """The next A race on or after ``day`` (the goal races of rules 1 and 31)."""
        ahead = sorted(d for d, p in self.races.items() if p is Priority.A and d >= day)
        return ((ahead[0] - day).days, ahead[0]) if ahead else None

    def a_races_within(self, day: date, days: int) -> tuple[date, ...]:
        """A races from ``day`` to ``days - 1`` days after it."""
        last = day + timedelta(days=days - 1)
        return tuple(
            sorted(d for d, p in self.races.items() if p is Priority.A and day <= d <= last)
        )

    def races_between(self, first: date, last: date, *, a_only: bool) -> bool:
        return any(
            first <= d <= last and (p is Priority.A or not a_only) for d, p in self.races.items()
        )
