"""The words every export uses for a session and its items, so the calendar, the printout
and the watch say the same thing."""

from __future__ import annotations

from kneecap.core.catalog import Catalog, Exercise
from kneecap.core.planning import PlanItem, Session, WeekKind

APP = "kneecap"

WEEK_KINDS = {
    WeekKind.BUILD: "Build week",
    WeekKind.DELOAD: "Lighter week",  # rule 29
    WeekKind.TAPER: "Taper week",  # rule 31
    WeekKind.RACE: "Race week",  # rule 31
    WeekKind.RETURN: "Return week",  # rule 33
}


def find_exercise(catalog: Catalog, slug: str) -> Exercise | None:
    """The catalog's exercise, or None when it is gone (a custom exercise deleted later)."""
    return catalog.get(slug) if slug in catalog else None


def exercise_name(catalog: Catalog, slug: str) -> str:
    exercise = find_exercise(catalog, slug)
    return exercise.name if exercise else slug


def level_name(catalog: Catalog, item: PlanItem) -> str:
    exercise = find_exercise(catalog, item.exercise)
    if exercise is None:
        return item.level
    try:
        return exercise.level(item.level).name
    except KeyError:
        return item.level


def side_note(item: PlanItem) -> str:
    """Rule 37: when one leg is paused, the item is done on the other leg only."""
    return f"{item.side.value} leg only" if item.side else ""


def dose(item: PlanItem) -> str:
    """The dose in words, with the one-leg note when it applies."""
    note = side_note(item)
    described = item.prescription.describe()
    return f"{described} ({note})" if note else described


def item_line(catalog: Catalog, item: PlanItem) -> str:
    """ "Tibialis raise (Both legs): 3 × 10, 3 s hold, 60 s rest"."""
    name = exercise_name(catalog, item.exercise)
    return f"{name} ({level_name(catalog, item)}): {dose(item)}"


def session_title(session: Session) -> str:
    return f"Knee strength · {session.minutes} min"


def run_note(session: Session) -> str:
    """The day's running in words, "" on a rest day."""
    run = session.run
    if run.is_rest:
        return ""
    return f"{run.kind.value} run, {run.minutes} min"
