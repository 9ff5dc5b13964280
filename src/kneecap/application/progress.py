"""The progression engine and the load view fed from the database.

One place builds the engine's inputs (profile, log, pins, load spike), so the plan, Today,
``kneecap session`` and the progress pages all show the same decision.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kneecap.application import cache
from kneecap.application.catalog import catalog_for
from kneecap.application.log import training_log
from kneecap.application.rules import rules_for
from kneecap.application.runner import local_midnight, onboarded, program_start
from kneecap.core.activity import is_run
from kneecap.core.load import LoadRun, LoadSummary, StrengthLoad, summarize
from kneecap.core.profile import parse_profile
from kneecap.core.progression import Decision, Report, context_from_profile, progress
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import SessionLog

LOAD_DAYS = 400  # the load view's window: enough for a year of weekly totals


def load_inputs(
    user: User, today: date, days: int = LOAD_DAYS
) -> tuple[list[LoadRun], list[StrengthLoad]]:
    since = today - timedelta(days=days)
    rows = Activity.objects.filter(
        owner=user, start__gte=local_midnight(since), start__lt=local_midnight(today, 1)
    )
    runs = [
        LoadRun(
            timezone.localtime(start),
            distance,
            (moving or elapsed or 0) / 60,
            rpe,
            "running" if is_run(sport) else sport,
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


def load_summary(user: User, today: date) -> LoadSummary:
    return cache.kept(
        user,
        "load",
        today,
        lambda: summarize(*load_inputs(user, today), today, cfg=rules_for(user)),
    )


def report_for(user: User, today: date) -> Report | None:
    """Every logged or pinned exercise's next step, as of today (None before onboarding)."""
    stored = onboarded(user)
    if stored is None:
        return None
    compute = lambda: _report(user, today, stored)  # noqa: E731
    # As of a later day the report reads today's sessions too: the full version then.
    later = today > timezone.localdate()
    version = stored.version if later else stored.base_version
    return cache.kept(user, "report", today, compute, version=version)


def next_report(user: User, today: date) -> Report | None:
    """What comes next: as of today, or as of tomorrow once a session is logged today (the
    progress pages count today's session; Today's planned session is as of today)."""
    done_today = SessionLog.objects.filter(owner=user, date=today).exists()
    return report_for(user, today + timedelta(days=1) if done_today else today)


def _report(user: User, today: date, stored: Any) -> Report:
    """Kept under the base version: it reads sessions before today only (and check-ins up to
    this morning, runs up to today), which a session saved today does not change."""
    profile = parse_profile({**stored.data, "start_date": program_start(stored).isoformat()})
    log, cfg = training_log(user), rules_for(user)
    ctx = context_from_profile(
        profile,
        today,
        load_spike=load_summary(user, today).softening(today) is not None,
        pins=log.pins,
        cfg=cfg,
    )
    return progress(catalog_for(user).get, log, ctx, cfg)


def decision_for(report: Report | None, slug: str) -> Decision | None:
    return next((d for d in report.exercises if d.exercise == slug), None) if report else None
