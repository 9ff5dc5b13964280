"""The progression engine and the load view fed from the database.

One place builds the engine's inputs (profile, log, pins, load spike), so the plan, the
Today page, ``kneecap session`` and the progress pages all show the same decision.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kneecap.application import cache as revision
from kneecap.application.catalog import catalog_for
from kneecap.application.log import training_log
from kneecap.core.load import LoadRun, LoadSummary, StrengthLoad, summarize
from kneecap.core.planning import CurrentDose
from kneecap.core.profile import parse_profile
from kneecap.core.progression import Action, Decision, Report, context_from_profile, progress
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import SessionLog

RUN_SPORTS = ("running", "trail_running", "treadmill_running")
LOAD_DAYS = 400  # the load view's window: enough for a year of weekly totals


def program_start(stored: Any) -> date:
    start = timezone.localtime(stored.onboarded_at).date()
    return start - timedelta(days=start.weekday())


def local_midnight(day: date, days_later: int = 0) -> datetime:
    """The first instant of a local day: ``start >= local_midnight(d)`` is ``start__date >= d``
    but walks the (owner, start) index instead of converting every row to a date."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=days_later), time.min))


def load_inputs(
    user: Any, today: date, days: int = LOAD_DAYS
) -> tuple[list[LoadRun], list[StrengthLoad]]:
    since = today - timedelta(days=days)
    rows = Activity.objects.filter(
        owner=user, start__gte=local_midnight(since), start__lt=local_midnight(today, 1)
    )
    runs = [
        LoadRun(
            start,
            distance,
            (moving or elapsed or 0) / 60,
            rpe,
            "running" if sport in RUN_SPORTS else sport,
        )
        for start, distance, moving, elapsed, rpe, sport in rows.values_list(
            "start", "distance_m", "moving_s", "elapsed_s", "rpe", "sport"
        )
    ]
    sessions = SessionLog.objects.filter(owner=user, date__gte=since, date__lte=today)
    strength = [
        StrengthLoad(day, minutes or 0, rpe)
        for day, minutes, rpe in sessions.values_list("date", "minutes", "rpe")
    ]
    return runs, strength


def load_summary(user: Any, today: date) -> LoadSummary:
    from kneecap.application.plans import stored_profile

    stored = stored_profile(user)
    if stored is None:
        return _load_summary(user, today)
    return revision.memo("load", stored, today, lambda: _load_summary(user, today))


def _load_summary(user: Any, today: date) -> LoadSummary:
    runs, strength = load_inputs(user, today)
    return summarize(runs, strength, today)


def report_for(user: Any, today: date) -> Report | None:
    """Every logged or pinned exercise's next step, as of today."""
    from kneecap.application.plans import stored_profile

    stored = stored_profile(user)
    if stored is None:
        return None
    # One replay of the whole log per runner, day and input change, not one per page section.
    return revision.memo("report", stored, today, lambda: _report(user, today, stored))


def _report(user: Any, today: date, stored: Any) -> Report:
    profile = parse_profile({**stored.data, "start_date": program_start(stored).isoformat()})
    log = training_log(user)
    ctx = context_from_profile(
        profile,
        today,
        load_spike=load_summary(user, today).softening(today) is not None,
        pins=log.pins,
    )
    return progress(catalog_for(user).get, log, ctx)


def doses_for_planner(report: Report | None) -> tuple[dict[str, CurrentDose], set[str]]:
    """The engine's doses for the planner, and the exercises it must leave out."""
    current: dict[str, CurrentDose] = {}
    left_out: set[str] = set()
    for d in report.exercises if report else ():
        if d.prescription is None or d.action in (Action.PAUSE, Action.REFER):
            left_out.add(d.exercise)
        else:
            current[d.exercise] = CurrentDose(d.level, d.prescription, " ".join(d.why), d.rules)
    return current, left_out


def decision_for(report: Report | None, slug: str) -> Decision | None:
    return next((d for d in report.exercises if d.exercise == slug), None) if report else None
