"""The charts on the progress page: a pain calendar with the check-ins, and strength
sessions planned against done per week (included as training/_charts.html)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kneecap.application import week
from kneecap.application.runner import monday
from kneecap.db.accounts.users import User
from kneecap.web.charts import Chart, Panel, Series

WEEKS = 8


def progress_charts(athlete: User, today: date) -> dict[str, Any]:
    first = monday(today) - timedelta(weeks=WEEKS - 1)
    days = week.pain_days(athlete, first, first + timedelta(days=7 * WEEKS - 1))
    counts = week.strength_weeks(athlete, today, WEEKS)
    adherence = Chart(
        "Strength sessions: planned and done per week",
        bucket_days=7,
        panels=[
            Panel(
                "sessions",
                [
                    Series("planned", [(c.start, c.planned) for c in counts], "bars", "s-plan"),
                    Series("done", [(c.start, c.done) for c in counts], "bars", "s-done"),
                ],
            )
        ],
    )
    return {
        "pain_weeks": [[_cell(d) for d in days[i : i + 7]] for i in range(0, len(days), 7)],
        "pain_any": any(d.during is not None or d.morning is not None for d in days),
        "adherence_chart": adherence if any(c.planned or c.done for c in counts) else None,
        "today": today,
    }


def _cell(d: week.PainDay) -> dict[str, Any]:
    """One day of the pain calendar: the highest pain recorded, and its shade (none, 1–2,
    3–5, above 5: the pain gate's levels, rules 14–16)."""
    known = [p for p in (d.during, d.morning) if p is not None]
    value = max(known) if known else None
    shade = (
        ""
        if value is None
        else "p0"
        if value == 0
        else "p1"
        if value <= 2
        else "p2"
        if value <= 5
        else "p3"
    )
    return {"day": d.day, "during": d.during, "morning": d.morning, "value": value, "shade": shade}
