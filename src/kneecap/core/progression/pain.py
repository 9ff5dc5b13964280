"""The pain gate (evidence brief §2.2, rules 13–20): what each logged session allows next time.

Only knee pain counts: a rating marked as muscle soreness is left out (rule 20). A rating
that was not logged counts as no pain, and the explanation says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kneecap.core.log import ExerciseLog, SessionLog
from kneecap.core.progression import words
from kneecap.core.progression.config import ProgressionConfig


class Gate(StrEnum):
    GREEN = "green"  # rule 14: may progress
    AMBER = "amber"  # rule 15: hold
    RED_EXERCISE = "red-exercise"  # rule 16: regress this exercise
    RED_24H = "red-24h"  # rule 17: regress the session's knee-loading exercises
    RED_TREND = "red-trend"  # rule 18: freeze all progressions
    ESCALATE = "escalate"  # rule 19: see a clinician

    @property
    def red(self) -> bool:
        return self in (Gate.RED_EXERCISE, Gate.RED_24H)


@dataclass(frozen=True, slots=True)
class Reading:
    """The gate of one exercise in one session, with the facts behind it in words."""

    gate: Gate
    facts: str  # "pain 4/10 during on Tuesday 3 March"
    rules: tuple[int, ...]
    notes: tuple[tuple[str, tuple[int, ...]], ...] = ()  # soreness left out (rule 20), gaps
    worst: int = 0  # the highest knee rating that counted, for "no improvement" (rule 19)


def read_gate(
    entry: ExerciseLog,
    session: SessionLog,
    baseline: int,
    cfg: ProgressionConfig,
    *,
    knee_loading: bool = True,
) -> Reading:
    """The gate for ``entry``; the next-morning rule regresses knee-loading work only."""
    on = words.day(session.date)
    during, after = entry.knee_pain, session.knee(session.pain_after)
    morning = session.morning_knee_pain
    notes = _notes(entry, session)
    worst = max(x for x in (during, after, morning, 0) if x is not None)
    limit = baseline + cfg.morning_tolerance
    if during is not None and during > cfg.amber_max:
        facts = f"pain {words.pain(during)} during on {on}, above {cfg.amber_max}"
        return Reading(Gate.RED_EXERCISE, facts, (16,), notes, worst)
    if morning is not None and morning > limit:
        facts = (
            f"next-morning pain {words.pain(morning)} after {on}, "
            f"above your usual {words.pain(baseline)}"
        )
        gate = Gate.RED_24H if knee_loading else Gate.AMBER
        return Reading(gate, facts, (17,), notes, worst)
    if after is not None and after > cfg.amber_max:
        facts = f"pain {words.pain(after)} after the session on {on}, above {cfg.amber_max}"
        return Reading(Gate.RED_24H if knee_loading else Gate.AMBER, facts, (15, 17), notes, worst)
    return _green_or_amber(during, after, on, cfg, notes, worst)


def _green_or_amber(
    during: int | None,
    after: int | None,
    on: str,
    cfg: ProgressionConfig,
    notes: tuple[tuple[str, tuple[int, ...]], ...],
    worst: int,
) -> Reading:
    if during is not None and during > cfg.green_max:
        return Reading(Gate.AMBER, f"pain {words.pain(during)} during on {on}", (15,), notes, worst)
    if after is not None and after > cfg.green_max:
        facts = f"pain {words.pain(after)} after the session on {on}, settled next morning"
        return Reading(Gate.AMBER, facts, (15,), notes, worst)
    facts = f"pain {words.pain(during or 0)} during on {on}, next morning settled"
    return Reading(Gate.GREEN, facts, (14,), notes, worst)


def _notes(entry: ExerciseLog, session: SessionLog) -> tuple[tuple[str, tuple[int, ...]], ...]:
    on = words.day(session.date)
    notes: list[tuple[str, tuple[int, ...]]] = []
    if entry.pain_during is not None and entry.knee_pain is None:
        sore = f"Muscle soreness {words.pain(entry.pain_during)} on {on} is not knee pain"
        notes.append((sore, (20,)))
    if entry.pain_during is None:
        notes.append((f"No pain rating during it on {on}: counted as none", ()))
    if session.pain_next_morning is None:
        notes.append((f"No next-morning rating after {on}: counted as settled", ()))
    elif session.morning_knee_pain is None:
        notes.append((f"The morning after {on}: muscle soreness, not knee pain", (20,)))
    return tuple(notes)


# --- week to week (rule 18) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trend:
    """A rising week: this week's mean morning rating above last week's (rule 18)."""

    what: str  # "pain" or "stiffness"
    this_week: float
    last_week: float

    def facts(self) -> str:
        return (
            f"morning {self.what} averaged {self.this_week:.1f}/10 over the last 7 days, "
            f"up from {self.last_week:.1f}/10 the week before"
        )


def week_trend(sessions: Iterable[SessionLog], as_of: date, cfg: ProgressionConfig) -> Trend | None:
    """The rising trend of mornings up to ``as_of``, or None when it is flat or falling."""
    sessions = tuple(sessions)
    pain = [(s.morning, s.morning_knee_pain) for s in sessions]
    stiffness = [(s.morning, s.stiffness_next_morning) for s in sessions]
    for what, ratings in (("pain", pain), ("stiffness", stiffness)):
        now = _mean(ratings, as_of, cfg.trend_days)
        before = _mean(ratings, as_of - timedelta(days=cfg.trend_days), cfg.trend_days)
        if now is not None and before is not None and now > before:
            return Trend(what, now, before)
    return None


def _mean(ratings: list[tuple[date, int | None]], end: date, days: int) -> float | None:
    """Mean of the ratings on mornings in (end − days, end]."""
    start = end - timedelta(days=days)
    values = [v for d, v in ratings if v is not None and start < d <= end]
    return sum(values) / len(values) if values else None
