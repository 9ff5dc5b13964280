"""The runner's profile: weekly running pattern, races, equipment, preferences, screening.

This is the shape of ``kneecap plan --profile FILE`` and of the web onboarding. Parsing
validates every field and names the one that is wrong.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from kneecap.core.catalog.model import Equipment
from kneecap.core.screening import QUESTION_IDS
from kneecap.core.units import Units

_E = TypeVar("_E", bound=StrEnum)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the field."""


class RunKind(StrEnum):
    REST = "rest"
    EASY = "easy"
    QUALITY = "quality"
    LONG = "long"
    RACE = "race"


class Experience(StrEnum):
    NOVICE = "novice"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Priority(StrEnum):
    A = "A"
    B = "B"
    C = "C"


@dataclass(frozen=True, slots=True)
class PlannedRun:
    kind: RunKind
    minutes: int = 0


@dataclass(frozen=True, slots=True)
class Race:
    date: date
    priority: Priority = Priority.A
    distance_km: float | None = None  # shown with the race; the planner does not use it


@dataclass(frozen=True, slots=True)
class Profile:
    start_date: date
    weeks: int = 4
    runs: Mapping[str, PlannedRun] = field(default_factory=dict)  # keyed mon…sun
    races: tuple[Race, ...] = ()
    equipment: frozenset[Equipment] = frozenset()
    sessions_per_week: int = 2
    minutes_per_session: int = 30
    experience: Experience = Experience.NOVICE
    knee_pain_now: int = 0
    knee_pain_where: str = ""  # where it hurts now, in the runner's words (rule 13)
    screening: Mapping[str, bool] = field(default_factory=dict)
    units: Units = Units.METRIC  # how distances and loads are shown (stored metric always)

    def run_on(self, weekday: int) -> PlannedRun:
        """The planned run for a weekday (0 = Monday); rest when none is given."""
        return self.runs.get(WEEKDAYS[weekday], PlannedRun(RunKind.REST))


def load_profile_file(path: Path) -> Profile:
    """Read a JSON or TOML profile file (by suffix; JSON otherwise)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"cannot read {path}: {exc.strerror}") from None
    try:
        if path.suffix.lower() == ".toml":
            data: Any = tomllib.loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ProfileError(
            f"{path} is not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}"
        ) from None
    return parse_profile(data)


def parse_profile(data: Any) -> Profile:
    if not isinstance(data, dict):
        raise ProfileError("profile must be an object")
    unknown = set(data) - _KNOWN
    if unknown:
        raise ProfileError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    return Profile(
        start_date=_date(data.get("start_date"), "start_date"),
        weeks=_int(data.get("weeks", 4), "weeks", 1, 52),
        runs=_runs(data.get("runs", {})),
        races=tuple(_race(r, i) for i, r in enumerate(_list(data.get("races", []), "races"))),
        equipment=frozenset(_equipment(data.get("equipment", []))),
        sessions_per_week=_int(data.get("sessions_per_week", 2), "sessions_per_week", 0, 7),
        minutes_per_session=_int(
            data.get("minutes_per_session", 30), "minutes_per_session", 5, 180
        ),
        experience=_enum(Experience, data.get("experience", "novice"), "experience"),
        knee_pain_now=_int(data.get("knee_pain_now", 0), "knee_pain_now", 0, 10),
        knee_pain_where=_text(data.get("knee_pain_where", ""), "knee_pain_where", 200),
        screening=_screening(data.get("screening", {})),
        units=_enum(Units, data.get("units", "metric"), "units"),
    )


_KNOWN = frozenset(
    {
        "start_date",
        "weeks",
        "runs",
        "races",
        "equipment",
        "sessions_per_week",
        "minutes_per_session",
        "experience",
        "knee_pain_now",
        "knee_pain_where",
        "screening",
        "units",
    }
)


def _date(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ProfileError(f"{name}: expected an ISO date like 2026-03-02")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ProfileError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _text(value: Any, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"{name}: expected text")
    if len(value) > limit or any(ord(c) < 32 for c in value):
        raise ProfileError(f"{name}: at most {limit} characters on one line")
    return value.strip()


def _int(value: Any, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProfileError(f"{name}: expected a whole number, got {value!r}")
    if not lo <= value <= hi:
        raise ProfileError(f"{name}: {value} is outside {lo}–{hi}")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ProfileError(f"{name}: expected a list")
    return value


def _enum(kind: type[_E], value: Any, name: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        choices = "|".join(m.value for m in kind)
        raise ProfileError(f"{name}: {value!r} is not one of {choices}") from None


def _runs(value: Any) -> dict[str, PlannedRun]:
    if not isinstance(value, dict):
        raise ProfileError("runs: expected an object keyed mon…sun")
    runs: dict[str, PlannedRun] = {}
    for day, spec in value.items():
        if day not in WEEKDAYS:
            raise ProfileError(f"runs: {day!r} is not one of {', '.join(WEEKDAYS)}")
        if not isinstance(spec, dict):
            raise ProfileError(f'runs.{day}: expected {{"kind": …, "minutes": …}}')
        kind = _enum(RunKind, spec.get("kind", "rest"), f"runs.{day}.kind")
        minutes = _int(spec.get("minutes", 0), f"runs.{day}.minutes", 0, 24 * 60)
        runs[day] = PlannedRun(kind, 0 if kind is RunKind.REST else minutes)
    return runs


def _race(value: Any, i: int) -> Race:
    if not isinstance(value, dict):
        raise ProfileError(f'races[{i}]: expected {{"date": …, "priority": …}}')
    distance = value.get("distance_km")
    return Race(
        _date(value.get("date"), f"races[{i}].date"),
        _enum(Priority, value.get("priority", "A"), f"races[{i}].priority"),
        None if distance is None else _distance(distance, f"races[{i}].distance_km"),
    )


def _distance(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProfileError(f"{name}: expected a number of kilometres, got {value!r}")
    if not 0 < value <= 1000:
        raise ProfileError(f"{name}: {value} is outside 0–1000 km")
    return float(value)


def _equipment(value: Any) -> list[Equipment]:
    return [_enum(Equipment, v, "equipment") for v in _list(value, "equipment")]


def _screening(value: Any) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise ProfileError("screening: expected an object of question id → true/false")
    for key, answer in value.items():
        if key not in QUESTION_IDS:
            raise ProfileError(
                f"screening.{key}: unknown question id (see kneecap plan --screening-questions)"
            )
        if not isinstance(answer, bool):
            raise ProfileError(f"screening.{key}: expected true or false")
    return dict(value)
