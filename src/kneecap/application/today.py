"""What a runner may do today: the planned session, any exercise on demand, each as the
safety gate allows it (Today in the browser and ``kneecap session`` in the terminal)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

from kneecap.application import cache, plans
from kneecap.application.catalog import catalog_for
from kneecap.application.log import checkin_due, sessions_of
from kneecap.application.progress import decision_for, report_for
from kneecap.application.rules import rules_for
from kneecap.application.runner import onboarded
from kneecap.application.safety import gate_for
from kneecap.core import log as core
from kneecap.core.catalog import Catalog, Exercise, Level, Prescription
from kneecap.core.planning.model import Plan, Session
from kneecap.core.progression.demand import DoseNow, dose_now
from kneecap.core.progression.model import Decision, MissingRating
from kneecap.core.rules import Rules
from kneecap.core.safety import Gate, Reason, Verdict
from kneecap.core.screening import Leg
from kneecap.core.sessions import GuideItem, session_script
from kneecap.db.accounts.users import User
from kneecap.db.training.models import SessionLog


@dataclass(frozen=True, slots=True)
class Choice:
    """One exercise done now: the gate's answer, and its dose when the answer is yes."""

    exercise: Exercise
    verdict: Verdict
    dose: DoseNow | None


@dataclass(frozen=True, slots=True)
class GuideStep:
    """One exercise of a guided session, as the guide shows it."""

    exercise: Exercise
    level: Level
    prescription: Prescription  # for one leg only when the other is paused (rule 37)
    reason: str
    side: Leg | None


@dataclass(frozen=True, slots=True)
class Guide:
    """A guided session: its exercises and the timer's event script (core.sessions)."""

    steps: tuple[GuideStep, ...]
    total_s: float  # about how long the whole session takes
    script_json: str  # the script as the browser's timer reads it, encoded once when kept


def guide(catalog: Catalog, pairs: list[tuple[str, str, Prescription, str, Leg | None]]) -> Guide:
    steps = []
    for slug, level, prescription, reason, side in pairs:
        exercise = catalog.get(slug)
        dose = replace(prescription, per_side=False) if side else prescription
        steps.append(GuideStep(exercise, exercise.level(level), dose, reason, side))
    script = session_script([GuideItem.of(s.exercise, s.prescription) for s in steps]).as_dict()
    # a session's script is ~300 events: encoding it was the largest part of a Today request
    encoded = json.dumps(script, separators=(",", ":"), sort_keys=True)
    return Guide(tuple(steps), script["total_s"], encoded)


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    plan: Plan
    session: Session | None  # today's planned session, as the gate allows it
    closed: tuple[Reason, ...]  # what stops the whole knee program today
    checkin_due: bool
    alerts: tuple[str, ...]
    choices: tuple[Choice, ...]  # every exercise of the runner's catalog, on demand
    may_settle: bool  # a recent injury may now be confirmed as settling (§6.2)
    guide: Guide | None  # today's planned session, ready to play (None once it is done)
    next_session: Session | None  # the next planned session after today (Home shows its day)
    done: tuple[core.SessionLog, ...]  # what was logged today
    ceiling: int  # rule 16: pain during above it stops an exercise (the rules in force)
    missing: tuple[MissingRating, ...]  # ratings a dose waits for (rules 6, 14): ask for them
    version: int  # the runner's version this value was kept under (what else the page keeps)

    def on_demand(self, slug: str, catalog: Catalog) -> Guide | None:
        """The guide of one exercise done now, when the gate allows it."""
        chosen = self.choice(slug)
        if chosen is None or chosen.dose is None:
            return None
        d, side = chosen.dose, chosen.verdict.side
        return guide(catalog, [(slug, d.level, d.prescription, d.reason, side)])

    def choice(self, slug: str) -> Choice | None:
        return next((c for c in self.choices if c.exercise.slug == slug), None)


def today_for(user: User, day: date) -> Day | None:
    """None before onboarding; kept as one value per runner, day and version."""
    stored = onboarded(user)
    if stored is None:
        return None
    version = stored.version
    return cache.kept(user, "today", day, lambda: _today(user, day, version), version=version)


def _today(user: User, day: date, version: int) -> Day:
    plan = plans.plan_for(user, day, weeks=1)
    assert plan is not None  # noqa: S101 - only onboarded runners get here
    report = report_for(user, day)
    gate, cfg = gate_for(user, day), rules_for(user)
    catalog = catalog_for(user)
    session = next((s for s in plan.sessions() if s.date == day and s.items), None)
    ahead = plans.plan_for(user, day, weeks=2)
    upcoming = ahead.sessions() if ahead is not None else iter(())
    next_session = next((s for s in upcoming if s.date > day and s.items), None)
    closed = gate.closed()
    done = tuple(
        sessions_of(
            SessionLog.objects.filter(owner=user, date=day).prefetch_related("exercises__sets")
        )
    )
    planned = None
    if session is not None and not closed and not done:
        why = "; ".join(session.why)
        pairs = [(i.exercise, i.level, i.prescription, why, i.side) for i in session.items]
        planned = guide(catalog, pairs)
    return Day(
        day=day,
        plan=plan,
        session=session,
        closed=closed,
        checkin_due=checkin_due(user, day),
        alerts=report.alerts if report else (),
        choices=tuple(_choice(ex, decision_for(report, ex.slug), gate, cfg) for ex in catalog),
        may_settle=gate.may_settle(),
        guide=planned,
        next_session=next_session,
        done=done,
        ceiling=cfg.amber_max,
        missing=report.missing if report else (),
        version=version,
    )


def _choice(exercise: Exercise, decision: Decision | None, gate: Gate, cfg: Rules) -> Choice:
    """The engine's next dose, or the first level at about half its volume (rule 32), as
    the gate allows it."""
    dose = dose_now(exercise, decision, cfg)
    level = exercise.level(dose.level if dose else exercise.levels[0].slug)
    verdict = gate.check(exercise, level)
    return Choice(exercise, verdict, dose if verdict.allowed else None)


def planned_log(user: User, day: date) -> dict[str, core.ExerciseLog]:
    """The day's planned session as the log a runner fills in when they did it without
    the timer: each exercise at its planned level, its sets at the planned dose."""
    plan = plans.plan_for(user, day, weeks=1)
    session = next((s for s in plan.sessions() if s.date == day), None) if plan else None
    out = {}
    for item in session.items if session else ():
        dose = item.prescription
        amounts = {k: getattr(dose, k) for k in _AMOUNTS if getattr(dose, k) is not None}
        one = core.SetResult(**amounts, side=item.side)
        out[item.exercise] = core.ExerciseLog(item.exercise, item.level, (one,) * dose.sets)
    return out


_AMOUNTS = ("reps", "hold_s", "distance_m", "duration_s", "load_kg", "flights")
