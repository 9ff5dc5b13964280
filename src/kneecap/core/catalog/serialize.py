"""Exercises as JSON-ready dicts: the shape of ``kneecap exercises --json`` and of the API.

Level ``stress`` and ``equipment`` are resolved (the exercise's plus the level's own), and a
few derived keys (``dose``, ``target_dose``, ``estimated_s``) help readers; the dict reads
back with :func:`exercise_from_dict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kneecap.core.catalog.model import (
    Equipment,
    Exercise,
    FitExercise,
    Level,
    Origin,
    Step,
    estimate_duration_s,
)
from kneecap.core.catalog.parse import parse_exercise

_DERIVED = ("dose", "target_dose", "estimated_s")
_NULLABLE = ("picture", "fit_exercise")  # null in the JSON shape: not given


def exercise_to_dict(ex: Exercise) -> dict[str, Any]:
    return {
        "slug": ex.slug,
        "name": ex.name,
        "summary": ex.summary,
        "purpose": ex.purpose,
        "muscles": list(ex.muscles),
        "equipment": equipment_options(ex),
        "stress": ex.stress.value,
        "dose_kind": ex.dose_kind.value,
        "per_side": ex.per_side,
        "steps": list(ex.steps),
        "cues": list(ex.cues),
        "cautions": list(ex.cautions),
        "contraindications": list(ex.contraindications),
        "evidence_grade": ex.evidence_grade,
        "sources": list(ex.sources),
        "origin": ex.origin.value,
        "module": ex.module,
        "rep_tempo_s": ex.rep_tempo_s,
        "pace_m_per_s": ex.pace_m_per_s,
        "picture": ex.picture,
        "aliases": list(ex.aliases),
        "position": ex.position,
        "fit_exercise": _fit(ex.fit_exercise),
        "levels": [level_to_dict(ex, lvl) for lvl in ex.levels],
    }


def equipment_options(ex: Exercise) -> list[str]:
    """Everything the ladder uses, led by ``none`` when some level needs nothing at all."""
    bare = any(not ex.level_equipment(lvl) - {Equipment.NONE} for lvl in ex.levels)
    used = [e.value for e in ex.all_equipment() if e is not Equipment.NONE]
    return ["none", *used] if bare else used


def level_to_dict(ex: Exercise, lvl: Level) -> dict[str, Any]:
    target = lvl.target or lvl.prescription
    return {
        "slug": lvl.slug,
        "name": lvl.name,
        "prescription": lvl.prescription.as_dict(),
        "target": target.as_dict(),
        "step": step_to_dict(lvl.step),
        "advance_when": lvl.advance_when,
        "stress": ex.level_stress(lvl).value,
        "equipment": _equipment(ex.level_equipment(lvl)),
        "per_side": lvl.prescription.per_side,
        "regression": lvl.regression,
        "note": lvl.note,
        "fit_exercise": _fit(ex.level_fit_exercise(lvl)),
        "dose": lvl.prescription.describe(),
        "target_dose": target.describe(),
        "estimated_s": estimate_duration_s(ex, lvl.prescription),
    }


def _fit(fit: FitExercise | None) -> dict[str, str] | None:
    return fit.as_dict() if fit else None


def _equipment(items: frozenset[Equipment]) -> list[str]:
    """In vocabulary order; ``["none"]`` when nothing is needed, as at the exercise level."""
    return [e.value for e in Equipment if e in items and e is not Equipment.NONE] or ["none"]


def step_to_dict(step: Step) -> dict[str, float]:
    return {lever: getattr(step, lever) for lever in step.levers()}


def exercise_from_dict(
    data: Mapping[str, Any], source: str = "exercise", origin: Origin | None = None
) -> Exercise:
    """Read an exercise, fully validated: the JSON shape of :func:`exercise_to_dict` (or an
    edited copy of it) or the file schema. The JSON shape is recognised by its levels listing
    everything they need, with the exercise's list being exactly their union."""
    clean = {k: v for k, v in data.items() if k not in _NULLABLE or v is not None}
    levels = clean.get("levels")
    if isinstance(levels, list) and levels and all(_well_formed(lvl) for lvl in levels):
        base = _resolved_base(clean.get("equipment"), levels)
        fit = clean.get("fit_exercise")
        clean["levels"] = [_strip_level(lvl, base, fit) for lvl in levels]
        if base is not None:
            clean["equipment"] = [e.value for e in Equipment if e.value in base]
    return parse_exercise(clean, source, origin=origin)


def _well_formed(level: Any) -> bool:
    """Only a well-formed level is rewritten; anything else reaches the parser as it is."""
    if not isinstance(level, Mapping):
        return False
    equipment = level.get("equipment", [])
    return isinstance(equipment, list) and all(isinstance(e, str) for e in equipment)


def _resolved_base(equipment: Any, levels: list[Mapping[str, Any]]) -> set[str] | None:
    """What every level needs when the levels list their full needs (the JSON shape); None
    for the file schema, where a level lists only what it adds to the exercise's."""
    if not isinstance(equipment, list) or any("equipment" not in lvl for lvl in levels):
        return None
    needs = [set(lvl["equipment"]) - {"none"} for lvl in levels]
    if {e for e in equipment if isinstance(e, str)} - {"none"} != set().union(*needs):
        return None
    return set.intersection(*needs)


def _strip_level(level: Mapping[str, Any], base: set[str] | None, fit: Any) -> dict[str, Any]:
    clean = {k: v for k, v in level.items() if k not in _DERIVED}
    if clean.get("fit_exercise") in (None, fit):  # resolved: the exercise's own, or none
        clean.pop("fit_exercise", None)
    if base is not None:
        clean["equipment"] = [e for e in clean["equipment"] if e not in base and e != "none"]
    if not clean.get("note"):
        clean.pop("note", None)
    if clean.get("regression") is None:
        clean.pop("regression", None)
    return clean
