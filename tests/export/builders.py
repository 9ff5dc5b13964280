"""Hand-built sessions with known doses for the exact checks, and the profile of a real plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kneecap.core.catalog import Catalog
from kneecap.core.planning import Plan, PlanItem, Session, Week, WeekKind
from kneecap.core.screening import Leg

STATIC = Path(__file__).resolve().parents[2] / "src" / "kneecap" / "web" / "static"

PROFILE = {
    "start_date": "2026-03-02",
    "weeks": 6,
    "runs": {
        "tue": {"kind": "quality", "minutes": 50},
        "thu": {"kind": "easy", "minutes": 40},
        "sun": {"kind": "long", "minutes": 80},
    },
    "races": [{"date": "2026-04-12", "priority": "A"}],
    "equipment": ["wall", "rail", "heel-block", "stairs", "band", "mat", "dumbbells"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
}


def item(catalog: Catalog, slug: str, level: str, side: Leg | None = None) -> PlanItem:
    """The level's own starting dose, as the planner would place it."""
    exercise = catalog.get(slug)
    lvl = exercise.level(level)
    return PlanItem(
        exercise=slug,
        level=level,
        prescription=lvl.prescription,
        stress=exercise.level_stress(lvl),
        module=exercise.module,
        rules=(27,),
        side=side,
    )


def session_of(*items: PlanItem, day: date = date(2026, 3, 3), minutes: int = 25) -> Session:
    return Session(day, minutes, ("Tuesday after intervals: hard day stays hard (rule 26)",), items)


def plan_of(*sessions: Session, warnings: tuple[str, ...] = ()) -> Plan:
    return Plan((Week(date(2026, 3, 2), WeekKind.BUILD, sessions),), warnings)
