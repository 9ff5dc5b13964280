"""The training log as typed values: sets done, pain ratings, sessions, and pins.

This is the shape of ``kneecap progress --log FILE`` (see docs/progression.md). Every value
is checked when it is built; an impossible one raises :class:`LogError` naming the field,
and the parser prefixes the field with its place in the file (``sessions[2].exercises[0]``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from kneecap.core.catalog.model import PRESCRIPTION_KEYS, Exercise
from kneecap.core.catalog.parse import PRESCRIPTION_LIMITS
from kneecap.core.screening import Leg

_T = TypeVar("_T")
_Day = date  # the type, where a field named ``date`` hides it
WHOLE_KEYS = frozenset({"sets", "reps", "rest_s", "flights"})
PAIN_MAX = 10  # rule 13: pain on a 0–10 numeric rating scale
# Bounds of one logged set; above these a number is a typo, not a set.
SET_LIMITS: dict[str, float] = {
    "reps": 1000,
    "hold_s": 3600,
    "distance_m": 10_000,
    "duration_s": 7200,
    "load_kg": 500,
    "flights": 200,
}


class LogError(ValueError):
    """A log value that cannot be right; ``field`` says where it is."""

    def __init__(self, field: str, problem: str, *, placed: bool = False) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field, self.problem = field, problem
        self.placed = placed  # ``field`` is already the full path in the file

    def under(self, prefix: str) -> LogError:
        """The same problem, its field placed under ``prefix``."""
        if self.placed or not prefix:
            return self
        field = f"{prefix}.{self.field}" if self.field else prefix
        return LogError(field, self.problem, placed=True)


class PainLocation(StrEnum):
    """Where it hurts (rule 13); muscle soreness is not knee pain (rule 20)."""

    JOINT = "joint"  # in or around the knee joint, the front of the knee
    TENDON = "tendon"
    BONE = "bone"  # a sore spot on a bone
    MUSCLE = "muscle"  # soreness in a worked muscle

    @property
    def counts(self) -> bool:
        """Whether the rating feeds the pain gate (rule 20: muscle soreness does not)."""
        return self is not PainLocation.MUSCLE


class PinnedBy(StrEnum):
    RUNNER = "runner"
    COACH = "coach"


@dataclass(frozen=True, slots=True)
class SetResult:
    """One set as done; the amounts that do not apply stay ``None``."""

    reps: int | None = None
    hold_s: float | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    load_kg: float | None = None
    flights: int | None = None
    side: Leg | None = None  # one leg of a per-side exercise; None: both, or not per side

    def __post_init__(self) -> None:
        for name, hi in SET_LIMITS.items():
            _check_amount(name, getattr(self, name), hi)


@dataclass(frozen=True, slots=True)
class ExerciseLog:
    """One exercise in a session: its level, the sets done and the pain while doing it."""

    exercise: str
    level: str
    sets: tuple[SetResult, ...] = ()
    pain_during: int | None = None  # rule 13: peak pain during this exercise
    pain_location: PainLocation = PainLocation.JOINT
    rpe: float | None = None  # effort 1–10 (rule 9)

    def __post_init__(self) -> None:
        _check_slug("exercise", self.exercise)
        _check_slug("level", self.level)
        _check_pain("pain_during", self.pain_during)
        if self.rpe is not None and not 1 <= self.rpe <= PAIN_MAX:
            raise LogError("rpe", f"{_show(self.rpe)} is outside 1–10")

    @property
    def knee_pain(self) -> int | None:
        """The rating the gate uses: ``None`` for muscle soreness (rule 20)."""
        return self.pain_during if self.pain_location.counts else None


@dataclass(frozen=True, slots=True)
class SessionLog:
    """A strength session: what was done and the pain after it and the next morning."""

    date: date
    exercises: tuple[ExerciseLog, ...] = ()
    pain_after: int | None = None
    pain_next_morning: int | None = None
    stiffness_next_morning: int | None = None  # 0–10, used by the week-to-week rule (18)
    pain_location: PainLocation = PainLocation.JOINT  # of the after and next-morning ratings
    swelling: bool = False  # new swelling (rule 38)
    twisted_or_fell: bool = False  # rule 38
    notes: str = ""

    def __post_init__(self) -> None:
        for name in ("pain_after", "pain_next_morning", "stiffness_next_morning"):
            _check_pain(name, getattr(self, name))
        if len(self.notes) > 2000:
            raise LogError("notes", "longer than 2000 characters")

    def knee(self, rating: int | None) -> int | None:
        """``rating`` when it is knee pain, ``None`` for muscle soreness (rule 20)."""
        return rating if self.pain_location.counts else None

    @property
    def morning(self) -> _Day:
        return date.fromordinal(self.date.toordinal() + 1)


@dataclass(frozen=True, slots=True)
class Pin:
    """A level or dose fixed by the runner or their coach; the engine keeps to it."""

    exercise: str
    level: str | None = None  # None: the level the engine would choose
    prescription: Mapping[str, float] | None = None  # changes to the level's start dose
    by: PinnedBy = PinnedBy.RUNNER
    paused: bool = False

    def __post_init__(self) -> None:
        _check_slug("exercise", self.exercise)
        if self.level is not None:
            _check_slug("level", self.level)
        for key, value in (self.prescription or {}).items():
            _check_dose(f"prescription.{key}", key, value)


@dataclass(frozen=True, slots=True)
class TrainingLog:
    sessions: tuple[SessionLog, ...] = ()  # in date order
    baseline_morning_pain: int = 0  # rule 14: the usual morning rating before training
    pins: tuple[Pin, ...] = ()

    def __post_init__(self) -> None:
        _check_pain("baseline_morning_pain", self.baseline_morning_pain)
        dates = [s.date for s in self.sessions]
        if dates != sorted(dates):
            raise LogError("sessions", "must be in date order")

    def before(self, day: date) -> TrainingLog:
        """The log as it stood on the morning of ``day``: sessions before it."""
        kept = tuple(s for s in self.sessions if s.date < day)
        return TrainingLog(kept, self.baseline_morning_pain, self.pins)

    def check_catalog(self, lookup: Callable[[str], Exercise]) -> None:
        """Raise naming the field when an exercise or level is not in the catalog."""
        for i, session in enumerate(self.sessions):
            for j, entry in enumerate(session.exercises):
                _check_known(entry.exercise, entry.level, lookup, f"sessions[{i}].exercises[{j}]")
        for i, pin in enumerate(self.pins):
            _check_known(pin.exercise, pin.level, lookup, f"pins[{i}]")


def _check_known(
    slug: str, level: str | None, lookup: Callable[[str], Exercise], where: str
) -> None:
    try:
        exercise = lookup(slug)
    except KeyError:
        raise LogError(f"{where}.exercise", f"no exercise {slug!r} in the catalog") from None
    if level is not None and all(lvl.slug != level for lvl in exercise.levels):
        raise LogError(f"{where}.level", f"{slug} has no level {level!r}")


# --- checks ---------------------------------------------------------------------------------


def _show(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _check_pain(name: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= PAIN_MAX:
        raise LogError(name, f"{value} is outside 0–10")


def _check_amount(name: str, value: float | None, hi: float) -> None:
    if value is not None and not 0 <= value <= hi:
        raise LogError(name, f"{_show(value)} is outside 0–{_show(hi)}")


def _check_dose(name: str, key: str, value: float) -> None:
    if key not in PRESCRIPTION_LIMITS:
        raise LogError(name, f"not a prescription key ({', '.join(PRESCRIPTION_KEYS)})")
    lo, hi = PRESCRIPTION_LIMITS[key]
    if key in WHOLE_KEYS and not float(value).is_integer():
        raise LogError(name, f"expected a whole number, got {_show(value)}")
    if not lo <= value <= hi:
        raise LogError(name, f"{_show(value)} is outside {_show(lo)}–{_show(hi)}")


def _check_slug(name: str, value: str) -> None:
    if not value or len(value) > 80 or not all(c.isalnum() or c in "-_" for c in value):
        raise LogError(name, f"{value!r} is not a slug (letters, digits and dashes)")


# --- parsing --------------------------------------------------------------------------------


def load_log_file(path: Path) -> TrainingLog:
    """Read a JSON training log."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise LogError("", f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LogError("", f"{path} is not valid JSON: {exc}") from None
    return parse_log(data)


def parse_log(data: Any) -> TrainingLog:
    """The log from its JSON shape; keys that do not apply may be omitted or null."""
    obj = _Obj(data, "")
    obj.only({"sessions", "baseline_morning_pain", "pins"})
    sessions = tuple(_session(o) for o in obj.items("sessions"))
    pins = tuple(_pin(o) for o in obj.items("pins"))
    return obj.build(
        lambda: TrainingLog(
            tuple(sorted(sessions, key=lambda s: s.date)),
            obj.whole("baseline_morning_pain") or 0,
            pins,
        )
    )


_SESSION_KEYS = {
    "date",
    "exercises",
    "pain_after",
    "pain_next_morning",
    "stiffness_next_morning",
    "pain_location",
    "swelling",
    "twisted_or_fell",
    "notes",
}


def _session(obj: _Obj) -> SessionLog:
    obj.only(_SESSION_KEYS)
    day, exercises = obj.day("date"), tuple(_exercise(o) for o in obj.items("exercises"))
    return obj.build(
        lambda: SessionLog(
            day,
            exercises,
            pain_after=obj.whole("pain_after"),
            pain_next_morning=obj.whole("pain_next_morning"),
            stiffness_next_morning=obj.whole("stiffness_next_morning"),
            pain_location=obj.location("pain_location"),
            swelling=obj.flag("swelling"),
            twisted_or_fell=obj.flag("twisted_or_fell"),
            notes=obj.text("notes"),
        )
    )


def _exercise(obj: _Obj) -> ExerciseLog:
    obj.only({"exercise", "level", "sets", "pain_during", "pain_location", "rpe"})
    sets = tuple(_set(o) for o in obj.items("sets"))
    return obj.build(
        lambda: ExerciseLog(
            obj.required_text("exercise"),
            obj.required_text("level"),
            sets,
            pain_during=obj.whole("pain_during"),
            pain_location=obj.location("pain_location"),
            rpe=obj.number("rpe"),
        )
    )


def _placed(field: str, problem: str) -> LogError:
    return LogError(field, problem, placed=True)


def _set(obj: _Obj) -> SetResult:
    obj.only({*SET_LIMITS, "side"})
    side = obj.text("side")
    if side and side not in {leg.value for leg in Leg}:
        raise _placed(f"{obj.path}.side", f"{side!r} is not one of left|right")
    return obj.build(
        lambda: SetResult(
            reps=obj.whole("reps"),
            hold_s=obj.number("hold_s"),
            distance_m=obj.number("distance_m"),
            duration_s=obj.number("duration_s"),
            load_kg=obj.number("load_kg"),
            flights=obj.whole("flights"),
            side=Leg(side) if side else None,
        )
    )


def _pin(obj: _Obj) -> Pin:
    obj.only({"exercise", "level", "prescription", "by", "paused"})
    dose = obj.child("prescription")
    changes = {k: dose.number(k) for k in dose.data} if dose is not None else None
    by = obj.text("by") or PinnedBy.RUNNER.value
    if by not in {p.value for p in PinnedBy}:
        raise _placed(f"{obj.path}.by", f"{by!r} is not one of runner|coach")
    level = obj.text("level") or None
    return obj.build(
        lambda: Pin(
            obj.required_text("exercise"),
            level,
            {k: v for k, v in (changes or {}).items() if v is not None} if dose else None,
            PinnedBy(by),
            obj.flag("paused"),
        )
    )


class _Obj:
    """One JSON object being read, with its path for error messages."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise _placed(path, "expected an object" if path else "the log must be a JSON object")
        self.data: dict[str, Any] = data
        self.path = path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def only(self, keys: set[str]) -> None:
        unknown = sorted(set(self.data) - keys)
        if unknown:
            raise _placed(self._name(unknown[0]), "unknown key")

    def build(self, make: Callable[[], _T]) -> _T:
        try:
            return make()
        except LogError as exc:
            raise exc.under(self.path) from None

    def items(self, key: str) -> list[_Obj]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise _placed(self._name(key), "expected a list")
        return [_Obj(v, f"{self._name(key)}[{i}]") for i, v in enumerate(value)]

    def child(self, key: str) -> _Obj | None:
        value = self.data.get(key)
        return None if value is None else _Obj(value, self._name(key))

    def whole(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _placed(self._name(key), f"expected a whole number, got {value!r}")
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _placed(self._name(key), f"expected a number, got {value!r}")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise _placed(self._name(key), "expected true or false")
        return value

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise _placed(self._name(key), f"expected text, got {value!r}")
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key)
        if not value:
            raise _placed(self._name(key), "is required")
        return value

    def day(self, key: str) -> date:
        value = self.required_text(key)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _placed(self._name(key), f"{value!r} is not an ISO date (YYYY-MM-DD)") from None

    def location(self, key: str) -> PainLocation:
        value = self.text(key) or PainLocation.JOINT.value
        try:
            return PainLocation(value)
        except ValueError:
            choices = "|".join(p.value for p in PainLocation)
            raise _placed(self._name(key), f"{value!r} is not one of {choices}") from None
