"""The plan as typed values, and its JSON shape (``kneecap plan --json``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from kneecap.core.catalog.model import Prescription, Stress
from kneecap.core.profile import RunKind
from kneecap.core.screening import Leg

# The item keys every consumer can rely on; unused ones are null.
ITEM_KEYS = (
    "sets",
    "reps",
    "hold_s",
    "rest_s",
    "distance_m",
    "duration_s",
    "load_kg",
    "flights",
)


class WeekKind(StrEnum):
    BUILD = "build"
    DELOAD = "deload"  # rule 29
    TAPER = "taper"  # the week before an A race's week (rule 31)
    RACE = "race"  # holds a race (rules 1, 31)
    RETURN = "return"  # back after a gap (rule 33)


@dataclass(frozen=True, slots=True)
class Run:
    """A run that happened or is logged for a date; it replaces the pattern on that date."""

    date: date
    minutes: int
    kind: RunKind = RunKind.EASY


class CurrentDose(NamedTuple):
    """Where an exercise stands now (the progression engine's output for one slug)."""

    level: str
    prescription: Prescription
    reason: str = ""
    rules: tuple[int, ...] = ()


KEY_RUNS = frozenset({RunKind.QUALITY, RunKind.LONG, RunKind.RACE})


@dataclass(frozen=True, slots=True)
class DayRun:
    """The running on one day: its hardest kind and the minutes in total."""

    kind: RunKind = RunKind.REST
    minutes: int = 0

    @property
    def key(self) -> bool:
        """A long run, key (quality) workout or race: rule 27's buffers protect it."""
        return self.kind in KEY_RUNS

    @property
    def is_rest(self) -> bool:
        return self.kind is RunKind.REST


@dataclass(frozen=True, slots=True)
class PlanItem:
    exercise: str
    level: str
    prescription: Prescription
    stress: Stress
    module: str
    rules: tuple[int, ...]
    side: Leg | None = None  # one leg only, when the other one is paused (rule 37)
    new: bool = False  # first time in the plan (rule 32)

    def as_dict(self) -> dict[str, Any]:
        p = self.prescription
        out: dict[str, Any] = {"exercise": self.exercise, "level": self.level}
        out.update({k: getattr(p, k) for k in ITEM_KEYS})
        out["per_side"] = p.per_side
        out["side"] = self.side.value if self.side else None
        out["stress"] = self.stress.value
        out["rules"] = list(self.rules)
        return out


@dataclass(frozen=True, slots=True)
class Session:
    date: date
    minutes: int
    why: tuple[str, ...]
    items: tuple[PlanItem, ...]
    run: DayRun = DayRun()

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "minutes": self.minutes,
            "run": {"kind": self.run.kind.value, "minutes": self.run.minutes},
            "why": list(self.why),
            "items": [i.as_dict() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class Week:
    start: date
    kind: WeekKind
    sessions: tuple[Session, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "kind": self.kind.value,
            "sessions": [s.as_dict() for s in self.sessions],
        }


@dataclass(frozen=True, slots=True)
class Blocked:
    """Screening stopped the plan (rules 35, 36): why, and what to do."""

    reason: str
    advice: str


@dataclass(frozen=True, slots=True)
class Plan:
    weeks: tuple[Week, ...]
    warnings: tuple[str, ...] = ()
    blocked: Blocked | None = None

    def sessions(self) -> Iterator[Session]:
        for week in self.weeks:
            yield from week.sessions

    def as_dict(self) -> dict[str, Any]:
        blocked = self.blocked
        return {
            "weeks": [w.as_dict() for w in self.weeks],
            "warnings": list(self.warnings),
            "blocked": {"reason": blocked.reason, "advice": blocked.advice} if blocked else None,
        }
