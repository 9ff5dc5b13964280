"""The planner's fixed vocabulary and dose scaling; its numbers (evidence brief §5, §1.8 and
rules 1–2, 26–33) are settings of :class:`kneecap.core.rules.Rules`.

Time is counted in whole days. A strength session is done after the day's run (rule 26) and
key runs are assumed to be in the morning, so "48 h before" a key run means the key run is at
least 3 calendar days after the session, and "24 h" means at least 2.
"""

from __future__ import annotations

import math
from dataclasses import replace

from kneecap.core.catalog.model import Equipment, Exercise, Level, Prescription, Stress
from kneecap.core.profile import Experience
from kneecap.core.rules import Rules

STRESS_RANK = {Stress.LOW: 0, Stress.MODERATE: 1, Stress.HIGH: 2}
ABOUT = 1.25  # "about half": a rounded dose may land up to 25 % above the aim
HIP_MODULE = "hip"  # rule 39

# §6.1: deep knee-bend drills wait for clearance after a knee history "yes"
DEEP_FLEXION = frozenset({"knees-to-floor", "deep-squat-hold"})
LOAD_EQUIPMENT = frozenset({Equipment.DUMBBELLS, Equipment.SLED})
EXPERIENCE_LEVEL = {Experience.NOVICE: 0, Experience.INTERMEDIATE: 1, Experience.ADVANCED: 2}


def max_stress(days_to_key: int | None, cfg: Rules) -> Stress:
    """The highest stress class allowed with the next key run this many days away (rule 27)."""
    for stress in (Stress.HIGH, Stress.MODERATE):
        if days_to_key is None or days_to_key >= cfg.buffer_days(stress):
            return stress
    return Stress.LOW


def allows(cap: Stress, stress: Stress) -> bool:
    return STRESS_RANK[stress] <= STRESS_RANK[cap]


def return_ramp(gap_days: int | None, cfg: Rules) -> tuple[float, ...]:
    """Volume factors for the weeks back after a gap (rule 33); empty: no ramp."""
    if gap_days is None or gap_days < cfg.gap_resume_below_days:
        return ()
    return cfg.gap_long_ramp if gap_days >= cfg.gap_long_from_days else cfg.gap_short_ramp


def is_loaded(exercise: Exercise, level: Level) -> bool:
    """A level with external load (a weight or a sled)."""
    return bool(exercise.level_equipment(level) & LOAD_EQUIPMENT) or bool(
        level.prescription.load_kg
    )


def scale(p: Prescription, factor: float, *, strict: bool = False) -> Prescription | None:
    """About ``factor`` of the volume (at most ``factor`` when ``strict``); load is kept.

    Sets go first (a deload cuts sets, rule 29); when whole sets cannot get close enough,
    the per-set amount shrinks too. None when the dose cannot get that small.
    """
    if factor >= 1:
        return p
    limit = factor if strict else factor * ABOUT
    sets = max(1, round(p.sets * factor))
    out = replace(p, sets=sets)
    if sets / p.sets > limit:
        out = _shrink_per_set(out, factor * p.sets / sets)
    return out if out.volume() <= p.volume() * limit + 1e-9 else None


def _shrink_per_set(p: Prescription, factor: float) -> Prescription:
    if p.reps is not None:
        return replace(p, reps=max(1, math.floor(p.reps * factor)))
    if p.distance_m is not None:
        return replace(p, distance_m=_down(p.distance_m * factor, 10.0))
    if p.flights is not None:
        return replace(p, flights=max(1, math.floor(p.flights * factor)))
    if p.hold_s is not None:
        return replace(p, hold_s=_down(p.hold_s * factor, 5.0))
    if p.duration_s is not None:
        return replace(p, duration_s=_down(p.duration_s * factor, 10.0))
    return p


def _down(value: float, step: float) -> float:
    return max(step, math.floor(value / step) * step)
