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

from kneecap.application import plans, profile, week
from kneecap.application.access import requested_athlete
from kneecap.application.catalog import catalog_for
from kneecap.application.runner import monday
from kneecap.core.catalog import Catalog
from kneecap.core.planning import PlanItem, Week, WeekKind
from kneecap.core.planning.pattern import PATTERN_WEEKS, PatternProposal
from kneecap.core.profile import WEEKDAYS, PlannedRun, RunKind
from kneecap.db.accounts.users import User
from kneecap.db.training.models import PlannedSession, SessionLog
from kneecap.export.text import WEEK_KINDS, dose, exercise_name, find_exercise, level_name
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
    catalog = catalog_for(athlete)
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
            "weeks": [_week_rows(athlete, today, week, catalog) for week in plan.weeks],
            "races": week.races_ahead(athlete, today),
            "done": done,
            "today": today,
            "pattern": _pattern_rows(plans.pattern_proposal(athlete, today)),
        },
    )


# What each kind of week means, in a sentence (rules 29, 31, 33).
WEEK_NOTES = {
    WeekKind.DELOAD: "Every fourth week is lighter, so the body catches up (rule 29).",
    WeekKind.TAPER: "The week before your A race: less strength work, nothing new (rule 31).",
    WeekKind.RACE: "A race this week: light, familiar work and none on race day (rules 1, 31).",
    WeekKind.RETURN: "Back after a break: doses start lower and build again (rule 33).",
}


def _week_rows(athlete: User, today: date, plan_week: Week, catalog: Catalog) -> dict[str, Any]:
    """One week of the plan as the page shows it: its strip of days and its sessions."""
    return {
        "start": plan_week.start,
        "kind": plan_week.kind.value,
        "title": WEEK_KINDS[plan_week.kind],
        "note": WEEK_NOTES.get(plan_week.kind, ""),
        "days": week.week_for(athlete, today, plan_week.start),
        "sessions": [(s, [_item(it, catalog) for it in s.items]) for s in plan_week.sessions],
    }


def _item(item: PlanItem, catalog: Catalog) -> dict[str, Any]:
    ex = find_exercise(catalog, item.exercise)
    return {
        "slug": item.exercise,
        "name": exercise_name(catalog, item.exercise),
        "picture": ex.picture if ex else None,
        "level": level_name(catalog, item),
        "dose": dose(item),
        "new": item.new,
        "rules": item.rules,
    }


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
    grid = calendar.Calendar().monthdatescalendar(first.year, first.month)
    days = {d.day: d for d in week.days_between(athlete, today, grid[0][0], grid[-1][-1]) or ()}
    weeks = [
        [_cell(day, first, planned.get(day), done.get(day), today, days.get(day)) for day in row]
        for row in grid
    ]
    return render(
        request,
        "training/month.html",
        {
            "athlete": athlete,
            "weeks": weeks,
            "first": first,
            "days_of_week": [(name[0], name) for name in calendar.day_name],
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


def _cell(
    day: date, first: date, planned: int | None, done: Any, today: date, glance: week.Day | None
) -> dict[str, Any]:
    return {
        "day": day,
        "glance": glance,
        "in_month": day.month == first.month,
        "planned": planned,
        "done": done,
        "missed": planned is not None and done is None and day < today,
        "today": day == today,
    }
