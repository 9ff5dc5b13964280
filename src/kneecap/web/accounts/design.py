"""The design system's page: every component, in the live stylesheet (docs/design.md)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kneecap.web.charts import Chart, Series
from kneecap.web.http import AuthenticatedHttpRequest

TOKENS = (
    ("--bg", "page"), ("--surface", "card"), ("--surface-2", "quiet fill"), ("--line", "lines"),
    ("--fg", "text"), ("--muted", "secondary text"), ("--accent", "links, buttons"),
    ("--info", "information"), ("--warn", "caution"), ("--bad", "stop, pain"),
    ("--c-run", "running"), ("--c-strength", "strength"), ("--c-pain", "pain"),
    ("--c-plan", "planned"), ("--focus", "focus ring"),
)  # fmt: skip


@require_GET
@login_required
def design(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sample values only: the page shows nobody's data."""
    start = date(2026, 1, 5)
    weeks = [start + timedelta(weeks=i) for i in range(8)]
    chart = Chart(
        "Running per week (sample)",
        unit="km",
        series=[
            Series("distance", [(d, 20 + 3 * i) for i, d in enumerate(weeks)], "bars", "s-run")
        ],
    )
    pain = Chart(
        "Pain during (sample)",
        unit="pain 0–10",
        top=10,
        series=[Series("pain", [(d, (i * 3) % 5) for i, d in enumerate(weeks)], "line", "s-pain")],
    )
    return render(request, "accounts/design.html", {"tokens": TOKENS, "charts": [chart, pain]})
