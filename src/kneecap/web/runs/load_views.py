"""The load view (rules 21–25): weekly distance and time, spikes, session-RPE load."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kneecap.application import week
from kneecap.application.access import requested_athlete
from kneecap.application.progress import load_summary
from kneecap.core import units
from kneecap.core.load import WEEKLY_SOURCE, SpikeTier
from kneecap.web.charts import Chart, Panel, Series
from kneecap.web.http import AuthenticatedHttpRequest

WEEKS_SHOWN = 26


@require_GET
@login_required
def load_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    today = timezone.localdate()
    summary = load_summary(athlete, today)
    weeks = summary.weeks[-WEEKS_SHOWN:]
    spikes = [
        s for s in summary.spikes if s.tier.level >= SpikeTier.CAUTION.level and not s.planned
    ][-10:]
    return render(
        request,
        "runs/load.html",
        {
            "athlete": athlete,
            "weeks": list(reversed(weeks)),
            "weekly_chart": _weekly_chart(
                weeks, week.strength_weeks(athlete, today, max(len(weeks), 1))
            ),
            "load_chart": _load_chart(summary),
            "spikes": list(reversed(spikes)),
            "weekly_note": WEEKLY_SOURCE,
            "trend_ready": summary.trend_ready,
            "softening": summary.softening(today),
        },
    )


def _weekly_chart(weeks: Any, strength: list[week.WeekCount]) -> Chart:
    """Distance, time and strength sessions per week: three panels on one date axis, each
    with its own unit."""
    return Chart(
        "Running per week, with strength sessions",
        bucket_days=7,
        summary="Each bar is one week, Monday to Sunday.",
        panels=[
            Panel(
                units.long_unit(),
                [
                    Series(
                        f"distance ({units.long_unit()})",
                        [(w.week_start, units.long_value(w.distance_m)) for w in weeks],
                        "bars",
                        "s-run",
                    )
                ],
            ),
            Panel(
                "hours",
                [
                    Series(
                        "time running (h)",
                        [(w.week_start, w.minutes / 60) for w in weeks],
                        "line",
                        "s-plan",
                    )
                ],
            ),
            Panel(
                "sessions",
                [
                    Series(
                        "strength sessions done",
                        [(c.start, c.done) for c in strength],
                        "bars",
                        "s-strength",
                    )
                ],
            ),
        ],
    )


def _load_chart(summary: Any) -> Chart:
    """Session-RPE load per day; the averages only once 28 days of data exist (rule 24)."""
    days = summary.days[-120:]
    series = [Series("session load (RPE × min)", [(p.day, p.load) for p in days], "bars", "s-run")]
    if summary.trend_ready:
        series += [
            Series("7-day average", [(p.day, p.acute) for p in days], "line", "s-plan"),
            Series("28-day average", [(p.day, p.chronic) for p in days], "line", "s-strength"),
        ]
    return Chart(
        "Training load, runs and strength sessions together", unit="RPE × min", series=series
    )
