"""One planned session as a FIT workout a Garmin watch can load (strength training).

Each item becomes a block: its work step (one per side for per-side work), a rest step, and a
repeat step for the sets. Reps count on the watch; holds and timed work count down; distance
drills and stairs wait for the lap button, since GPS cannot follow a backward walk or a flight.
A work step carries the FIT profile's exercise category and name from the catalog's
``fit_exercise``, so the watch knows the exercise and records it in its strength summary.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from enum import IntEnum

from kneecap.core.catalog import FIT_CATEGORIES, FIT_NAMES, Catalog, FitExercise
from kneecap.core.planning import PlanItem, Session
from kneecap.export.fit_encode import ENUM, STRING, UINT16, UINT32, Field, FitWriter, fit_time
from kneecap.export.text import exercise_name, find_exercise, level_name, side_note

# Global message numbers and enum values of the FIT profile.
FILE_ID, WORKOUT, WORKOUT_STEP = 0, 26, 27
FILE_WORKOUT = 5
MANUFACTURER_DEVELOPMENT = 255
SPORT_TRAINING, SUB_SPORT_STRENGTH = 10, 20
TARGET_OPEN = 2
UNIT_KILOGRAM = 1


class Duration(IntEnum):
    TIME = 0  # value in ms
    OPEN = 5  # until the lap button
    REPEAT = 6  # repeat_until_steps_cmplt: value = first step, target = times in all
    REPS = 29


class Intensity(IntEnum):
    ACTIVE = 0
    REST = 1


@dataclass(frozen=True, slots=True)
class WorkoutStep:
    """One workout_step message before encoding."""

    duration: Duration
    value: int | None = None  # reps, ms, or the first step of a repeat
    name: str = ""
    notes: str = ""
    intensity: Intensity | None = None
    repeat_times: int | None = None
    load_kg: float | None = None
    category: int | None = None  # exercise_category
    exercise: int | None = None  # exercise_name within the category


def session_to_fit_workout(session: Session, catalog: Catalog, *, name: str) -> bytes:
    """The session as a ``.fit`` workout file named ``name`` (shown on the watch).

    The file's creation time is the session's date at midnight UTC, so the same session
    always gives the same bytes.
    """
    steps = workout_steps(session, catalog)
    out = FitWriter()
    created = datetime.combine(session.date, time(), UTC)
    out.message(
        FILE_ID,
        [
            Field(0, ENUM, FILE_WORKOUT),
            Field(1, UINT16, MANUFACTURER_DEVELOPMENT),
            Field(4, UINT32, fit_time(created)),
        ],
    )
    out.message(
        WORKOUT,
        [
            Field(8, STRING, name),
            Field(4, ENUM, SPORT_TRAINING),
            Field(11, ENUM, SUB_SPORT_STRENGTH),
            Field(6, UINT16, len(steps)),
        ],
    )
    for index, step in enumerate(steps):
        out.message(WORKOUT_STEP, _step_fields(index, step))
    return out.to_bytes()


def workout_steps(session: Session, catalog: Catalog) -> list[WorkoutStep]:
    """The steps in order; a repeat step's ``value`` is the index of its block's first step."""
    steps: list[WorkoutStep] = []
    for item in session.items:
        steps += _item_steps(item, catalog, first=len(steps))
    return steps


def _item_steps(item: PlanItem, catalog: Catalog, first: int) -> list[WorkoutStep]:
    p = item.prescription
    label = exercise_name(catalog, item.exercise)
    work = _work(item, _fit(catalog, item), _notes(item, catalog))
    steps = [replace(work, name=f"{label}{suffix}") for suffix in _sides(item)]
    if p.rest_s:
        steps.append(WorkoutStep(Duration.TIME, p.rest_s * 1000, "Rest", "", Intensity.REST))
    if p.sets > 1:
        steps.append(WorkoutStep(Duration.REPEAT, first, repeat_times=p.sets))
    return steps


def _sides(item: PlanItem) -> tuple[str, ...]:
    if item.side is not None:  # rule 37: the other leg is paused
        return (f" – {item.side.value}",)
    return (" – left", " – right") if item.prescription.per_side else ("",)


def _work(item: PlanItem, fit: FitExercise | None, notes: str) -> WorkoutStep:
    p = item.prescription
    seconds = p.hold_s or p.duration_s
    duration, value = Duration.OPEN, None  # distance and stairs: the lap button ends them
    if p.reps is not None:
        duration, value = Duration.REPS, p.reps
    elif seconds and p.distance_m is None and p.flights is None:
        duration, value = Duration.TIME, round(seconds * 1000)
    return WorkoutStep(
        duration,
        value,
        notes=notes,
        intensity=Intensity.ACTIVE,
        load_kg=p.load_kg,
        category=FIT_CATEGORIES[fit.category] if fit else None,
        exercise=FIT_NAMES[fit.category][fit.name] if fit and fit.name else None,
    )


def _fit(catalog: Catalog, item: PlanItem) -> FitExercise | None:
    """The level's mapping; none for a custom exercise without one or one no longer there."""
    exercise = find_exercise(catalog, item.exercise)
    if exercise is None:
        return None
    level = next((lvl for lvl in exercise.levels if lvl.slug == item.level), None)
    return exercise.level_fit_exercise(level) if level else exercise.fit_exercise


def _notes(item: PlanItem, catalog: Catalog) -> str:
    """kneecap's name and level (the watch may show Garmin's nearest exercise instead), then
    what the watch cannot count: the hold per rep, the distance, the flights."""
    p = item.prescription
    head = f"{exercise_name(catalog, item.exercise)} ({level_name(catalog, item)})"
    parts: list[str] = []
    if p.hold_s:
        parts.append(f"hold {_num(p.hold_s)} s" + (" on every rep" if p.reps else ""))
    if p.distance_m is not None:
        parts.append(f"{_num(p.distance_m)} m, press lap at the end")
    if p.flights is not None:
        parts.append(f"{p.flights} flight(s), press lap at the end")
    if p.load_kg:
        parts.append(f"{_num(p.load_kg)} kg")
    if side_note(item):
        parts.append(side_note(item))
    return f"{head}: {'; '.join(parts)}" if parts else head


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _step_fields(index: int, step: WorkoutStep) -> list[Field]:
    fields = [Field(254, UINT16, index), Field(1, ENUM, step.duration)]
    if step.name:
        fields.append(Field(0, STRING, step.name))
    if step.value is not None:
        fields.append(Field(2, UINT32, step.value))
    if step.repeat_times is not None:
        fields.append(Field(4, UINT32, step.repeat_times))
    else:
        fields.append(Field(3, ENUM, TARGET_OPEN))
    if step.intensity is not None:
        fields.append(Field(7, ENUM, step.intensity))
    if step.notes:
        fields.append(Field(8, STRING, step.notes))
    if step.category is not None:
        fields.append(Field(10, UINT16, step.category))
    if step.exercise is not None:
        fields.append(Field(11, UINT16, step.exercise))
    if step.load_kg:
        fields += [Field(12, UINT16, round(step.load_kg * 100)), Field(13, UINT16, UNIT_KILOGRAM)]
    return fields
