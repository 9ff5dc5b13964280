"""When to stop progressing and suggest a clinician (rule 19)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from kneecap.core.catalog.model import Exercise
from kneecap.core.log import SessionLog
from kneecap.core.progression import words
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.history import Track
from kneecap.core.progression.model import Action, Move
from kneecap.core.progression.pain import Gate, Trend, week_trend


@dataclass(frozen=True, slots=True)
class Trends:
    """The week-to-week rule (18) now and one week earlier."""

    now: Trend | None
    week_before: Trend | None

    @classmethod
    def of(cls, sessions: Iterable[SessionLog], as_of: date, cfg: ProgressionConfig) -> Trends:
        sessions = tuple(sessions)
        earlier = as_of - timedelta(days=cfg.trend_days)
        return cls(week_trend(sessions, as_of, cfg), week_trend(sessions, earlier, cfg))

    @property
    def two_weeks(self) -> bool:
        return self.now is not None and self.week_before is not None


def escalation(
    exercise: Exercise,
    tracks: tuple[Track, ...],
    trends: Trends,
    as_of: date,
    cfg: ProgressionConfig,
) -> Move | None:
    """A referral for this exercise, or None; exercises that stay green carry on."""
    last = tracks[-1]
    facts = _why(tracks, trends, as_of, cfg)
    if facts is None:
        return None
    why = (
        f"Please see a physiotherapist or doctor before going on with this exercise: {facts}. "
        "Exercises that stay pain-free can continue"
    )
    return Move.of(Action.REFER, last.level.slug, None, why, (19,))


def _why(
    tracks: tuple[Track, ...], trends: Trends, as_of: date, cfg: ProgressionConfig
) -> str | None:
    last = tracks[-1]
    if not last.gate.painful:
        return None  # green carries on; a missing rating holds and is asked for
    if trends.two_weeks and trends.now is not None:
        return f"two weeks in a row of rising morning ratings ({trends.now.facts()})"
    if len(tracks) > 1 and _red_despite_regression(tracks[-2], last):
        return (
            f"pain above {cfg.amber_max}/10 during it on {words.day(tracks[-2].date)} and again "
            f"on {words.day(last.date)} after it was made easier"
        )
    return _no_improvement(tracks, as_of, cfg)


def _red_despite_regression(first: Track, then: Track) -> bool:
    if not (first.gate is Gate.RED_EXERCISE and then.gate is Gate.RED_EXERCISE):
        return False
    lower_level = then.level.slug != first.level.slug
    lighter = then.dose.volume() < first.dose.volume() or (
        (then.dose.load_kg or 0) < (first.dose.load_kg or 0)
    )
    return lower_level or lighter


def _no_improvement(tracks: tuple[Track, ...], as_of: date, cfg: ProgressionConfig) -> str | None:
    """Pain-modified sessions (not green) for about 3 weeks, and no less pain than at first;
    a session missing a rating neither breaks the run nor counts in it."""
    run: list[Track] = []
    for track in reversed(tracks):
        if track.gate is Gate.GREEN:
            break
        if track.gate.painful:
            run.append(track)
    first, last = run[-1], run[0]
    days = (as_of - first.date).days
    if days < cfg.escalate_days or last.reading.worst < first.reading.worst:
        return None
    return (
        f"no session without pain for {days} days (since {words.day(first.date)}), and pain "
        f"{last.reading.worst}/10 at the last one against {first.reading.worst}/10 then"
    )
