"""What a coach sees of each linked athlete: adherence, pain, red flags, load (issue 8 §2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Max

from kneecap.application import cache as revision
from kneecap.application.plans import monday
from kneecap.db.training.models import MorningCheckin, PlannedSession, SessionLog


@dataclass
class AthleteSummary:
    athlete: Any
    done_week: int
    planned_week: int
    done_6w: int
    planned_6w: int
    pain_recent: float | None  # mean session pain (after) over the last 14 days
    pain_before: float | None  # the 14 days before that
    max_pain_14d: int | None
    flags: list[str] = field(default_factory=list)
    progression: dict[str, int] = field(default_factory=dict)  # decision → exercises
    week_km: float = 0.0
    spike: str | None = None  # the latest single-run spike alert of the last 14 days

    @property
    def pain_trend(self) -> str:
        if self.pain_recent is None or self.pain_before is None:
            return "not enough data"
        if self.pain_recent > self.pain_before + 0.5:
            return "rising"
        if self.pain_recent < self.pain_before - 0.5:
            return "falling"
        return "steady"


def _count(model: Any, athlete: Any, first: date, last: date) -> int:
    return int(model.objects.filter(owner=athlete, date__range=(first, last)).count())


def summarize(athlete: Any, today: date) -> AthleteSummary:
    """Kept until the athlete's data or stored plan changes (planned counts read it)."""
    return revision.kept(
        athlete, "summary", today, lambda: _summarize(athlete, today), snapshots=True
    )


def _summarize(athlete: Any, today: date) -> AthleteSummary:
    week_start = monday(today)
    six_weeks = week_start - timedelta(weeks=5)
    sessions = SessionLog.objects.filter(owner=athlete)
    recent = sessions.filter(date__gt=today - timedelta(days=14)).aggregate(
        mean=Avg("pain_after"), worst=Max("exercises__pain_during")
    )
    before = sessions.filter(
        date__gt=today - timedelta(days=28), date__lte=today - timedelta(days=14)
    ).aggregate(mean=Avg("pain_after"))
    summary = AthleteSummary(
        athlete=athlete,
        done_week=_count(SessionLog, athlete, week_start, today),
        planned_week=_count(PlannedSession, athlete, week_start, week_start + timedelta(days=6)),
        done_6w=_count(SessionLog, athlete, six_weeks, today),
        planned_6w=_count(PlannedSession, athlete, six_weeks, week_start + timedelta(days=6)),
        pain_recent=recent["mean"],
        pain_before=before["mean"],
        max_pain_14d=recent["worst"],
    )
    summary.flags = _flags(athlete, today, summary)
    _add_progress_and_load(summary, athlete, today)
    return summary


def _add_progress_and_load(summary: AthleteSummary, athlete: Any, today: date) -> None:
    from kneecap.application.progress import load_summary, report_for
    from kneecap.core.load import SpikeTier

    report = report_for(athlete, today)
    for decision in report.exercises if report else ():
        summary.progression[decision.action.value] = (
            summary.progression.get(decision.action.value, 0) + 1
        )
    summary.flags.extend(report.alerts if report else ())
    load = load_summary(athlete, today)
    if load.weeks:
        summary.week_km = load.weeks[-1].distance_m / 1000
    spike = load.latest_spike(at_least=SpikeTier.CAUTION)
    if spike is not None and (today - spike.day).days <= 14:
        summary.spike = spike.message()


def _flags(athlete: Any, today: date, summary: AthleteSummary) -> list[str]:
    """Rule 38's automatic triggers, as the coach should see them."""
    flags = []
    if summary.max_pain_14d is not None and summary.max_pain_14d > 7:
        flags.append(f"knee pain of {summary.max_pain_14d}/10 during an exercise (rule 38)")
    swollen = MorningCheckin.objects.filter(
        owner=athlete, date__gt=today - timedelta(days=14), swelling=True
    ).exists()
    if swollen:
        flags.append("swelling reported in a morning check-in (rule 38)")
    return flags
