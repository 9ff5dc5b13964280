"""What a coach sees of each linked athlete (``kneecap.core.coaching``), fed from the
database: the plan's stored snapshots give the planned counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from kneecap.application import cache
from kneecap.application.catalog import catalog_for
from kneecap.application.log import training_log
from kneecap.application.progress import load_summary, report_for
from kneecap.application.rules import rules_for
from kneecap.application.runner import monday
from kneecap.application.safety import clearable, runs_of
from kneecap.core.coaching import Adherence, AthleteSummary
from kneecap.core.coaching import summarize as summarize_athlete
from kneecap.core.safety import triggers
from kneecap.db.accounts.users import User
from kneecap.db.training.models import PlannedSession, SessionLog


def summarize(athlete: User, today: date) -> AthleteSummary:
    """Kept under the athlete's version (a re-plan's snapshot moves it too)."""
    return cache.kept(athlete, "summary", today, lambda: _summarize(athlete, today))


def _summarize(athlete: User, today: date) -> AthleteSummary:
    log, cfg = training_log(athlete), rules_for(athlete)
    names = catalog_for(athlete)
    found = triggers(
        log,
        runs_of(athlete, today - timedelta(days=cfg.alert_days)),
        lambda slug: names.get(slug).name if slug in names else slug,
        today,
        cfg,
    )
    summary = summarize_athlete(
        log,
        report_for(athlete, today),
        load_summary(athlete, today),
        adherence(athlete, today),
        found,
        today,
        cfg,
    )
    return replace(summary, pauses=clearable(athlete, today))


def adherence(athlete: User, today: date) -> Adherence:
    week = monday(today)
    six = week - timedelta(weeks=5)
    end = week + timedelta(days=6)
    return Adherence(
        done_week=_count(SessionLog, athlete, week, today),
        planned_week=_count(PlannedSession, athlete, week, end),
        done_6w=_count(SessionLog, athlete, six, today),
        planned_6w=_count(PlannedSession, athlete, six, end),
    )


def _count(model: Any, athlete: User, first: date, last: date) -> int:
    return int(model.objects.filter(owner=athlete, date__range=(first, last)).count())
