"""Plan pages: the coming weeks with their reasons, and a month of planned vs done."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import plans, profile
from kneecap.application.access import requested_athlete
from kneecap.application.catalog import catalog_for
from kneecap.application.runner import monday
from kneecap.core.planning.pattern import PATTERN_WEEKS, PatternProposal
from kneecap.core.profile import WEEKDAYS, PlannedRun, RunKind
from kneecap.db.accounts.users import User
from kneecap.db.training.models import PlannedSession, SessionLog
from kneecap.web.http import AuthenticatedHttpRequest


@require_GET
@login_required
def plan_weeks(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    today = timezone.localdate()
    plan = plans.plan_for(athlete, today, weeks=4)
    if plan is None:
        if athlete == request.user:
            return redirect("kc-onboarding")
        return render(request, "training/plan.html", {"athlete": athlete, "plan": None})
    names = {ex.slug: ex.name for ex in catalog_for(athlete)}
    done = set(
        SessionLog.objects.filter(owner=athlete, date__gte=monday(today)).values_list(
            "date", flat=True
        )
    )
    return render(
        request,
        "training/plan.html",
        {
            "athlete": athlete,
            "plan": plan,
            "names": names,
            "done": done,
            "today": today,
            "pattern": _pattern_rows(plans.pattern_proposal(athlete, today)),
        },
    )


def _pattern_rows(proposal: PatternProposal | None) -> dict[str, Any] | None:
    """The proposal as the page shows it: each changed day, before and after."""
    if proposal is None:
        return None
    return {
        "proposal": proposal,
        "rows": [
            (
                calendar.day_name[WEEKDAYS.index(c.weekday)],
                _run_words(c.was),
                _run_words(c.now),
                c.weeks_run,
            )
            for c in proposal.changes
        ],
        "weeks": PATTERN_WEEKS,
    }


def _run_words(run: PlannedRun) -> str:
    if run.kind is RunKind.REST:
        return "no run"
    return f"{run.kind.value} run, {run.minutes} min"


@require_POST
@login_required
def use_pattern(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The runner takes the pattern their runs show (the coach sees it, the runner decides)."""
    try:
        profile.use_pattern(request.user, timezone.localdate())
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your weekly running pattern now follows your runs.")
    return redirect("kc-plan")


@require_GET
@login_required
def plan_month(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    today = timezone.localdate()
    first = _month(request.GET.get("month", ""), today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    planned = _planned_between(athlete, first, last, today)
    done = {s.date: s for s in SessionLog.objects.filter(owner=athlete, date__range=(first, last))}
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
        weeks.append([_cell(day, first, planned.get(day), done.get(day), today) for day in week])
    return render(
        request,
        "training/month.html",
        {
            "athlete": athlete,
            "weeks": weeks,
            "first": first,
            "previous": (first - timedelta(days=1)).replace(day=1),
            "next": last + timedelta(days=1),
        },
    )


def _month(raw: str, today: date) -> date:
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _planned_between(athlete: User, first: date, last: date, today: date) -> dict[date, int]:
    """Minutes planned per day: stored snapshots for the past, the live plan from today."""
    planned = {
        p.date: p.minutes
        for p in PlannedSession.objects.filter(owner=athlete, date__range=(first, min(last, today)))
        if p.date < today
    }
    if last >= today:
        weeks = (last - monday(today)).days // 7 + 1
        plan = plans.plan_for(athlete, today, weeks=weeks)
        for session in plan.sessions() if plan else ():
            if today <= session.date <= last:
                planned[session.date] = session.minutes
    return planned


def _cell(day: date, first: date, planned: int | None, done: Any, today: date) -> dict[str, Any]:
    return {
        "day": day,
        "in_month": day.month == first.month,
        "planned": planned,
        "done": done,
        "missed": planned is not None and done is None and day < today,
        "today": day == today,
    }
