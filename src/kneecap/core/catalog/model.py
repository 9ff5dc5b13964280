"""The exercise catalog as typed values: exercises, their ladders of levels, prescriptions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from kneecap.core import units


class Equipment(StrEnum):
    """The fixed equipment vocabulary; the planner only schedules what the runner has."""

    NONE = "none"
    WALL = "wall"
    INCLINE = "incline"  # a hill, ramp or treadmill with incline
    STAIRS = "stairs"
    RAIL = "rail"  # something sturdy to hold: rail, bar, door frame
    SLED = "sled"
    ROPE_AND_PARTNER = "rope-and-partner"
    DUMBBELLS = "dumbbells"  # dumbbells, kettlebell, backpack or any other load
    BAND = "band"
    BENCH_OR_BOX = "bench-or-box"
    HEEL_BLOCK = "heel-block"  # a plate, wedge or book under the heels
    MAT = "mat"


class Stress(StrEnum):
    """Stress class of evidence brief §5.3; it drives the scheduler (rules 27, 31)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class DoseKind(StrEnum):
    REPS = "reps"
    HOLD = "hold"
    DISTANCE = "distance"
    TIME = "time"
    FLIGHTS = "flights"


class Origin(StrEnum):
    SEED = "seed"  # from the source article
    KNEECAP = "kneecap"  # added by kneecap from the evidence brief (e.g. the hip module)
    CUSTOM = "custom"  # a user's or coach's own exercise


# The keys of a prescription as other tools see them (plan items, progression output).
PRESCRIPTION_KEYS = (
    "sets",
    "reps",
    "hold_s",
    "rest_s",
    "distance_m",
    "duration_s",
    "load_kg",
    "flights",
)


@dataclass(frozen=True, slots=True)
class Prescription:
    """One dose. ``hold_s`` is per rep for rep work, or the whole hold for a hold set."""

    sets: int
    reps: int | None = None
    hold_s: float | None = None
    rest_s: int | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    load_kg: float | None = None
    flights: int | None = None
    per_side: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The keys that apply, as in ``kneecap exercises --json``."""
        return {k: getattr(self, k) for k in PRESCRIPTION_KEYS if getattr(self, k) is not None}

    def with_changes(self, **changes: Any) -> Prescription:
        return replace(self, **changes)

    def volume(self) -> float:
        """A single number for "how much work" (sets × the per-set amount), for comparisons."""
        per_set = (
            self.reps
            or self.distance_m
            or self.flights
            or (self.hold_s if self.reps is None else None)
            or self.duration_s
            or 1
        )
        return self.sets * float(per_set) * (2 if self.per_side else 1)

    def describe(self) -> str:
        """Short human form: "3 × 10 reps, 3 s hold, 60 s rest"."""
        parts: list[str] = []
        side = " per side" if self.per_side else ""
        if self.reps is not None:
            parts.append(f"{self.sets} × {self.reps}{side}")
            if self.hold_s:
                parts.append(f"{_num(self.hold_s)} s hold")
        elif self.distance_m is not None:
            parts.append(f"{self.sets} × {units.distance(self.distance_m)}")
        elif self.flights is not None:
            parts.append(f"{self.sets} × {self.flights} flights")
        elif self.hold_s is not None:
            parts.append(f"{self.sets} × {_num(self.hold_s)} s hold{side}")
        elif self.duration_s is not None:
            parts.append(f"{self.sets} × {_num(self.duration_s / 60)} min")
        if self.load_kg:
            parts.append(units.load(self.load_kg))
        if self.rest_s:
            parts.append(f"{self.rest_s} s rest")
        return ", ".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


@dataclass(frozen=True, slots=True)
class Step:
    """How one progression step changes a prescription; the engine applies one lever at a time."""

    reps: int | None = None
    hold_s: float | None = None
    sets: int | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    flights: int | None = None
    load_pct: float | None = None  # +% of the current load (rule 7: 2.5–10 %)

    def levers(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is not None)


@dataclass(frozen=True, slots=True)
class FitExercise:
    """Where an exercise sits in the FIT profile, so a watch knows it: a strength category
    and, where the profile has one that fits, an exercise name (see ``fit_profile``)."""

    category: str
    name: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {"category": self.category} | ({"name": self.name} if self.name else {})


@dataclass(frozen=True, slots=True)
class Level:
    """One rung of an exercise's ladder."""

    slug: str
    name: str
    prescription: Prescription  # where this level starts
    advance_when: str  # the condition to move on, in words
    target: Prescription | None = None  # top of the level; None: the start is the target
    step: Step = field(default_factory=Step)
    stress: Stress | None = None  # None: the exercise's stress class
    equipment: tuple[Equipment, ...] = ()  # needed on top of the exercise's equipment
    regression: str | None = None  # slug of the easier level, None for the first rung
    note: str = ""
    fit_exercise: FitExercise | None = None  # None: the exercise's


@dataclass(frozen=True, slots=True)
class Exercise:
    slug: str
    name: str
    summary: str
    purpose: str
    muscles: tuple[str, ...]
    equipment: tuple[Equipment, ...]  # needed at every level
    stress: Stress
    dose_kind: DoseKind
    per_side: bool
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    cautions: tuple[str, ...]
    contraindications: tuple[str, ...]
    evidence_grade: str
    sources: tuple[str, ...]
    levels: tuple[Level, ...]
    origin: Origin = Origin.SEED
    module: str = "knee"  # "knee" or "hip"; the planner includes both (rule 39)
    rep_tempo_s: float = 3.0  # seconds per rep, holds excluded, for the duration estimate
    pace_m_per_s: float = 1.0  # for distance drills' duration estimate
    picture: str | None = None  # static path of the illustration
    aliases: tuple[str, ...] = ()
    position: int = 1000  # order in the catalog (the seed's numbering); ties sort by slug
    fit_exercise: FitExercise | None = None  # the levels' default; None: not mapped

    def level(self, slug: str) -> Level:
        for lvl in self.levels:
            if lvl.slug == slug:
                return lvl
        raise KeyError(f"{self.slug} has no level {slug!r}")

    def level_index(self, slug: str) -> int:
        return next(i for i, lvl in enumerate(self.levels) if lvl.slug == slug)

    def level_stress(self, level: Level) -> Stress:
        return level.stress or self.stress

    def level_fit_exercise(self, level: Level) -> FitExercise | None:
        return level.fit_exercise or self.fit_exercise

    def level_equipment(self, level: Level) -> frozenset[Equipment]:
        return frozenset(self.equipment) | frozenset(level.equipment)

    def all_equipment(self) -> tuple[Equipment, ...]:
        """Every item any level needs, in vocabulary order; ``("none",)`` when nothing is."""
        used = set(self.equipment)
        for lvl in self.levels:
            used.update(lvl.equipment)
        used.discard(Equipment.NONE)
        ordered = tuple(e for e in Equipment if e in used)
        return ordered or (Equipment.NONE,)


SIDE_SWITCH_S = 5.0  # changing legs between the two sides of a round


def estimate_duration_s(exercise: Exercise, p: Prescription) -> float:
    """Seconds a prescription takes: work + rests between sets, both sides when per side.

    Used by the planner's minutes budget. Per-side work is done as rounds (one side, then the
    other, then the rest), so each side rests while the other works: the work doubles, the
    rests between rounds do not; a short switch is counted between the sides.
    """
    if p.reps is not None:
        per_set = p.reps * (exercise.rep_tempo_s + (p.hold_s or 0.0))
    elif p.distance_m is not None:
        per_set = p.distance_m / exercise.pace_m_per_s
    elif p.flights is not None:
        per_set = p.flights * 30.0  # about 30 s up and down one flight at an easy pace
    elif p.hold_s is not None:
        per_set = p.hold_s + 10.0  # getting into and out of position
    else:
        per_set = p.duration_s or 0.0
    sides = 2 if p.per_side else 1
    work = p.sets * sides * per_set
    switches = p.sets * (sides - 1) * SIDE_SWITCH_S
    rests = (p.sets - 1) * (p.rest_s or 0)
    # rounded first: float noise (175 m / 0.7 m/s = 250.00000000000003 s) is not a second
    return math.ceil(round(work + switches + rests, 6))
