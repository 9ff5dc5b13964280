"""What a runner may do today: the planned session, any exercise on demand, each as the
safety gate allows it (Today in the browser and ``kneecap session`` in the terminal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kneecap.application import cache, plans
from kneecap.application.catalog import catalog_for
from kneecap.application.log import checkin_due
from kneecap.application.progress import decision_for, report_for
from kneecap.application.runner import onboarded
from kneecap.application.safety import gate_for
from kneecap.core.catalog import Exercise
from kneecap.core.planning.model import Plan, Session
from kneecap.core.progression.demand import DoseNow, dose_now
from kneecap.core.progression.model import Decision
from kneecap.core.safety import Gate, Reason, Verdict


@dataclass(frozen=True, slots=True)
class Choice:
    """One exercise done now: the gate's answer, and its dose when the answer is yes."""

    exercise: Exercise
    verdict: Verdict
    dose: DoseNow | None


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

    def choice(self, slug: str) -> Choice | None:
        return next((c for c in self.choices if c.exercise.slug == slug), None)


def today_for(user: Any, day: date) -> Day | None:
    """None before onboarding; kept as one value per runner, day and version."""
    stored = onboarded(user)
    if stored is None:
        return None
    return cache.kept(user, "today", day, lambda: _today(user, day), version=stored.version)


def _today(user: Any, day: date) -> Day:
    plan = plans.plan_for(user, day, weeks=1)
    assert plan is not None  # noqa: S101 - only onboarded runners get here
    report = report_for(user, day)
    gate = gate_for(user, day)
    return Day(
        day=day,
        plan=plan,
        session=next((s for s in plan.sessions() if s.date == day and s.items), None),
        closed=gate.closed(),
        checkin_due=checkin_due(user, day),
        alerts=report.alerts if report else (),
        choices=tuple(_choice(ex, decision_for(report, ex.slug), gate) for ex in catalog_for(user)),
        may_settle=gate.may_settle(),
    )


def _choice(exercise: Exercise, decision: Decision | None, gate: Gate) -> Choice:
    """The engine's next dose, or the first level at about half its volume (rule 32), as
    the gate allows it."""
    dose = dose_now(exercise, decision)
    level = exercise.level(dose.level if dose else exercise.levels[0].slug)
    verdict = gate.check(exercise, level)
    return Choice(exercise, verdict, dose if verdict.allowed else None)
