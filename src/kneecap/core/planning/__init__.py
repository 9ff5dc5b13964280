"""The planner: strength sessions placed around the runner's own running (issue 4).

``generate_plan(profile, catalog, runs=..., current=...)`` is pure and deterministic; every
session says why it sits where it does and every item names the rules that shaped it.
"""

from kneecap.core.planning.generate import generate_plan
from kneecap.core.planning.model import (
    Blocked,
    CurrentDose,
    DayRun,
    Plan,
    PlanItem,
    Run,
    Session,
    Week,
    WeekKind,
)

__all__ = [
    "Blocked",
    "CurrentDose",
    "DayRun",
    "Plan",
    "PlanItem",
    "Run",
    "Session",
    "Week",
    "WeekKind",
    "generate_plan",
]
