"""Planned reductions on top of the ladder: back after a gap (rule 33) and deloads (18, 29)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kneecap.core.catalog.model import Exercise
from kneecap.core.planning.rules import is_loaded
from kneecap.core.progression import dose as doses
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.escalate import Trends
from kneecap.core.progression.history import Track, Tracks
from kneecap.core.progression.model import Action, Context, Move
from kneecap.core.progression.words import dose
from kneecap.core.rules import ordinal


def gap_week(
    dates: Sequence[date], as_of: date, cfg: ProgressionConfig
) -> tuple[int, date, int] | None:
    """(days off, first day back, week of the return counted from 0), or None when no
    gap of 14 days or more is recent enough to still ramp (rule 33). ``dates`` are in
    order; the same day may come more than once."""
    if not dates:
        return None
    off = (as_of - dates[-1]).days
    if off >= cfg.gap_resume_below_days:
        return off, as_of, 0
    weeks = max(len(cfg.gap_long_ramp), len(cfg.gap_short_ramp))
    for i in range(len(dates) - 1, 0, -1):
        before, after = dates[i - 1], dates[i]
        week = (as_of - after).days // 7
        if week >= weeks:
            return None  # any gap from here back is over
        off = (after - before).days
        if off >= cfg.gap_resume_below_days:
            ramp = cfg.gap_long_ramp if off >= cfg.gap_long_from_days else cfg.gap_short_ramp
            return (off, after, week) if week < len(ramp) else None
    return None


def return_ramp(
    exercise: Exercise,
    tracks: Sequence[Track],
    core: Move,
    ctx: Context,
    cfg: ProgressionConfig,
    trends: Trends,
) -> Move | None:
    """rule 33: 50 % then 70 % after 14–27 days off; 50/70/80/90 % and one level down on
    loaded work after 28 days or more; measured from the dose before the gap."""
    dates = tracks.dates() if isinstance(tracks, Tracks) else [t.date for t in tracks]
    gap = gap_week(dates, ctx.as_of, cfg)
    if gap is None:
        return None
    off, back, week = gap
    base = next((t for t in reversed(tracks) if t.date < back), None)
    if base is None:
        return None
    long = off >= cfg.gap_long_from_days
    ramp = cfg.gap_long_ramp if long else cfg.gap_short_ramp
    level, p = base.level, doses.below_start(base.dose, base.level) or base.dose
    dropped = ""
    if long and is_loaded(exercise, level) and level.regression is not None:
        level = exercise.level(level.regression)
        p, dropped = doses.top(level), f", one level down to {level.name.lower()}"
    ramped = doses.cut_volume(p, ramp[week])
    why = (
        f"Back after {off} days off: {dose(ramped)}, about {round(ramp[week] * 100)} % of "
        f"{dose(p)}{dropped}, in week {week + 1} of {len(ramp)} of the return"
    )
    return Move.of(Action.REGRESS, level.slug, ramped, why, (33,))


def deload(
    exercise: Exercise,
    tracks: Sequence[Track],
    core: Move,
    ctx: Context,
    cfg: ProgressionConfig,
    trends: Trends,
) -> Move | None:
    """rules 18, 29: about 40 % fewer sets, the same load, no progression."""
    reasons: list[tuple[str, tuple[int, ...]]] = []
    if trends.now is not None:
        reasons.append((trends.now.facts(), (18, 29)))
    if ctx.load_spike:
        reasons.append(("your running load jumped this week", (21, 29)))
    if ctx.deload_week:
        every = ordinal(cfg.deload_every_weeks)
        reasons.append((f"every {every} week of the program is lighter", (29,)))
    if not reasons or core.action is Action.REGRESS or core.prescription is None:
        return None
    last = tracks[-1]
    base = core.prescription if core.action is Action.HOLD else last.dose
    level = core.level if core.action is Action.HOLD else last.level.slug
    lighter = doses.cut_sets(base, cfg.deload_sets)
    because = "; ".join(text for text, _ in reasons)
    why = f"Deload at {dose(lighter)}, fewer sets than {dose(base)} and no progression: {because}"
    rules = tuple(r for _, ids in reasons for r in ids)
    return Move.of(Action.DELOAD, level, lighter, why, rules)
