"""Small ladders and logs for progression tests, independent of the shipped catalog."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from kneecap.core.catalog.model import (
    DoseKind,
    Equipment,
    Exercise,
    Level,
    Origin,
    Prescription,
    Step,
    Stress,
)
from kneecap.core.log import ExerciseLog, PainLocation, SessionLog, SetResult, TrainingLog
from kneecap.core.progression import Context, Decision, Report, progress

P = Prescription
START = date(2026, 3, 2)  # a Monday


def level(
    slug: str,
    p: Prescription,
    target: Prescription | None = None,
    step: Step | None = None,
    *,
    regression: str | None = None,
    stress: Stress | None = None,
    equipment: tuple[Equipment, ...] = (),
) -> Level:
    return Level(
        slug,
        slug.replace("-", " ").capitalize(),
        p,
        "at the top on two sessions in a row",
        target=target,
        step=step or Step(),
        stress=stress,
        equipment=equipment,
        regression=regression,
    )


def exercise(
    slug: str,
    levels: tuple[Level, ...],
    *,
    dose_kind: DoseKind = DoseKind.REPS,
    module: str = "knee",
    stress: Stress = Stress.LOW,
) -> Exercise:
    return Exercise(
        slug=slug,
        name=slug.replace("-", " ").capitalize(),
        summary="",
        purpose="",
        muscles=("quadriceps",),
        equipment=(),
        stress=stress,
        dose_kind=dose_kind,
        per_side=False,
        steps=("Do it.",),
        cues=(),
        cautions=(),
        contraindications=(),
        evidence_grade="D",
        sources=(),
        levels=levels,
        origin=Origin.CUSTOM,
        module=module,
    )


# Reps: both legs 3 × 10 → 14 (+2), one leg 3 × 10 → 14, then loaded double progression.
RAISE = exercise(
    "raise",
    (
        level("two-legs", P(3, reps=10, rest_s=60), P(3, reps=14, rest_s=60), Step(reps=2)),
        level(
            "one-leg",
            P(3, reps=10, rest_s=60, per_side=True),
            P(3, reps=14, rest_s=60, per_side=True),
            Step(reps=2),
            regression="two-legs",
        ),
        level(
            "loaded",
            P(3, reps=8, rest_s=60, load_kg=10, per_side=True),
            P(3, reps=10, rest_s=60, load_kg=10, per_side=True),
            Step(reps=1, load_pct=5),
            regression="one-leg",
            equipment=(Equipment.DUMBBELLS,),
        ),
    ),
)

# Holds: 3 × 20 s → 60 s on a block, then flat from 30 s.
SQUAT = exercise(
    "squat-hold",
    (
        level("block", P(3, hold_s=20), P(3, hold_s=60), Step(hold_s=5)),
        level(
            "flat",
            P(3, hold_s=30),
            P(3, hold_s=60),
            Step(hold_s=5),
            regression="block",
            stress=Stress.MODERATE,
        ),
    ),
    dose_kind=DoseKind.HOLD,
)

# A distance drill: repeats first, weekly (rule 11), then a sled whose load grows.
DRILL = exercise(
    "drill",
    (
        level("walk", P(5, distance_m=100), P(8, distance_m=100), Step(sets=1)),
        level(
            "sled",
            P(3, distance_m=200, load_kg=20),
            P(3, distance_m=200, load_kg=30),
            Step(load_pct=5),
            regression="walk",
            equipment=(Equipment.SLED,),
        ),
        level(
            "run",
            P(4, distance_m=30),
            P(6, distance_m=50),
            Step(sets=1, distance_m=5),
            regression="sled",
            stress=Stress.HIGH,
        ),
    ),
    dose_kind=DoseKind.DISTANCE,
    stress=Stress.MODERATE,
)

# A hip-module exercise: the next-morning knee rule does not regress it (rule 17).
BRIDGE = exercise(
    "bridge",
    (level("floor", P(3, reps=10), P(3, reps=15), Step(reps=1)),),
    module="hip",
)

ALL = {e.slug: e for e in (RAISE, SQUAT, DRILL, BRIDGE)}


def lookup(slug: str) -> Exercise:
    return ALL[slug]


def sets_of(p: Prescription, reps: int | None = None) -> tuple[SetResult, ...]:
    """Sets as prescribed (``reps`` instead of the prescribed reps when given)."""
    one = SetResult(
        reps=reps if reps is not None else p.reps,
        hold_s=p.hold_s,
        distance_m=p.distance_m,
        duration_s=p.duration_s,
        load_kg=p.load_kg,
        flights=p.flights,
    )
    return (one,) * p.sets


def did(
    ex: Exercise,
    level_slug: str,
    p: Prescription | None = None,
    *,
    pain: int | None = 0,
    rpe: float | None = None,
    reps: int | None = None,
    location: PainLocation = PainLocation.JOINT,
) -> ExerciseLog:
    dose = p or ex.level(level_slug).prescription
    return ExerciseLog(ex.slug, level_slug, sets_of(dose, reps), pain, location, rpe)


def session(
    day: date,
    *entries: ExerciseLog,
    after: int | None = None,
    morning: int | None = 0,
    stiffness: int | None = None,
    **flags: bool,
) -> SessionLog:
    return SessionLog(
        day,
        entries,
        pain_after=after,
        pain_next_morning=morning,
        stiffness_next_morning=stiffness,
        **flags,
    )


def days(n: int) -> date:
    return START + timedelta(days=n)


def report(
    sessions: Iterable[SessionLog], as_of: date | None = None, baseline: int = 0, **context: object
) -> Report:
    log = TrainingLog(tuple(sessions), baseline)
    day = as_of or (log.sessions[-1].date + timedelta(days=1))
    return progress(lookup, log, Context(as_of=day, **context))


def first(sessions: Iterable[SessionLog], **kw: object) -> Decision:
    return report(sessions, **kw).exercises[0]


def climb(
    ex: Exercise,
    count: int,
    every: int = 3,
    pain: Callable[[int], int] = lambda _: 0,
    lookup_fn: Callable[[str], Exercise] = lookup,
    start: str | None = None,
) -> list[Decision]:
    """Log ``count`` sessions doing exactly what the engine says; its decisions in order."""
    sessions: list[SessionLog] = []
    lvl = start or ex.levels[0].slug
    dose = ex.level(lvl).prescription
    out: list[Decision] = []
    for i in range(count):
        sessions.append(session(days(i * every), did(ex, lvl, dose, pain=pain(i))))
        log = TrainingLog(tuple(sessions))
        decision = progress(lookup_fn, log, Context(as_of=days((i + 1) * every))).exercises[0]
        out.append(decision)
        assert decision.prescription is not None
        lvl, dose = decision.level, decision.prescription
    return out
