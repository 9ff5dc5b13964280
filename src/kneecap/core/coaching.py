"""What a coach or physio sees of one athlete: adherence, pain and its trend, red flags,
progression and running load (issue 8 §2), from the same values the runner's pages use."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from kneecap.core.load import LoadSummary, SpikeTier
from kneecap.core.log import TrainingLog
from kneecap.core.progression.config import DEFAULT_CONFIG, ProgressionConfig
from kneecap.core.progression.model import Report
from kneecap.core.safety import Trigger

TREND_DAYS = 14  # pain after sessions, this fortnight against the one before
TREND_MARGIN = 0.5  # a mean that moves less than this is steady
SPIKE_SHOWN_DAYS = 14


@dataclass(frozen=True, slots=True)
class Adherence:
    """Sessions done against planned, this week and over 6 weeks."""

    done_week: int
    planned_week: int
    done_6w: int
    planned_6w: int


@dataclass(frozen=True, slots=True)
class AthleteSummary:
    adherence: Adherence
    pain_recent: float | None  # mean pain after sessions over the last 14 days
    pain_before: float | None  # the 14 days before that
    max_pain_14d: int | None  # the highest knee rating during an exercise, last 14 days
    pain_trend: str  # rising, falling, steady, or not enough data
    flags: tuple[str, ...]
    progression: dict[str, int]  # decision → exercises
    week_km: float
    spike: str | None  # the latest single-run spike of the last 14 days, in words
    pauses: tuple[tuple[str, str], ...] = ()  # what a coach or physio may clear (core.safety)


def summarize(
    log: TrainingLog,
    report: Report | None,
    load: LoadSummary,
    adherence: Adherence,
    triggers: Iterable[Trigger],
    today: date,
    cfg: ProgressionConfig = DEFAULT_CONFIG,
) -> AthleteSummary:
    recent = _pain_after(log, today - timedelta(days=TREND_DAYS), today)
    before = _pain_after(log, today - timedelta(days=2 * TREND_DAYS), today - timedelta(TREND_DAYS))
    during = [
        e.knee_pain
        for s in log.sessions
        if s.date > today - timedelta(days=TREND_DAYS)
        for e in s.exercises
        if e.knee_pain is not None
    ]
    spike = load.latest_spike(at_least=SpikeTier.CAUTION)
    shown = spike is not None and (today - spike.day).days <= SPIKE_SHOWN_DAYS
    return AthleteSummary(
        adherence=adherence,
        pain_recent=recent,
        pain_before=before,
        max_pain_14d=max(during, default=None),
        pain_trend=_trend(recent, before),
        flags=_flags(report, triggers),
        progression=dict(Counter(d.action.value for d in report.exercises)) if report else {},
        week_km=load.weeks[-1].distance_m / 1000 if load.weeks else 0.0,
        spike=spike.message() if shown and spike is not None else None,
    )


def _pain_after(log: TrainingLog, after: date, until: date) -> float | None:
    found = [
        p
        for s in log.sessions
        if after < s.date <= until
        if (p := s.knee(s.pain_after)) is not None
    ]
    return fmean(found) if found else None


def _trend(recent: float | None, before: float | None) -> str:
    if recent is None or before is None:
        return "not enough data"
    if recent > before + TREND_MARGIN:
        return "rising"
    if recent < before - TREND_MARGIN:
        return "falling"
    return "steady"


def _flags(report: Report | None, triggers: Iterable[Trigger]) -> tuple[str, ...]:
    """Rule 38's triggers as they were logged, and the engine's alerts (rules 19, 36-38)."""
    out = [f"{t.text} (rule 38)" for t in triggers]
    out.extend(report.alerts if report else ())
    return tuple(dict.fromkeys(out))
