"""The runner's plan: core's planner fed from the database, and its snapshots.

The plan is a pure function of the profile, the catalog, the runs and the log, so it is
computed when shown. Whenever an input changes (profile, runs, a logged session, a pin)
``snapshot`` stores the coming sessions; a day that has passed keeps the plan it had, so
re-planning never rewrites the past (issue 4 §4).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from kneecap.application import cache as revision
from kneecap.application.catalog import catalog_for
from kneecap.core.planning import generate_plan
from kneecap.core.planning.model import Plan, Run
from kneecap.core.planning.soften import soften
from kneecap.core.profile import RunKind, parse_profile
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import PlannedSession, SessionLog

HORIZON_WEEKS = 16
# A queued re-plan older than this is taken as lost (a worker killed mid-task) and queued again.
REPLAN_STALE = timedelta(minutes=10)
# A re-plan waits this long after the write that queued it, so a burst of saves (a session
# logged set by set, an edit after a save) costs one: each replays the whole log (~150 ms).
REPLAN_DELAY = timedelta(seconds=30)
RUN_SPORTS = ("running", "trail_running", "treadmill_running", "walking", "hiking")


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def stored_profile(user: Any) -> RunnerProfile | None:
    """The profile of an onboarded runner, else None."""
    row = revision.profile_row(user)
    return row if row is not None and row.onboarded_at is not None else None


def runs_for(user: Any, since: date) -> list[Run]:
    """Recorded runs (imported or logged by hand) since a date, as the planner sees them."""
    from kneecap.application.progress import local_midnight

    rows = Activity.objects.filter(
        owner=user, start__gte=local_midnight(since), sport__in=RUN_SPORTS
    ).values_list("start", "elapsed_s", "moving_s", "kind")
    return [
        Run(start.date(), round((moving or elapsed or 0) / 60), _kind(kind, moving or elapsed))
        for start, elapsed, moving, kind in rows
    ]


def _kind(kind: str, seconds: float | None) -> RunKind:
    if kind in RunKind.__members__.values():
        return RunKind(kind)
    return RunKind.LONG if (seconds or 0) > 80 * 60 else RunKind.EASY


def plan_for(user: Any, today: date, weeks: int = 4) -> Plan | None:
    """The plan from this week's Monday, or None before onboarding."""
    stored = stored_profile(user)
    if stored is None or stored.onboarded_at is None:
        return None
    return revision.memo(f"plan{weeks}", stored, today, lambda: _plan(user, today, weeks, stored))


def _plan(user: Any, today: date, weeks: int, stored: RunnerProfile) -> Plan:
    start = monday(today)
    profile = parse_profile({**stored.data, "start_date": start.isoformat(), "weeks": weeks})
    last = (
        SessionLog.objects.filter(owner=user, date__lt=start)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    from kneecap.application.progress import doses_for_planner, report_for

    current, left_out = doses_for_planner(report_for(user, today))
    catalog = [ex for ex in catalog_for(user) if ex.slug not in left_out]
    plan = generate_plan(
        profile,
        catalog,
        runs=runs_for(user, start - timedelta(days=42)),
        current=current,
        last_session=last,
        # the deload falls on every 4th week counted from the programme's start
        program_start=monday(timezone.localtime(stored.onboarded_at).date()),
    )
    return soften(plan, big_runs(user, today))


def big_runs(user: Any, today: date) -> list[tuple[date, str]]:
    """Recent runs at the spike warning tier or above (rule 21), with their sentence."""
    from kneecap.application.progress import load_summary
    from kneecap.core.load import SpikeTier

    spikes = load_summary(user, today).spikes
    return [
        (s.day, s.message() or "")
        for s in spikes
        if s.tier.level >= SpikeTier.WARNING.level and s.day >= today - timedelta(days=2)
    ]


def snapshot(user: Any, today: date) -> None:
    """Store the sessions planned from today on; earlier days keep what they had."""
    plan = plan_for(user, today, HORIZON_WEEKS)  # outside: SQLite's write lock stays short
    with transaction.atomic():
        # One snapshot per runner at a time: two web processes re-planning at once would
        # otherwise both insert the same days (PostgreSQL; SQLite writers queue anyway).
        RunnerProfile.objects.select_for_update().filter(user=user).first()
        RunnerProfile.objects.filter(user=user).update(planned_at=timezone.now())
        PlannedSession.objects.filter(owner=user, date__gte=today).delete()
        if plan is None:
            return
        PlannedSession.objects.bulk_create(
            PlannedSession(
                owner=user,
                date=session.date,
                week_kind=week.kind.value,
                minutes=session.minutes,
                why=list(session.why),
                items=[item.as_dict() for item in session.items],
            )
            for week in plan.weeks
            for session in week.sessions
            if session.date >= today
        )


def replan_soon(user: Any) -> None:
    """Queue ``snapshot`` for the worker: a logged set answers without re-planning 16 weeks.

    The stored snapshot only matters once a day has passed (today on is computed live), so
    ``REPLAN_DELAY`` changes nothing the runner sees, and a burst of writes costs one
    re-plan: at most one is queued per runner. The flag and the task row are written in one
    transaction, so neither can exist without the other.
    """
    from django_tasks import default_task_backend

    from kneecap.application.tasks import replan

    now = timezone.now()
    if (
        default_task_backend.supports_defer
    ):  # the immediate backend (KNEECAP_TASKS_IMMEDIATE) runs now
        replan = replan.using(run_after=now + REPLAN_DELAY)
    # Inside the caller's write when there is one, all or nothing with it: no savepoint.
    with transaction.atomic(savepoint=False):
        queued = (
            RunnerProfile.objects.filter(user=user)
            .filter(
                models.Q(replan_queued_at__isnull=True)
                | models.Q(replan_queued_at__lt=now - REPLAN_STALE)
            )
            .update(replan_queued_at=now)
        )
        if queued:
            replan.enqueue(user.pk)


def current_dose(user: Any, exercise: Any) -> tuple[str, str, Any, str]:
    """The dose to do an exercise at right now, outside the plan (exercise on demand)."""
    from kneecap.application.progress import decision_for, report_for
    from kneecap.core.progression import DEFAULT_CONFIG
    from kneecap.core.progression.dose import first_dose

    decision = decision_for(report_for(user, timezone.localdate()), exercise.slug)
    if decision is not None and decision.prescription is not None:
        return exercise.slug, decision.level, decision.prescription, " ".join(decision.why)
    level = exercise.levels[0]
    reason = "New to you: the first level at about half its volume (rule 32)."
    return exercise.slug, level.slug, first_dose(level, DEFAULT_CONFIG), reason
