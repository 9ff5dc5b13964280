"""The pain gate (evidence brief §2.2, rules 13–20): what each logged session allows next time.

Only knee pain counts: a rating marked as muscle soreness is left out (rule 20), yet it is a
rating. A rating that was not given is never taken as good news: a session without its pain
rating during an exercise, or without its next morning, holds the dose and asks for it
(rules 6, 14); the explanations state only the ratings that were given.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from kneecap.core.log import Checkin, ExerciseLog, PainLocation, SessionLog, TrainingLog
from kneecap.core.progression import words
from kneecap.core.progression.config import ProgressionConfig


class Gate(StrEnum):
    GREEN = "green"  # rule 14: may progress
    AMBER = "amber"  # rule 15: hold
    UNRATED = "unrated"  # rules 6, 14: a rating is missing: hold, and ask for it
    RED_EXERCISE = "red-exercise"  # rule 16: regress this exercise
    RED_24H = "red-24h"  # rule 17: regress the session's knee-loading exercises
    RED_TREND = "red-trend"  # rule 18: freeze all progressions
    ESCALATE = "escalate"  # rule 19: see a clinician

    @property
    def red(self) -> bool:
        return self in (Gate.RED_EXERCISE, Gate.RED_24H)

    @property
    def painful(self) -> bool:
        """Pain modified the session: amber or red (not green, not unrated)."""
        return self in (Gate.AMBER, Gate.RED_EXERCISE, Gate.RED_24H)


@dataclass(frozen=True, slots=True)
class Reading:
    """The gate of one exercise in one session, with the facts behind it in words."""

    gate: Gate
    facts: str  # "pain 4/10 during on Tuesday 3 March"
    rules: tuple[int, ...]
    notes: tuple[tuple[str, tuple[int, ...]], ...] = ()  # soreness left out (rule 20)
    worst: int = 0  # the highest knee rating that counted, for "no improvement" (rule 19)


class Ratings(NamedTuple):
    """A session's ratings after it and the next morning, as the gate reads them (a tuple:
    a replay makes one per session)."""

    after: int | None  # knee pain right after; None: not given, or muscle soreness
    morning: int | None  # knee pain the next morning; None: not given, or muscle soreness
    morning_given: bool  # the next morning was answered (soreness is an answer, rule 20)

    @classmethod
    def of(cls, session: SessionLog, checkin: Checkin | None = None) -> Ratings:
        """From the session, or from the check-in of the morning after it when the session
        leaves the next morning out. Muscle soreness is not knee pain (rule 20)."""
        sore = session.pain_location is _MUSCLE
        after = None if sore else session.pain_after
        morning = session.pain_next_morning
        if morning is None:
            if checkin is None:
                return cls(after, None, False)
            return cls(after, None if checkin.pain_location is _MUSCLE else checkin.pain, True)
        if session.pain_location_next_morning is _MUSCLE:
            return cls(after, None, True)
        return cls(after, morning, True)


_MUSCLE = PainLocation.MUSCLE


class Cause(StrEnum):
    """What decided a gate; the facts in words are written from it only when shown."""

    DURING_RED = "during-red"  # rule 16
    MORNING_RED = "morning-red"  # rule 17
    AFTER_RED = "after-red"  # rules 15, 17
    DURING_AMBER = "during-amber"  # rule 15
    AFTER_AMBER = "after-amber"  # rule 15
    UNRATED = "unrated"  # rules 6, 14
    GREEN = "green"  # rule 14


def classify(
    during: int | None, rated: bool, r: Ratings, limit: int, cfg: ProgressionConfig
) -> Cause:
    """The cause of the gate from the knee ratings that count (``None``: not counted);
    ``rated``: a rating during the exercise was given (muscle soreness included)."""
    if during is not None and during > cfg.amber_max:
        return Cause.DURING_RED
    if r.morning is not None and r.morning > limit:
        return Cause.MORNING_RED
    if r.after is not None and r.after > cfg.amber_max:
        return Cause.AFTER_RED
    if during is not None and during > cfg.green_max:
        return Cause.DURING_AMBER
    if r.after is not None and r.after > cfg.green_max:
        return Cause.AFTER_AMBER
    if not rated or not r.morning_given:
        return Cause.UNRATED
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
    Cause.UNRATED: Gate.UNRATED,
    Cause.GREEN: Gate.GREEN,
}
_RULES: dict[Cause, tuple[int, ...]] = {
    Cause.DURING_RED: (16,),
    Cause.MORNING_RED: (17,),
    Cause.AFTER_RED: (15, 17),
    Cause.DURING_AMBER: (15,),
    Cause.AFTER_AMBER: (15,),
    Cause.UNRATED: (6, 14),
    Cause.GREEN: (14,),
}


def read_gate(
    entry: ExerciseLog,
    session: SessionLog,
    baseline: int,
    cfg: ProgressionConfig,
    *,
    knee_loading: bool = True,
    ratings: Ratings | None = None,
    as_of: date | None = None,
) -> Reading:
    """The gate for ``entry``, with its facts in words; ``as_of`` tells a next morning that
    has not come yet (today's) from one that went by unanswered."""
    r = ratings or Ratings.of(session)
    during = entry.knee_pain
    worst = max(x for x in (during, r.after, r.morning, 0) if x is not None)
    rated = entry.pain_during is not None
    cause = classify(during, rated, r, baseline + cfg.morning_tolerance, cfg)
    facts = _Facts(entry, session, r, baseline, cfg, as_of).of(cause)
    notes = _notes(entry, session, r)
    return Reading(gate_of(cause, knee_loading), facts, _RULES[cause], notes, worst)


@dataclass(frozen=True, slots=True)
class _Facts:
    entry: ExerciseLog
    session: SessionLog
    r: Ratings
    baseline: int
    cfg: ProgressionConfig
    as_of: date | None

    def of(self, cause: Cause) -> str:
        on, during, r = words.day(self.session.date), self.entry.knee_pain or 0, self.r
        if cause is Cause.DURING_RED:
            return f"pain {words.pain(during)} during on {on}, above {self.cfg.amber_max}"
        if cause is Cause.MORNING_RED:
            return (
                f"next-morning pain {words.pain(r.morning or 0)} after {on}, "
                f"above your usual {words.pain(self.baseline)}"
            )
        if cause is Cause.AFTER_RED:
            after = words.pain(r.after or 0)
            return f"pain {after} after the session on {on}, above {self.cfg.amber_max}"
        if cause is Cause.DURING_AMBER:
            return f"pain {words.pain(during)} during on {on}"
        if cause is Cause.AFTER_AMBER:
            settled = ", settled next morning" if r.morning is not None else ""
            return f"pain {words.pain(r.after or 0)} after the session on {on}{settled}"
        if cause is Cause.UNRATED:
            return self.unrated(on)
        return self.green(on)

    def green(self, on: str) -> str:
        knee = self.entry.knee_pain
        text = f"muscle soreness only during it on {on}"
        if knee is not None:
            text = f"pain {words.pain(knee)} during on {on}"
        return text + (", next morning settled" if self.r.morning is not None else "")

    def unrated(self, on: str) -> str:
        """What is missing; a next morning that is today is not missing yet, only to come."""
        during, morning = self.entry.pain_during is None, not self.r.morning_given
        due = morning and self.as_of is not None and self.session.morning >= self.as_of
        if during and morning:
            then = "today's check-in still to come" if due else "no next-morning rating"
            return f"no pain rating during it on {on} and {then}: rate them so the dose can grow"
        if during:
            return f"no pain rating during it on {on}: rate it so the dose can grow"
        if due:
            return f"the morning after {on} is today: answer the check-in so the dose can grow"
        return f"no next-morning rating after {on}: rate it so the dose can grow"


def _notes(
    entry: ExerciseLog, session: SessionLog, r: Ratings
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    on = words.day(session.date)
    notes: list[tuple[str, tuple[int, ...]]] = []
    if entry.pain_during is not None and entry.pain_location is PainLocation.MUSCLE:
        sore = f"Muscle soreness {words.pain(entry.pain_during)} on {on} is not knee pain"
        notes.append((sore, (20,)))
    if r.morning_given and r.morning is None:
        notes.append((f"The morning after {on}: muscle soreness, not knee pain", (20,)))
    return tuple(notes)


# --- week to week (rule 18) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trend:
    """A rising window: its mean morning rating above the window before's (rule 18)."""

    what: str  # "pain" or "stiffness"
    this_week: float
    last_week: float
    days: int = 7  # the windows' length

    def facts(self) -> str:
        before = "the week before" if self.days == 7 else f"the {self.days} days before"
        return (
            f"morning {self.what} averaged {self.this_week:.1f}/10 over the last {self.days} "
            f"days, up from {self.last_week:.1f}/10 {before}"
        )


class Mornings:
    """Every morning's knee pain and stiffness from ``since`` on: the check-ins, and the next
    mornings that sessions give without a check-in of that day. Knee pain only (rule 20)."""

    __slots__ = ("days", "pain", "stiffness")

    def __init__(self, log: TrainingLog, since: date = date.min) -> None:
        by_day: dict[date, tuple[int | None, int | None]] = {}
        # both are in date order: start at the first that can matter
        first = bisect_left(log.sessions, since - timedelta(days=1), key=_day)
        for s in log.sessions[first:]:
            if s.pain_next_morning is not None:
                by_day[s.morning] = (s.morning_knee_pain, s.stiffness_next_morning)
        for c in log.checkins[bisect_left(log.checkins, since, key=_day) :]:
            by_day[c.date] = (c.knee_pain, c.stiffness)  # the morning's own answer
        self.days = sorted(by_day)
        self.pain = [by_day[d][0] for d in self.days]
        self.stiffness = [by_day[d][1] for d in self.days]

    def mean(self, what: str, end: date, days: int) -> float | None:
        """Mean of the ratings on mornings in (end − days, end]."""
        lo = bisect_right(self.days, end - timedelta(days=days))
        hi = bisect_right(self.days, end)
        series = self.pain if what == "pain" else self.stiffness
        values = [v for v in series[lo:hi] if v is not None]
        return sum(values) / len(values) if values else None


def _day(x: SessionLog | Checkin) -> date:
    return x.date


def week_trend(mornings: Mornings, as_of: date, cfg: ProgressionConfig) -> Trend | None:
    """The rising trend of the mornings up to ``as_of``, or None when flat or falling."""
    days = cfg.trend_days
    for what in ("pain", "stiffness"):
        now = mornings.mean(what, as_of, days)
        before = mornings.mean(what, as_of - timedelta(days=days), days)
        if now is not None and before is not None and now > before:
            return Trend(what, now, before, days)
    return None
