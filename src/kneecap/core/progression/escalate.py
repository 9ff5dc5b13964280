"""When to stop progressing and suggest a clinician (rule 19)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kneecap.core.catalog.model import Exercise
from kneecap.core.log import TrainingLog
from kneecap.core.progression import words
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.history import Track
from kneecap.core.progression.model import Action, Move
from kneecap.core.progression.pain import Gate, Mornings, Trend, week_trend
from kneecap.core.rules import in_words


@dataclass(frozen=True, slots=True)
class Trends:
    """The week-to-week rule (18): the windows of rising morning ratings in a row, the
    latest first, as many as rule 19 counts (``trend_refer_windows``)."""

    rising: tuple[Trend, ...]
    refer_after: int = 2  # windows in a row that suggest a clinician (rule 19)

    @classmethod
    def of(cls, log: TrainingLog, as_of: date, cfg: ProgressionConfig) -> Trends:
        span = cfg.trend_days * (cfg.trend_refer_windows + 1)  # the windows compared
        mornings = Mornings(log, as_of - timedelta(days=span))
        rising: list[Trend] = []
        while len(rising) < cfg.trend_refer_windows:
            end = as_of - timedelta(days=cfg.trend_days * len(rising))
            trend = week_trend(mornings, end, cfg)
            if trend is None:
                break
            rising.append(trend)
        return cls(tuple(rising), cfg.trend_refer_windows)

    @property
    def now(self) -> Trend | None:
        """This window's rise (rule 18: freeze progressions), if any."""
        return self.rising[0] if self.rising else None

    @property
    def refer(self) -> bool:
        """Rising for ``refer_after`` windows in a row: see a clinician (rule 19)."""
        return len(self.rising) >= self.refer_after

    def words(self) -> str:
        """ "two weeks in a row of rising morning ratings (morning pain averaged …)";
        only when there is a rise."""
        latest = self.rising[0]
        n, days = in_words(len(self.rising)), latest.days
        spans = "weeks" if days == 7 else f"spans of {days} days"
        return f"{n} {spans} in a row of rising morning ratings ({latest.facts()})"


def escalation(
    exercise: Exercise,
    tracks: Sequence[Track],
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
    tracks: Sequence[Track], trends: Trends, as_of: date, cfg: ProgressionConfig
) -> str | None:
    last = tracks[-1]
    if trends.refer and last.gate is not Gate.GREEN:
        return trends.words()  # green exercises keep only the freeze (rules 18, 29)
    if not last.gate.painful:
        return None  # green carries on; a missing rating holds and is asked for
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


def _no_improvement(tracks: Sequence[Track], as_of: date, cfg: ProgressionConfig) -> str | None:
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
