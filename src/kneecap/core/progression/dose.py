"""Doses on a level's ladder: what a logged session amounts to, one step up, and cuts.

A step grows one lever at a time, in the order of ``LEVER_ORDER`` (evidence brief §1.5:
reps, sets, then holds, distance, and load last), by at most the brief's increment.
"""

from __future__ import annotations

import math
from collections import Counter

from kneecap.core.catalog.model import Exercise, Level, Prescription
from kneecap.core.catalog.parse import LEVER_FIELD
from kneecap.core.log import ExerciseLog, SetResult
from kneecap.core.planning.rules import scale
from kneecap.core.progression.config import ProgressionConfig

LEVER_ORDER = ("reps", "sets", "flights", "hold_s", "distance_m", "duration_s", "load_pct")
LOAD = "load_pct"
_AMOUNTS = ("reps", "distance_m", "flights", "hold_s", "duration_s")  # the per-set amount
_LOGGED = ("reps", "hold_s", "distance_m", "duration_s", "load_kg", "flights")
_WHOLE = frozenset({"sets", "reps", "flights"})
_EPS = 1e-9


def top(level: Level) -> Prescription:
    return level.target or level.prescription


def is_top_rung(exercise: Exercise, level: Level) -> bool:
    return exercise.levels[-1].slug == level.slug


def open_load(exercise: Exercise, level: Level) -> bool:
    """Load grows without a ceiling on the top rung (double progression, rules 6–8)."""
    return LOAD in level.step.levers() and is_top_rung(exercise, level)


def done_dose(entry: ExerciseLog, level: Level, fallback: Prescription) -> Prescription:
    """What the logged sets amount to: the set count and the weakest set's amounts.

    An amount the log leaves out is taken from ``fallback`` (what was prescribed).
    """
    changes: dict[str, float] = {"sets": _set_count(entry.sets)}
    for name in _LOGGED:
        if getattr(level.prescription, name) is None:
            continue
        values = [getattr(s, name) for s in entry.sets if getattr(s, name) is not None]
        changes[name] = min(values) if values else getattr(fallback, name)
    return level.prescription.with_changes(**_typed(changes))


def _set_count(sets: tuple[SetResult, ...]) -> int:
    """Rounds done: sets without a side count once; per-side sets count by the weaker side."""
    sides = Counter(s.side for s in sets if s.side is not None)
    both = sum(1 for s in sets if s.side is None)
    return both + (min(sides.values()) if len(sides) == 2 else max(sides.values(), default=0))


def _typed(changes: dict[str, float]) -> dict[str, float]:
    return {k: (int(v) if k in _WHOLE else v) for k, v in changes.items()}


def cap(dose: Prescription, exercise: Exercise, level: Level) -> Prescription:
    """Not above the level's top; load above it only where it grows without a ceiling."""
    high = top(level)
    changes: dict[str, float] = {}
    for lever in level.step.levers():
        name = LEVER_FIELD[lever]
        now, most = getattr(dose, name), getattr(high, name)
        if lever == LOAD and open_load(exercise, level):
            continue
        if now is not None and most is not None and now > most:
            changes[name] = most
    return dose.with_changes(**changes)


def below_start(dose: Prescription, level: Level) -> Prescription | None:
    """The level's starting amounts where the dose fell under them; None when it did not."""
    start = level.prescription
    changes = {
        name: getattr(start, name)
        for name in ("sets", *_LOGGED)
        if getattr(start, name) is not None and getattr(dose, name) < getattr(start, name)
    }
    return dose.with_changes(**changes) if changes else None


# --- one step up ------------------------------------------------------------------------------


def next_lever(
    dose: Prescription, exercise: Exercise, level: Level, cfg: ProgressionConfig
) -> str | None:
    """The first lever in ``LEVER_ORDER`` that can still grow on this level."""
    for lever in LEVER_ORDER:
        if lever in level.step.levers() and _room(dose, exercise, level, lever, cfg):
            return lever
    return None


def _room(
    dose: Prescription, exercise: Exercise, level: Level, lever: str, cfg: ProgressionConfig
) -> bool:
    name = LEVER_FIELD[lever]
    now, most = getattr(dose, name), getattr(top(level), name)
    if lever != LOAD:
        return bool(now < most)
    if open_load(exercise, level):
        return True
    # rule 7: a step smaller than 2.5 % is no step; the level's top counts as reached
    return bool(most - now >= now * cfg.load_step_min_pct / 100 - _EPS)


def grow(
    dose: Prescription, exercise: Exercise, level: Level, lever: str, cfg: ProgressionConfig
) -> Prescription:
    """``dose`` with one lever grown by one bounded step (capped at the level's top)."""
    name = LEVER_FIELD[lever]
    now, most = getattr(dose, name), getattr(top(level), name)
    if lever == LOAD:
        ceiling = None if open_load(exercise, level) else most
        load = raise_load(now, level.step.load_pct or cfg.load_step_pct, cfg, ceiling)
        reset = {"reps": level.prescription.reps} if "reps" in level.step.levers() else {}
        return dose.with_changes(load_kg=load, **reset)  # rule 8: reps back to the bottom
    value = min(now + step_size(lever, now, getattr(level.step, lever), cfg), most)
    return dose.with_changes(**_typed({name: value}))


def step_size(lever: str, now: float, step: float, cfg: ProgressionConfig) -> float:
    """The catalog's step, bounded by the brief's increments."""
    if lever == "reps":
        return min(step, cfg.max_rep_step)  # rule 6 / §7.2: +1–2 reps
    if lever == "sets":
        return min(step, 1)  # rule 11: one more repeat
    if lever == "hold_s":  # rule 10: +5 s, or up to +10 s on holds of 30 s or less
        most = cfg.short_hold_step_max_s if now <= cfg.short_hold_s else cfg.hold_step_max_s
        return min(step, most)
    if lever == "distance_m":  # rule 11: about 10 % more distance
        return min(step, max(1.0, float(round(now * cfg.distance_step_max_pct / 100))))
    return step


def raise_load(now: float, pct: float, cfg: ProgressionConfig, ceiling: float | None) -> float:
    """rule 7: +pct % (clamped to 2.5–10 %), rounded to 0.5 kg when that stays in the band."""
    pct = min(max(pct, cfg.load_step_min_pct), cfg.load_step_max_pct)
    low = now * (1 + cfg.load_step_min_pct / 100)
    high = now * (1 + cfg.load_step_max_pct / 100)
    aim = now * (1 + pct / 100)
    value = round(aim, 2)
    for unit in (cfg.load_round_kg, 0.1):
        rounded = round(aim / unit) * unit
        if low - _EPS <= rounded <= high + _EPS:
            value = rounded
            break
    if ceiling is not None:
        value = min(value, ceiling)
    return round(value, 2)


def next_level(exercise: Exercise, level: Level, dose: Prescription) -> tuple[Level, Prescription]:
    """The next rung's starting dose; a load already lifted is carried over, not dropped."""
    following = exercise.levels[exercise.level_index(level.slug) + 1]
    start = following.prescription
    if start.load_kg is not None and dose.load_kg is not None and dose.load_kg > start.load_kg:
        return following, start.with_changes(load_kg=dose.load_kg)
    return following, start


# --- cuts --------------------------------------------------------------------------------------


def cut_sets(p: Prescription, factor: float) -> Prescription:
    """rule 29: fewer sets, load kept; a single set gets a smaller amount instead."""
    sets = max(1, round(p.sets * factor))
    return p.with_changes(sets=sets) if sets < p.sets else cut_volume(p, factor)


def cut_volume(p: Prescription, factor: float) -> Prescription:
    """About ``factor`` of the per-set amount (fewer sets when the amount cannot shrink)."""
    name = next((n for n in _AMOUNTS if getattr(p, n) is not None), None)
    if name is not None:
        now = getattr(p, name)
        less = max(1, math.floor(now * factor + 0.5))
        if less < now:
            return p.with_changes(**_typed({name: float(less)}))
    return p.with_changes(sets=max(1, math.floor(p.sets * factor + 0.5)))


def cut_load(p: Prescription, factor: float) -> Prescription:
    """rule 12: −10 % load, to 0.1 kg."""
    if p.load_kg is None:
        return cut_volume(p, factor)
    return p.with_changes(load_kg=round(p.load_kg * factor, 1))


def first_dose(level: Level, cfg: ProgressionConfig) -> Prescription:
    """rule 32: a new exercise starts at about half its volume (as the planner does)."""
    return scale(level.prescription, cfg.new_exercise) or level.prescription
