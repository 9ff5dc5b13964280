"""The progression engine's inputs and outputs as typed values, and the output's JSON shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from kneecap.core.catalog.model import PRESCRIPTION_KEYS, Equipment, Prescription
from kneecap.core.log import Pin
from kneecap.core.rules import DEFAULT_RULES
from kneecap.core.screening import Leg


class Action(StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    REGRESS = "regress"
    DELOAD = "deload"
    PAUSE = "pause"
    REFER = "refer"


@dataclass(frozen=True, slots=True)
class Context:
    """What the engine knows besides the log; the CLI builds it from the profile."""

    as_of: date  # the day the next session would be
    days_to_race: int | None = None  # next A race (rules 1, 31)
    days_to_long_run: int | None = None  # next long run or race of any priority (rule 27)
    load_spike: bool = False  # a warning-tier running load spike (rules 21, 29)
    deload_week: bool = False  # the program's deload week (rule 29)
    paused_legs: frozenset[Leg] = frozenset()  # rule 37, from the screening
    equipment: frozenset[Equipment] | None = None  # None: do not check
    pins: Mapping[str, Pin] = field(default_factory=dict)
    knee_pain_now: int | None = None  # from the profile (rule 38)
    blocked: str | None = None  # the screening stops the program (rules 35, 36)


@dataclass(frozen=True, slots=True)
class Move:
    """One step of the decision: an action, a dose, and why."""

    action: Action
    level: str
    prescription: Prescription | None
    why: tuple[str, ...]
    rules: tuple[int, ...]

    @classmethod
    def of(
        cls,
        action: Action,
        level: str,
        prescription: Prescription | None,
        why: str,
        rules: tuple[int, ...],
    ) -> Move:
        """A move with one reason, its rule numbers cited at its end."""
        return cls(action, level, prescription, (cite(why, rules),), rules)

    def said(self, why: str, rules: tuple[int, ...] = ()) -> Move:
        """The same move with one more reason."""
        return replace(self, why=(*self.why, cite(why, rules)), rules=(*self.rules, *rules))


def cite(text: str, rules: tuple[int, ...]) -> str:
    """ "Holding at 3 × 20: pain 4/10 during on Tuesday 3 March (rule 15)"."""
    ids = sorted(set(rules))
    if not ids:
        return text
    return f"{text} (rule{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))})"


@dataclass(frozen=True, slots=True)
class Decision:
    exercise: str
    action: Action
    level: str
    prescription: Prescription | None  # None: not this time (pause, refer)
    why: tuple[str, ...]
    rules: tuple[int, ...]
    side: Leg | None = None  # one leg only, the other being paused (rule 37)
    # rule 16: stop the exercise when pain during it goes above this (the rules in force)
    pain_ceiling: int = DEFAULT_RULES.amber_max

    def as_dict(self) -> dict[str, Any]:
        p = self.prescription
        dose: dict[str, Any] = {k: getattr(p, k) if p else None for k in PRESCRIPTION_KEYS}
        dose["per_side"] = p.per_side if p else None
        return {
            "exercise": self.exercise,
            "decision": self.action.value,
            "level": self.level,
            "prescription": dose,
            "side": self.side.value if self.side else None,
            "why": list(self.why),
            "rules": sorted(set(self.rules)),
            "pain_ceiling": self.pain_ceiling,
        }


class Missing(StrEnum):
    """A rating the pain gate needs and the log does not have (rules 6, 14)."""

    PAIN_DURING = "pain_during"  # during one exercise
    PAIN_NEXT_MORNING = "pain_next_morning"  # the morning after the session (its check-in)


@dataclass(frozen=True, slots=True)
class MissingRating:
    """One rating to ask for: the session's date, the exercise (``None`` for the next
    morning, which is the session's), and what is missing."""

    date: date
    exercise: str | None
    what: Missing

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "exercise": self.exercise, "what": self.what.value}


@dataclass(frozen=True, slots=True)
class Report:
    as_of: date
    exercises: tuple[Decision, ...]
    alerts: tuple[str, ...]
    missing: tuple[MissingRating, ...] = ()  # ratings that hold a dose: ask for them

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "exercises": [d.as_dict() for d in self.exercises],
            "alerts": list(self.alerts),
            "missing": [m.as_dict() for m in self.missing],
        }
