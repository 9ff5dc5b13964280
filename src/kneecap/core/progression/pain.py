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


class Cause(StrEnum):
    """What decided a gate; the facts in words are written from it only when shown."""

    DURING_RED = "during-red"  # rule 16
    MORNING_RED = "morning-red"  # rule 17
    AFTER_RED = "after-red"  # rules 15, 17
    DURING_AMBER = "during-amber"  # rule 15
    AFTER_AMBER = "after-amber"  # rule 15
    GREEN = "green"  # rule 14


def classify(
    during: int | None,
    after: int | None,
    morning: int | None,
    limit: int,
    cfg: ProgressionConfig,
) -> Cause:
    """The cause of the gate from the knee ratings that count (``None``: not counted)."""
    if during is not None and during > cfg.amber_max:
        return Cause.DURING_RED
    if morning is not None and morning > limit:
        return Cause.MORNING_RED
    if after is not None and after > cfg.amber_max:
        return Cause.AFTER_RED
    if during is not None and during > cfg.green_max:
        return Cause.DURING_AMBER
    if after is not None and after > cfg.green_max:
        return Cause.AFTER_AMBER
    return Cause.GREEN


def gate_of(cause: Cause, knee_loading: bool) -> Gate:
    """The gate of a cause; the next-morning rule regresses knee-loading work only."""
    if cause is Cause.MORNING_RED or cause is Cause.AFTER_RED:
        return Gate.RED_24H if knee_loading else Gate.AMBER
    return _GATES[cause]


_GATES = {
    Cause.DURING_RED: Gate.RED_EXERCISE,
    Cause.DURING_AMBER: Gate.AMBER,
    Cause.AFTER_AMBER: Gate.AMBER,
    Cause.GREEN: Gate.GREEN,
}


def read_gate(
    entry: ExerciseLog,
    session: SessionLog,
    baseline: int,
    cfg: ProgressionConfig,
    *,
    knee_loading: bool = True,
) -> Reading:
    """The gate for ``entry``, with its facts in words."""
    on = words.day(session.date)
    during, after = entry.knee_pain, session.knee(session.pain_after)
    morning = session.morning_knee_pain
    worst = max(x for x in (during, after, morning, 0) if x is not None)
    cause = classify(during, after, morning, baseline + cfg.morning_tolerance, cfg)
    gate = gate_of(cause, knee_loading)
    return Reading(
        gate,
        _facts(cause, during, after, morning, baseline, on, cfg),
        _RULES[cause],
        _notes(entry, session),
        worst,
    )


_RULES: dict[Cause, tuple[int, ...]] = {
    Cause.DURING_RED: (16,),
    Cause.MORNING_RED: (17,),
    Cause.AFTER_RED: (15, 17),
    Cause.DURING_AMBER: (15,),
    Cause.AFTER_AMBER: (15,),
    Cause.GREEN: (14,),
}


def _facts(
    cause: Cause,
    during: int | None,
    after: int | None,
    morning: int | None,
    baseline: int,
    on: str,
    cfg: ProgressionConfig,
) -> str:
    if cause is Cause.DURING_RED:
        return f"pain {words.pain(during or 0)} during on {on}, above {cfg.amber_max}"
    if cause is Cause.MORNING_RED:
        return (
            f"next-morning pain {words.pain(morning or 0)} after {on}, "
            f"above your usual {words.pain(baseline)}"
        )
    if cause is Cause.AFTER_RED:
        return f"pain {words.pain(after or 0)} after the session on {on}, above {cfg.amber_max}"
    if cause is Cause.DURING_AMBER:
        return f"pain {words.pain(during or 0)} during on {on}"
    if cause is Cause.AFTER_AMBER:
        return f"pain {words.pain(after or 0)} after the session on {on}, settled next morning"
    return f"pain {words.pain(during or 0)} during on {on}, next morning settled"


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
