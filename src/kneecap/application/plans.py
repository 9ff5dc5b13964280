"""The runner's plan: core's planner fed from the database, and its snapshots.

The plan is a pure function of the profile, the catalog, the runs and the log, so it is
computed when shown (once per runner, day and version: ``cache.kept``). After an input
changes, the worker stores the coming sessions (``snapshot``); a day that has passed keeps
the plan it had, so re-planning never rewrites the past (issue 4 §4).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kneecap.application import cache
from kneecap.application.catalog import catalog_for
from kneecap.application.progress import load_summary, report_for
from kneecap.application.rules import rules_for
from kneecap.application.runner import local_midnight, monday, onboarded, program_start
from kneecap.application.safety import gate_for
from kneecap.core.activity import RUNNING
from kneecap.core.planning import generate_plan
from kneecap.core.planning.inputs import big_runs, planner_doses
from kneecap.core.planning.model import Plan, Run
from kneecap.core.planning.pattern import PATTERN_WEEKS, PatternProposal, propose_pattern
from kneecap.core.planning.soften import soften
from kneecap.core.profile import RunKind, parse_profile
from kneecap.core.safety import Gate, effective_answers, gated_plan
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import PlannedSession, SessionLog

HORIZON_WEEKS = 16
LONG_RUN_S = 80 * 60  # an imported run of unknown kind this long is taken as a long run


def runs_for(user: User, since: date) -> list[Run]:
    """Recorded runs (imported or logged by hand) since a date, as the planner sees them."""
    rows = Activity.objects.filter(
        owner=user, start__gte=local_midnight(since), sport=RUNNING
    ).values_list("start", "elapsed_s", "moving_s", "kind")
    return [
        Run(
            timezone.localtime(start).date(),
            round((moving or elapsed or 0) / 60),
            _kind(kind, moving or elapsed),
        )
        for start, elapsed, moving, kind in rows
    ]


def _kind(kind: str, seconds: float | None) -> RunKind:
    if kind in RunKind.__members__.values():
        return RunKind(kind)
    return RunKind.LONG if (seconds or 0) > LONG_RUN_S else RunKind.EASY


def plan_for(user: User, today: date, weeks: int = 4) -> Plan | None:
    """The plan from this week's Monday, or None before onboarding: one 16-week plan per
    runner, day and version, sliced for each page."""
    stored = onboarded(user)
    if stored is None:
        return None
    compute = lambda: _gated(user, today, stored)  # noqa: E731
    whole = cache.kept(user, "plan", today, compute, version=stored.version)
    return replace(whole, weeks=whole.weeks[:weeks]) if weeks < HORIZON_WEEKS else whole


def _gated(user: User, today: date, stored: RunnerProfile) -> Plan:
    """The plan as the safety gate allows it: every door that shows a plan shows this one."""
    gate = gate_for(user, today)
    return gated_plan(_plan(user, today, HORIZON_WEEKS, stored, gate), gate, catalog_for(user).get)


def _plan(user: User, today: date, weeks: int, stored: RunnerProfile, gate: Gate) -> Plan:
    start = monday(today)
    answers = effective_answers(stored.data.get("screening", {}), gate)
    data = {**stored.data, "screening": answers, "start_date": start.isoformat(), "weeks": weeks}
    profile = parse_profile(data)
    last = (
        SessionLog.objects.filter(owner=user, date__lt=start)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    current, left_out = planner_doses(report_for(user, today))
    cfg = rules_for(user)
    catalog = [ex for ex in catalog_for(user) if ex.slug not in left_out]
    plan = generate_plan(
        profile,
        catalog,
        runs=runs_for(user, start - timedelta(days=42)),
        current=current,
        last_session=last,
        program_start=program_start(stored),  # the deload falls on every 4th week (rule 29)
        cfg=cfg,
    )
    return soften(plan, big_runs(load_summary(user, today), today, cfg), cfg)


def pattern_proposal(user: User, today: date) -> PatternProposal | None:
    """The weekly pattern the last three full weeks of runs show, when it contradicts the
    runner's (issue 17 §3); None when they agree, before onboarding, or with no runs."""
    stored = onboarded(user)
    if stored is None:
        return None
    pattern = parse_profile({**stored.data, "start_date": today.isoformat()}).runs
    since = monday(today) - timedelta(weeks=PATTERN_WEEKS)
    return propose_pattern(pattern, runs_for(user, since), today)


def snapshot(user: User, today: date) -> None:
    """Store the sessions planned from today on; earlier days keep what they had."""
    plan = plan_for(user, today, HORIZON_WEEKS)  # outside: SQLite's write lock stays short
    with transaction.atomic():
        # One snapshot per runner at a time: two processes re-planning at once would
        # otherwise both insert the same days (PostgreSQL; SQLite writers queue anyway).
        RunnerProfile.objects.select_for_update().filter(user=user).first()
        PlannedSession.objects.filter(owner=user, date__gte=today).delete()
        if plan is not None:
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
        cache.changed(user.pk)  # what counts planned sessions (the coach's summary) reads these
