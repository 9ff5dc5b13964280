"""A small catalog and profiles for planner tests, independent of the shipped files."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from kneecap.core.catalog.model import (
    DoseKind,
    Equipment,
    Exercise,
    Level,
    Origin,
    Prescription,
    Stress,
)
from kneecap.core.profile import Experience, PlannedRun, Profile, Race, RunKind

E = Equipment
P = Prescription


def level(
    slug: str,
    p: Prescription,
    stress: Stress | None = None,
    equipment: tuple[Equipment, ...] = (),
) -> Level:
    return Level(slug, slug, p, "when it feels easy", stress=stress, equipment=equipment)


def exercise(
    slug: str,
    stress: Stress,
    levels: tuple[Level, ...],
    *,
    equipment: tuple[Equipment, ...] = (),
    module: str = "knee",
    dose_kind: DoseKind = DoseKind.REPS,
    per_side: bool = False,
) -> Exercise:
    return Exercise(
        slug=slug,
        name=slug.replace("-", " ").capitalize(),
        summary="",
        purpose="",
        muscles=("quadriceps",) if module == "knee" else ("glutes",),
        equipment=equipment,
        stress=stress,
        dose_kind=dose_kind,
        per_side=per_side,
        steps=("do it",),
        cues=(),
        cautions=(),
        contraindications=(),
        evidence_grade="D",
        sources=(),
        levels=levels,
        origin=Origin.SEED if module == "knee" else Origin.KNEECAP,
        module=module,
    )


LOW, MOD, HIGH = Stress.LOW, Stress.MODERATE, Stress.HIGH


def seed_catalog() -> tuple[Exercise, ...]:
    """The seven seed drills and two hip exercises, shaped like the shipped catalog."""
    return (
        exercise(
            "walking-backward",
            LOW,
            (
                level("flat", P(5, distance_m=100, rest_s=60)),
                level("incline", P(5, distance_m=100, rest_s=60), MOD, (E.INCLINE,)),
                level("backward-run", P(4, distance_m=30, rest_s=90), HIGH),
            ),
            dose_kind=DoseKind.DISTANCE,
        ),
        exercise(
            "tibialis-raise",
            LOW,
            (
                level("both-legs", P(3, reps=10, hold_s=3, rest_s=60)),
                level("single-leg", P(3, reps=10, hold_s=3, rest_s=60, per_side=True)),
            ),
            equipment=(E.WALL,),
        ),
        exercise(
            "reverse-sled",
            MOD,
            (
                level(
                    "partner-rope", P(6, distance_m=100, rest_s=90), equipment=(E.ROPE_AND_PARTNER,)
                ),
                level("sled", P(3, distance_m=200, rest_s=120, load_kg=20), equipment=(E.SLED,)),
                level("heavy-sled", P(3, distance_m=200, rest_s=120, load_kg=30), HIGH, (E.SLED,)),
            ),
            dose_kind=DoseKind.DISTANCE,
        ),
        exercise(
            "stairs",
            LOW,
            (
                level("easy", P(1, flights=3)),
                level("two-steps", P(2, flights=3, rest_s=60), MOD),
                level("loaded", P(2, flights=3, rest_s=90, load_kg=5), HIGH, (E.DUMBBELLS,)),
            ),
            equipment=(E.STAIRS,),
            dose_kind=DoseKind.FLIGHTS,
        ),
        exercise(
            "split-squat",
            MOD,
            (
                level("bodyweight", P(3, reps=10, rest_s=90, per_side=True)),
                level(
                    "loaded",
                    P(3, reps=8, rest_s=120, load_kg=4, per_side=True),
                    HIGH,
                    (E.DUMBBELLS,),
                ),
            ),
            per_side=True,
        ),
        exercise(
            "knees-to-floor",
            HIGH,
            (
                level("rail", P(2, reps=3, hold_s=3, rest_s=90), equipment=(E.RAIL,)),
                level("no-rail", P(2, reps=5, hold_s=3, rest_s=90)),
            ),
            equipment=(E.MAT,),
        ),
        exercise(
            "deep-squat-hold",
            LOW,
            (
                level("heels-5cm", P(3, hold_s=20, rest_s=60), equipment=(E.HEEL_BLOCK,)),
                level("flat", P(3, hold_s=30, rest_s=60), MOD),
            ),
            dose_kind=DoseKind.HOLD,
        ),
        exercise(
            "side-lying-hip-abduction",
            LOW,
            (level("bodyweight", P(3, reps=10, rest_s=60, per_side=True)),),
            module="hip",
            per_side=True,
        ),
        exercise(
            "glute-bridge",
            LOW,
            (
                level("both-legs", P(3, reps=10, hold_s=2, rest_s=60)),
                level("single-leg", P(3, reps=8, hold_s=2, rest_s=60, per_side=True), MOD),
            ),
            module="hip",
        ),
    )


# A typical week: quality Tuesday and Thursday, long run Sunday, rest Monday and Friday.
TYPICAL = {
    "mon": PlannedRun(RunKind.REST),
    "tue": PlannedRun(RunKind.QUALITY, 60),
    "wed": PlannedRun(RunKind.EASY, 40),
    "thu": PlannedRun(RunKind.QUALITY, 50),
    "fri": PlannedRun(RunKind.REST),
    "sat": PlannedRun(RunKind.EASY, 30),
    "sun": PlannedRun(RunKind.LONG, 80),
}
EVERYTHING = frozenset(Equipment)


def profile(
    *,
    start: date = date(2026, 3, 2),  # a Monday
    runs: Mapping[str, PlannedRun] | None = None,
    races: tuple[Race, ...] = (),
    equipment: frozenset[Equipment] = EVERYTHING,
    **changes: Any,
) -> Profile:
    base: dict[str, Any] = {
        "weeks": 8,
        "sessions_per_week": 2,
        "minutes_per_session": 45,
        "experience": Experience.NOVICE,
    }
    base.update(changes)
    return Profile(
        start_date=start,
        runs=TYPICAL if runs is None else runs,
        races=races,
        equipment=equipment,
        **base,
    )
