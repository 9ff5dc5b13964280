"""The exercise schema: one mapping (a TOML file or a JSON object) → a validated ``Exercise``.

Shipped files and users' own exercises go through the same checks; see docs/catalog.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from kneecap.core.catalog.check import CatalogError, Obj
from kneecap.core.catalog.fit_profile import FIT_CATEGORIES, FIT_NAMES
from kneecap.core.catalog.model import (
    PRESCRIPTION_KEYS,
    DoseKind,
    Equipment,
    Exercise,
    FitExercise,
    Level,
    Origin,
    Prescription,
    Step,
    Stress,
)

MODULES = ("knee", "hip")
_GRADE = re.compile(r"^[A-D](?:/[A-D])?$")
_PICTURE = re.compile(r"^[a-z0-9_-]+(?:/[a-z0-9_-]+)*\.svg$")

# Bounds of a prescription: (low, high). Above these a number is a typo, not a dose.
PRESCRIPTION_LIMITS: dict[str, tuple[float, float]] = {
    "sets": (1, 20),
    "reps": (1, 1000),
    "hold_s": (1, 3600),
    "rest_s": (0, 1800),
    "distance_m": (1, 10_000),
    "duration_s": (1, 7200),
    "load_kg": (0.1, 500),
    "flights": (1, 200),
}
_WHOLE = frozenset({"sets", "reps", "rest_s", "flights"})

# Bounds of one progression step. rule 7: a load step is 2.5–10 % of the current load.
STEP_LIMITS: dict[str, tuple[float, float]] = {
    "reps": (1, 50),
    "sets": (1, 5),
    "hold_s": (1, 120),
    "distance_m": (1, 1000),
    "duration_s": (1, 600),
    "flights": (1, 20),
    "load_pct": (2.5, 10),
}
# The prescription field each step lever grows.
LEVER_FIELD = {
    "reps": "reps",
    "sets": "sets",
    "hold_s": "hold_s",
    "distance_m": "distance_m",
    "duration_s": "duration_s",
    "flights": "flights",
    "load_pct": "load_kg",
}
# The amount that defines each dose kind.
DOSE_FIELD = {
    DoseKind.REPS: "reps",
    DoseKind.HOLD: "hold_s",
    DoseKind.DISTANCE: "distance_m",
    DoseKind.TIME: "duration_s",
    DoseKind.FLIGHTS: "flights",
}

_EXERCISE_KEYS = frozenset(
    {
        "slug",
        "name",
        "summary",
        "purpose",
        "muscles",
        "equipment",
        "stress",
        "dose_kind",
        "per_side",
        "steps",
        "cues",
        "cautions",
        "contraindications",
        "evidence_grade",
        "sources",
        "levels",
        "origin",
        "module",
        "rep_tempo_s",
        "pace_m_per_s",
        "picture",
        "aliases",
        "position",
        "fit_exercise",
    }
)
_LEVEL_KEYS = frozenset(
    {
        "slug",
        "name",
        "prescription",
        "target",
        "step",
        "advance_when",
        "stress",
        "equipment",
        "regression",
        "note",
        "per_side",
        "fit_exercise",
    }
)


def parse_exercise(
    data: Mapping[str, Any], source: str, origin: Origin | None = Origin.CUSTOM
) -> Exercise:
    """Validate one exercise. ``origin`` overrides the data's own (a user cannot ship a seed
    exercise); ``None`` reads it from the data, as the loader of the shipped files does."""
    if not isinstance(data, Mapping):
        raise CatalogError(source, "", "expected a table/object")
    obj = Obj(data, "", source)
    obj.only(_EXERCISE_KEYS)
    origin = _origin(obj, origin)
    kind = obj.choice(DoseKind, "dose_kind")
    per_side = obj.flag("per_side", False)
    return Exercise(
        slug=obj.slug("slug"),
        name=obj.text("name", 80),
        summary=obj.text("summary", 200),
        purpose=obj.text("purpose", 1000, lines=True),
        muscles=obj.texts("muscles", 60, most=12, least=1),
        equipment=obj.choices(Equipment, "equipment"),
        stress=obj.choice(Stress, "stress"),
        dose_kind=kind,
        per_side=per_side,
        steps=obj.texts("steps", 400, least=1),
        cues=obj.texts("cues", 400),
        cautions=obj.texts("cautions", 400),
        contraindications=obj.texts("contraindications", 400),
        evidence_grade=_grade(obj, origin),
        sources=obj.texts("sources", 300, least=0 if origin is Origin.CUSTOM else 1),
        levels=_levels(obj, kind, per_side),
        origin=origin,
        module=_module(obj),
        rep_tempo_s=_optional_number(obj, "rep_tempo_s", 3.0, 0.5, 30),
        pace_m_per_s=_optional_number(obj, "pace_m_per_s", 1.0, 0.1, 10),
        picture=_picture(obj),
        aliases=obj.texts("aliases", 80, most=10),
        position=obj.whole("position", 0, 10_000) if "position" in data else 1000,
        fit_exercise=_fit_exercise(obj),
    )


def _origin(obj: Obj, given: Origin | None) -> Origin:
    if given is None:
        return obj.choice(Origin, "origin")
    if "origin" in obj.data:
        obj.choice(Origin, "origin")  # still a known value, though the caller's wins
    return given


def _grade(obj: Obj, origin: Origin) -> str:
    # A custom exercise is a coach's practice at best: grade D unless stated (brief §0).
    if origin is Origin.CUSTOM and "evidence_grade" not in obj.data:
        return "D"
    grade = obj.text("evidence_grade", 3)
    if not _GRADE.match(grade):
        raise obj.error("evidence_grade", f"{grade!r} must be A, B, C or D, or a range like B/C")
    return grade


def _module(obj: Obj) -> str:
    module = obj.text("module", 10, default="knee")
    if module not in MODULES:
        raise obj.error("module", f"{module!r} is not one of {'|'.join(MODULES)}")
    return module


def _picture(obj: Obj) -> str | None:
    if "picture" not in obj.data:
        return None
    picture = obj.text("picture", 200)
    if not _PICTURE.match(picture):
        raise obj.error("picture", f"{picture!r} must be a relative static path to an .svg")
    return picture


def _fit_exercise(obj: Obj) -> FitExercise | None:
    """The FIT profile's category and, optionally, exercise name, checked against the table."""
    if "fit_exercise" not in obj.data:
        return None
    fit = obj.child("fit_exercise")
    fit.only(frozenset({"category", "name"}))
    category = fit.text("category", 40)
    if category not in FIT_CATEGORIES:
        problem = f"{category!r} is not a FIT exercise category"
        raise fit.error("category", problem + _near(category, FIT_CATEGORIES))
    if "name" not in fit.data:
        return FitExercise(category)
    name = fit.text("name", 80)
    known = FIT_NAMES.get(category)
    if known is None:
        raise fit.error("name", f"kneecap lists no {category} exercise names; leave name out")
    if name not in known:
        problem = f"{name!r} is not a {category} exercise name kneecap knows"
        raise fit.error("name", problem + _near(name, known))
    return FitExercise(category, name)


def _near(word: str, choices: Mapping[str, int]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _optional_number(obj: Obj, key: str, default: float, lo: float, hi: float) -> float:
    return obj.number(key, lo, hi) if key in obj.data else default


def _levels(obj: Obj, kind: DoseKind, per_side: bool) -> tuple[Level, ...]:
    levels: list[Level] = []
    for item in obj.children("levels", 12):
        level = _level(item, kind, per_side, levels)
        if any(lvl.slug == level.slug for lvl in levels):
            raise item.error("slug", f"{level.slug!r} is used by an earlier level")
        levels.append(level)
    return tuple(levels)


def _level(obj: Obj, kind: DoseKind, per_side: bool, earlier: list[Level]) -> Level:
    obj.only(_LEVEL_KEYS)
    side = obj.flag("per_side", per_side)
    start = _prescription(obj.child("prescription"), kind, side)
    target = _target(obj, start, kind) if "target" in obj.data else None
    step = _step(obj, start, target) if "step" in obj.data else Step()
    return Level(
        slug=obj.slug("slug"),
        name=obj.text("name", 80),
        prescription=start,
        advance_when=obj.text("advance_when", 300),
        target=target,
        step=step,
        stress=obj.choice(Stress, "stress") if "stress" in obj.data else None,
        equipment=obj.choices(Equipment, "equipment"),
        regression=_regression(obj, earlier),
        note=obj.text("note", 500, default="", lines=True),
        fit_exercise=_fit_exercise(obj),
    )


def _regression(obj: Obj, earlier: list[Level]) -> str | None:
    """The easier level: an earlier rung; the previous one when not given."""
    if "regression" not in obj.data:
        return earlier[-1].slug if earlier else None
    slug = obj.slug("regression")
    if not any(lvl.slug == slug for lvl in earlier):
        raise obj.error("regression", f"{slug!r} is not an earlier level of this exercise")
    return slug


def _prescription(obj: Obj, kind: DoseKind, per_side: bool) -> Prescription:
    obj.only(frozenset(PRESCRIPTION_KEYS))
    values: dict[str, Any] = {}
    for key in PRESCRIPTION_KEYS:
        if key in obj.data:
            lo, hi = PRESCRIPTION_LIMITS[key]
            values[key] = (
                obj.whole(key, int(lo), int(hi)) if key in _WHOLE else obj.number(key, lo, hi)
            )
    if "sets" not in values:
        raise obj.error("sets", "is required")
    need = DOSE_FIELD[kind]
    if need not in values:
        raise obj.error(need, f"is required for a {kind.value} exercise")
    if kind is DoseKind.HOLD and "reps" in values:
        raise obj.error("reps", "a hold exercise is dosed in hold_s, not reps")
    return Prescription(per_side=per_side, **values)


def _target(obj: Obj, start: Prescription, kind: DoseKind) -> Prescription:
    """The top of the level: the start with the fields it names changed, none lowered."""
    target = obj.child("target")
    target.only(frozenset(PRESCRIPTION_KEYS))
    merged = Obj({**start.as_dict(), **target.data}, target.path, obj.source)
    given = _prescription(merged, kind, start.per_side)
    for key in PRESCRIPTION_KEYS:
        was, now = getattr(start, key), getattr(given, key)
        if key in target.data and was is None:
            raise target.error(key, f"the start prescription has no {key}")
        if now is not None and was is not None and key != "rest_s" and now < was:
            raise target.error(key, f"must be ≥ the start ({was}), got {now}")
    return start.with_changes(**{k: getattr(given, k) for k in target.data})


def _step(obj: Obj, start: Prescription, target: Prescription | None) -> Step:
    """One progression step; every lever must act on a field the prescription has."""
    step = obj.child("step")
    step.only(frozenset(STEP_LIMITS))
    values: dict[str, Any] = {}
    for key, (lo, hi) in STEP_LIMITS.items():
        if key not in step.data:
            continue
        whole = key in _WHOLE
        values[key] = step.whole(key, int(lo), int(hi)) if whole else step.number(key, lo, hi)
        if getattr(start, LEVER_FIELD[key]) is None:
            raise step.error(key, f"the prescription has no {LEVER_FIELD[key]} to grow")
    _check_reachable(step, start, target, values)
    return Step(**values)


def _check_reachable(
    step: Obj, start: Prescription, target: Prescription | None, levers: dict[str, Any]
) -> None:
    if target is None:
        return
    grown = {LEVER_FIELD[k] for k in levers}
    for key in PRESCRIPTION_KEYS:
        if key != "rest_s" and getattr(target, key) != getattr(start, key) and key not in grown:
            lever = "load_pct" if key == "load_kg" else key
            raise step.error("", f"the target raises {key} but the step has no {lever} lever")
