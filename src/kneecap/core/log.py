"""The training log as typed values: the one model of a session, from the runner's hand to
the progression engine.

A session, an exercise entry, a set, a morning check-in and a pin are each defined once
here, with every field's bounds and meaning (``Spec``). Everything else derives from these
definitions: the JSON shape of ``kneecap progress --log FILE`` (docs/progression.md), the
database columns (``kneecap.db``), the REST API's schemas and the CLI's options. Every value
is checked when it is built; an impossible one raises :class:`LogError` naming the field, and
the parser prefixes the field with its place in the file (``sessions[2].exercises[0]``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date, timedelta
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
NOTES_MAX = 2000


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

    MUSCLE = "muscle"  # soreness in a worked muscle
    JOINT = "joint"  # in or around the knee joint, the front of the knee
    TENDON = "tendon"
    BONE = "bone"  # a sore spot on a bone


def counts(location: PainLocation | None) -> bool:
    """Whether a rating feeds the pain gate: muscle soreness does not (rule 20); a rating
    whose place was not given counts, because missing data is never good news."""
    return location is not PainLocation.MUSCLE


class PinnedBy(StrEnum):
    RUNNER = "runner"
    COACH = "coach"


# --- one definition per field -----------------------------------------------------------


class Kind(StrEnum):
    WHOLE = "whole"  # a whole number
    NUMBER = "number"
    FLAG = "flag"  # true or false
    TEXT = "text"
    SLUG = "slug"  # a catalog slug
    DATE = "date"  # YYYY-MM-DD
    CHOICE = "choice"  # one of an enum's values
    LIST = "list"  # of another logged type


@dataclass(frozen=True, slots=True)
class Spec:
    """How a field is written, its bounds and what it means (for docs, API and CLI)."""

    kind: Kind
    doc: str
    lo: float | None = None
    hi: float | None = None
    choices: type[StrEnum] | None = None
    item: type[Any] | None = None  # the type in a LIST
    required: bool = False  # must be given (the rest may be left out or null)

    def bounds(self) -> str:
        return f"{_show(self.lo or 0)}–{_show(self.hi or 0)}"


def _m(kind: Kind, doc: str, **more: Any) -> dict[str, Spec]:
    """A field's metadata: its spec."""
    return {"spec": Spec(kind, doc, **more)}


def _pain(doc: str) -> dict[str, Spec]:
    return _m(Kind.WHOLE, doc, lo=0, hi=PAIN_MAX)


def spec_of(cls: type[Any], name: str) -> Spec:
    found: Spec = next(f for f in fields(cls) if f.name == name).metadata["spec"]
    return found


def specs(cls: type[Any]) -> tuple[tuple[str, Spec], ...]:
    """The fields of a logged type in order, with their specs."""
    return _SPECS[cls]


def field_default(cls: type[Any], name: str) -> Any:
    f = next(f for f in fields(cls) if f.name == name)
    return None if f.default is MISSING else f.default


# --- the values --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetResult:
    """One set as done; the amounts that do not apply stay ``None``."""

    reps: int | None = field(
        default=None, metadata=_m(Kind.WHOLE, "repetitions done", lo=0, hi=1000)
    )
    hold_s: float | None = field(
        default=None,
        metadata=_m(Kind.NUMBER, "seconds held (per rep, or the whole hold)", lo=0, hi=3600),
    )
    distance_m: float | None = field(
        default=None, metadata=_m(Kind.NUMBER, "metres covered", lo=0, hi=10_000)
    )
    duration_s: float | None = field(
        default=None, metadata=_m(Kind.NUMBER, "seconds of timed work", lo=0, hi=7200)
    )
    load_kg: float | None = field(
        default=None, metadata=_m(Kind.NUMBER, "added load in kilograms", lo=0, hi=500)
    )
    flights: int | None = field(
        default=None, metadata=_m(Kind.WHOLE, "flights of stairs", lo=0, hi=200)
    )
    side: Leg | None = field(
        default=None,
        metadata=_m(
            Kind.CHOICE, "the leg of a per-side exercise; null: both, or not per side", choices=Leg
        ),
    )

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True, slots=True)
class ExerciseLog:
    """One exercise in a session: its level, the sets done and the pain while doing it."""

    exercise: str = field(metadata=_m(Kind.SLUG, "the exercise's catalog slug", required=True))
    level: str = field(metadata=_m(Kind.SLUG, "the level's slug", required=True))
    sets: tuple[SetResult, ...] = field(
        default=(), metadata=_m(Kind.LIST, "the sets done", item=SetResult)
    )
    pain_during: int | None = field(
        default=None, metadata=_pain("peak knee pain during this exercise, 0–10 (rule 13)")
    )
    pain_location: PainLocation | None = field(
        default=None,
        metadata=_m(
            Kind.CHOICE,
            "where it hurt; muscle soreness stays out of the pain gate (rule 20); "
            "null: not said, counted as knee pain",
            choices=PainLocation,
        ),
    )
    rpe: float | None = field(
        default=None,
        metadata=_m(Kind.NUMBER, "effort for this exercise, 0–10 (rule 9)", lo=0, hi=10),
    )

    def __post_init__(self) -> None:
        _check(self)

    @property
    def knee_pain(self) -> int | None:
        """The rating the gate uses: ``None`` for muscle soreness (rule 20)."""
        return self.pain_during if counts(self.pain_location) else None


@dataclass(frozen=True, slots=True)
class Checkin:
    """The morning check-in: how the knee feels on waking (rules 13, 17, 18)."""

    date: _Day = field(metadata=_m(Kind.DATE, "the morning it is about", required=True))
    pain: int = field(
        metadata=_m(Kind.WHOLE, "knee pain this morning, 0–10", lo=0, hi=PAIN_MAX, required=True)
    )
    stiffness: int | None = field(
        default=None,
        metadata=_m(Kind.WHOLE, "morning stiffness, 0–10 (rule 18)", lo=0, hi=PAIN_MAX),
    )
    swelling: bool = field(
        default=False, metadata=_m(Kind.FLAG, "the knee is swollen this morning (rule 38)")
    )
    pain_location: PainLocation | None = field(
        default=None,
        metadata=_m(
            Kind.CHOICE,
            "where it hurts; null: not said, counted as knee pain",
            choices=PainLocation,
        ),
    )

    def __post_init__(self) -> None:
        _check(self)

    @property
    def knee_pain(self) -> int | None:
        return self.pain if counts(self.pain_location) else None


@dataclass(frozen=True, slots=True)
class SessionLog:
    """A strength session: what was done, and the pain before, after and the next morning."""

    date: _Day = field(metadata=_m(Kind.DATE, "the day of the session", required=True))
    exercises: tuple[ExerciseLog, ...] = field(
        default=(), metadata=_m(Kind.LIST, "the exercises done, in order", item=ExerciseLog)
    )
    pain_before: int | None = field(
        default=None, metadata=_pain("knee pain before the session, 0–10 (rule 13)")
    )
    pain_after: int | None = field(
        default=None, metadata=_pain("knee pain right after the session, 0–10 (rule 13)")
    )
    pain_location: PainLocation | None = field(
        default=None,
        metadata=_m(
            Kind.CHOICE,
            "where the before and after ratings were; muscle keeps them out of the gate",
            choices=PainLocation,
        ),
    )
    pain_next_morning: int | None = field(
        default=None,
        metadata=_pain(
            "knee pain the next morning, 0–10; stored as that morning's check-in (rule 17)"
        ),
    )
    stiffness_next_morning: int | None = field(
        default=None,
        metadata=_m(Kind.WHOLE, "stiffness the next morning, 0–10 (rule 18)", lo=0, hi=PAIN_MAX),
    )
    pain_location_next_morning: PainLocation | None = field(
        default=None,
        metadata=_m(
            Kind.CHOICE,
            "where the next-morning rating was; left out in a file or request: as pain_location",
            choices=PainLocation,
        ),
    )
    swelling: bool = field(
        default=False, metadata=_m(Kind.FLAG, "new swelling noticed with this session (rule 38)")
    )
    twisted_or_fell: bool = field(
        default=False, metadata=_m(Kind.FLAG, "the knee twisted or the runner fell (rule 38)")
    )
    minutes: float | None = field(
        default=None,
        metadata=_m(Kind.NUMBER, "how long the session took, minutes (rule 25)", lo=0, hi=600),
    )
    rpe: float | None = field(
        default=None,
        metadata=_m(
            Kind.NUMBER, "session effort 0–10, asked after the session (rule 25)", lo=0, hi=10
        ),
    )
    notes: str = field(
        default="", metadata=_m(Kind.TEXT, f"free text, up to {NOTES_MAX} characters", hi=NOTES_MAX)
    )

    def __post_init__(self) -> None:
        _check(self)
        if self.pain_next_morning is None:
            for name in ("stiffness_next_morning", "pain_location_next_morning"):
                if getattr(self, name) is not None:
                    raise LogError(name, "needs pain_next_morning (the morning check-in)")

    def knee(self, rating: int | None) -> int | None:
        """``rating`` (before or after) when it is knee pain, ``None`` for soreness (rule 20)."""
        return rating if counts(self.pain_location) else None

    @property
    def morning_knee_pain(self) -> int | None:
        """The next-morning rating when it is knee pain (rule 20)."""
        return self.pain_next_morning if counts(self.pain_location_next_morning) else None

    @property
    def morning(self) -> _Day:
        return self.date + timedelta(days=1)

    def checkin(self) -> Checkin | None:
        """The next morning's answers as the check-in they are stored as."""
        if self.pain_next_morning is None:
            return None
        return Checkin(
            self.morning,
            self.pain_next_morning,
            self.stiffness_next_morning,
            pain_location=self.pain_location_next_morning,
        )


@dataclass(frozen=True, slots=True)
class Pin:
    """A level or dose fixed by the runner or their coach; the engine keeps to it."""

    exercise: str = field(metadata=_m(Kind.SLUG, "the exercise's catalog slug", required=True))
    level: str | None = field(
        default=None, metadata=_m(Kind.SLUG, "a level's slug; null: the engine's level")
    )
    prescription: Mapping[str, float] | None = None  # changes to the level's start dose
    by: PinnedBy = field(
        default=PinnedBy.RUNNER, metadata=_m(Kind.CHOICE, "who pinned it", choices=PinnedBy)
    )
    paused: bool = field(default=False, metadata=_m(Kind.FLAG, "the exercise is paused"))
    note: str = field(default="", metadata=_m(Kind.TEXT, "why, in a few words", hi=300))

    def __post_init__(self) -> None:
        _check(self)
        for key, value in (self.prescription or {}).items():
            _check_dose(f"prescription.{key}", key, value)


class RunType(StrEnum):
    """What a run was, as the runner logs it (imported runs may leave it unsaid)."""

    EASY = "easy"
    QUALITY = "quality"  # a key workout: intervals, tempo (rule 27)
    LONG = "long"
    RACE = "race"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class RunLog:
    """A run logged by hand (or an imported run's corrections)."""

    date: _Day = field(metadata=_m(Kind.DATE, "the day of the run", required=True))
    minutes: float = field(
        metadata=_m(Kind.NUMBER, "how long it took, minutes", lo=1, hi=24 * 60, required=True)
    )
    distance_m: float | None = field(
        default=None, metadata=_m(Kind.NUMBER, "distance in metres", lo=0, hi=500_000)
    )
    kind: RunType = field(
        default=RunType.EASY, metadata=_m(Kind.CHOICE, "what the run was", choices=RunType)
    )
    rpe: int | None = field(
        default=None,
        metadata=_m(Kind.WHOLE, "effort 0–10, for the session load (rule 25)", lo=0, hi=10),
    )
    name: str = field(default="", metadata=_m(Kind.TEXT, "a title", hi=200))
    stopped_for_pain: bool = field(
        default=False, metadata=_m(Kind.FLAG, "the run was stopped early for pain (rule 38)")
    )

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True, slots=True)
class TrainingLog:
    sessions: tuple[SessionLog, ...] = ()  # in date order
    baseline_morning_pain: int = 0  # rule 14: the usual morning rating before training
    pins: tuple[Pin, ...] = ()
    checkins: tuple[Checkin, ...] = ()  # in date order, one a day

    def __post_init__(self) -> None:
        _check_pain("baseline_morning_pain", self.baseline_morning_pain)
        dates = [s.date for s in self.sessions]
        if dates != sorted(dates):
            raise LogError("sessions", "must be in date order")
        mornings = [c.date for c in self.checkins]
        if mornings != sorted(set(mornings)):
            raise LogError("checkins", "must be in date order, one a day")

    def before(self, day: date) -> TrainingLog:
        """The log as it stood on the morning of ``day``: sessions before it, and the
        check-ins up to that morning."""
        if (not self.sessions or self.sessions[-1].date < day) and (
            not self.checkins or self.checkins[-1].date <= day
        ):
            return self  # nothing to leave out (the usual case: the log as of today)
        kept = tuple(s for s in self.sessions if s.date < day)
        mornings = tuple(c for c in self.checkins if c.date <= day)
        return TrainingLog(kept, self.baseline_morning_pain, self.pins, mornings)

    def check_catalog(self, lookup: Callable[[str], Exercise]) -> None:
        """Raise naming the field when an exercise or level is not in the catalog."""
        # Each distinct pair once; the place of a bad one is then found session by session.
        pairs = {(e.exercise, e.level) for s in self.sessions for e in s.exercises}
        known = all(_is_known(slug, level, lookup) for slug, level in pairs)
        for i, session in enumerate(() if known else self.sessions):
            for j, entry in enumerate(session.exercises):
                _check_known(entry.exercise, entry.level, lookup, f"sessions[{i}].exercises[{j}]")
        for i, pin in enumerate(self.pins):
            _check_known(pin.exercise, pin.level, lookup, f"pins[{i}]")


def with_mornings(
    sessions: list[SessionLog], checkins: list[Checkin]
) -> tuple[tuple[SessionLog, ...], tuple[Checkin, ...]]:
    """Sessions and check-ins made consistent: a session's next-morning answers are the
    check-in of the day after it, whichever of the two was written down.

    A session that gives a next morning with no check-in adds that check-in; one that leaves
    it out takes the check-in's; two different answers for the same morning are an error.
    """
    by_day = {c.date: c for c in checkins}
    out = []
    for i, s in enumerate(sessions):
        given, stored = s.checkin(), by_day.get(s.morning)
        if given is not None and stored is None:
            by_day[s.morning] = given
        elif given is not None and stored is not None and _differs(given, stored):
            raise LogError(
                f"sessions[{i}].pain_next_morning",
                f"differs from the check-in of {s.morning.isoformat()}",
                placed=True,
            )
        elif given is None and stored is not None:
            s = _filled(s, stored)
        out.append(s)
    return tuple(out), tuple(by_day[d] for d in sorted(by_day))


def _differs(given: Checkin, stored: Checkin) -> bool:
    return (given.pain, given.stiffness, given.pain_location) != (
        stored.pain,
        stored.stiffness,
        stored.pain_location,
    )


def _filled(s: SessionLog, morning: Checkin) -> SessionLog:
    return replace(
        s,
        pain_next_morning=morning.pain,
        stiffness_next_morning=morning.stiffness,
        pain_location_next_morning=morning.pain_location,
    )


def _is_known(slug: str, level: str, lookup: Callable[[str], Exercise]) -> bool:
    try:
        _check_known(slug, level, lookup, "")
    except LogError:
        return False
    return True


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


def _check(obj: Any) -> None:
    """Every field within its spec's bounds (the types are the parser's job)."""
    for name, kind, lo, hi, required in _CHECKS[type(obj)]:
        value = getattr(obj, name)
        if value is None or value == "":
            if required:
                raise LogError(name, "is required")
        elif kind is Kind.NUMBER:
            if not lo <= value <= hi:
                raise LogError(name, f"{_show(value)} is outside {_show(lo)}–{_show(hi)}")
        elif kind is Kind.SLUG:
            _check_slug(name, value)
        elif kind is Kind.TEXT:
            if len(value) > hi:
                raise LogError(name, f"longer than {_show(hi)} characters")
            if "\x00" in value:  # no database keeps it, and no person types it
                raise LogError(name, "contains a NUL character")


def _check_dose(name: str, key: str, value: float) -> None:
    if key not in PRESCRIPTION_LIMITS:
        raise LogError(name, f"not a prescription key ({', '.join(PRESCRIPTION_KEYS)})")
    lo, hi = PRESCRIPTION_LIMITS[key]
    if key in WHOLE_KEYS and not float(value).is_integer():
        raise LogError(name, f"expected a whole number, got {_show(value)}")
    if not lo <= value <= hi:
        raise LogError(name, f"{_show(value)} is outside {_show(lo)}–{_show(hi)}")


def _check_slug(name: str, value: str) -> None:
    if len(value) > 80 or _SLUG.fullmatch(value) is None:
        raise LogError(name, f"{value!r} is not a slug (letters, digits and dashes)")


_LOGGED: tuple[type[Any], ...] = (SetResult, ExerciseLog, Checkin, SessionLog, Pin, RunLog)
_SPECS: dict[type[Any], tuple[tuple[str, Spec], ...]] = {
    cls: tuple((f.name, f.metadata["spec"]) for f in fields(cls) if "spec" in f.metadata)
    for cls in _LOGGED
}
# Only what needs a check: bounds (whole numbers and numbers alike), slugs, text lengths,
# required fields; as (name, kind, lo, hi, required), in field order.
_CHECKS = {
    cls: tuple(
        (
            name,
            Kind.NUMBER if spec.kind is Kind.WHOLE else spec.kind,
            spec.lo or 0,
            spec.hi or 0,
            spec.required,
        )
        for name, spec in found
        if spec.required or spec.kind in (Kind.WHOLE, Kind.NUMBER, Kind.SLUG, Kind.TEXT)
    )
    for cls, found in _SPECS.items()
}
# The keys of each type's JSON object.
_KEYS = {
    cls: {name for name, _ in found} | ({"prescription"} if cls is Pin else set())
    for cls, found in _SPECS.items()
}
# str.isalnum() or "-" or "_", character by character: \w is exactly isalnum() or "_".
_SLUG = re.compile(r"[\w-]+")


# --- the JSON shape: one pair of functions --------------------------------------------------


def to_json(obj: Any) -> dict[str, Any]:
    """A logged value (set, entry, check-in, session, pin, log) as its JSON object.

    Every field is written, null where not given, so what comes back is what went in.
    """
    if isinstance(obj, TrainingLog):
        return {
            "baseline_morning_pain": obj.baseline_morning_pain,
            "sessions": [to_json(s) for s in obj.sessions],
            "checkins": [to_json(c) for c in obj.checkins],
            "pins": [to_json(p) for p in obj.pins],
        }
    out: dict[str, Any] = {}
    for name, spec in specs(type(obj)):
        out[name] = _json_value(spec, getattr(obj, name))
    if isinstance(obj, Pin):
        out["prescription"] = dict(obj.prescription) if obj.prescription else None
    return out


def _json_value(spec: Spec, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind is Kind.LIST:
        return [to_json(v) for v in value]
    if spec.kind is Kind.DATE:
        return value.isoformat()
    if spec.kind is Kind.CHOICE:
        return value.value
    return value


def from_json(cls: type[_T], data: Any, path: str = "") -> _T:
    """A logged value from its JSON object; raises LogError naming the field by its path."""
    obj = _Obj(data, path)
    obj.only(_KEYS[cls])
    values = {name: obj.read(name, spec) for name, spec in specs(cls)}
    if cls is Pin:
        dose = obj.child("prescription")
        changes = {k: dose.number(k) for k in dose.data} if dose is not None else None
        values["prescription"] = (
            {k: v for k, v in (changes or {}).items() if v is not None} if dose else None
        )
    if (
        cls is SessionLog
        and values["pain_next_morning"] is not None
        and ("pain_location_next_morning" not in obj.data)
    ):
        # The file's documented meaning: one place for the after and next-morning ratings,
        # unless the next morning names its own (null included: that says "not said").
        values["pain_location_next_morning"] = (
            values["pain_location_next_morning"] or values["pain_location"]
        )
    return obj.build(lambda: cls(**{k: v for k, v in values.items() if v is not None}))


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
    obj.only({"sessions", "baseline_morning_pain", "pins", "checkins"})
    sessions = [from_json(SessionLog, o.data, o.path) for o in obj.items("sessions")]
    checkins = [from_json(Checkin, o.data, o.path) for o in obj.items("checkins")]
    pins = tuple(from_json(Pin, o.data, o.path) for o in obj.items("pins"))
    order = sorted(range(len(sessions)), key=lambda i: sessions[i].date)
    checkins.sort(key=lambda c: c.date)
    if len({c.date for c in checkins}) != len(checkins):
        raise LogError("checkins", "one check-in a day")
    ordered, mornings = with_mornings([sessions[i] for i in order], checkins)
    return obj.build(
        lambda: TrainingLog(ordered, obj.whole("baseline_morning_pain") or 0, pins, mornings)
    )


def _placed(field: str, problem: str) -> LogError:
    return LogError(field, problem, placed=True)


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

    def read(self, key: str, spec: Spec) -> Any:
        if spec.kind is Kind.LIST and spec.item is not None:
            return tuple(from_json(spec.item, o.data, o.path) for o in self.items(key))
        if spec.required and self.data.get(key) in (None, ""):
            raise _placed(self._name(key), "is required")
        return _READERS[spec.kind](self, key, spec)

    def items(self, key: str) -> Iterator[_Obj]:
        value = self.data.get(key)
        if value is None:
            return iter(())
        if not isinstance(value, list):
            raise _placed(self._name(key), "expected a list")
        return (_Obj(v, f"{self._name(key)}[{i}]") for i, v in enumerate(value))

    def child(self, key: str) -> _Obj | None:
        value = self.data.get(key)
        return None if value is None else _Obj(value, self._name(key))

    def whole(self, key: str, spec: Spec | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _placed(self._name(key), f"expected a whole number, got {value!r}")
        return value

    def number(self, key: str, spec: Spec | None = None) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _placed(self._name(key), f"expected a number, got {value!r}")
        return float(value)

    def flag(self, key: str, spec: Spec | None = None) -> bool | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            raise _placed(self._name(key), "expected true or false")
        return value

    def text(self, key: str, spec: Spec | None = None) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _placed(self._name(key), f"expected text, got {value!r}")
        return value

    def day(self, key: str, spec: Spec | None = None) -> date | None:
        value = self.text(key)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _placed(self._name(key), f"{value!r} is not an ISO date (YYYY-MM-DD)") from None

    def choice(self, key: str, spec: Spec | None = None) -> StrEnum | None:
        value = self.text(key)
        if not value or spec is None or spec.choices is None:
            return None
        try:
            return spec.choices(value)
        except ValueError:
            options = "|".join(c.value for c in spec.choices)
            raise _placed(self._name(key), f"{value!r} is not one of {options}") from None


_READERS: dict[Kind, Callable[[_Obj, str, Spec], Any]] = {
    Kind.WHOLE: _Obj.whole,
    Kind.NUMBER: _Obj.number,
    Kind.FLAG: _Obj.flag,
    Kind.TEXT: _Obj.text,
    Kind.SLUG: _Obj.text,
    Kind.DATE: _Obj.day,
    Kind.CHOICE: _Obj.choice,
}
