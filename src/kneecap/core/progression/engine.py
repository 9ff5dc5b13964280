"""``progress``: the next prescription of every exercise in a training log, and why.

Order of precedence, most important first: the screening (rules 35–37), a reason to see a
clinician (rule 19), pain-based regression (rules 16, 17), a pin by the runner or coach, the
return after a gap (rule 33), a deload (rules 18, 29), the running context (rules 1, 27,
31), and finally the ladder itself (rules 6–12, 14, 15).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from kneecap.core.catalog.model import Exercise
from kneecap.core.log import Pin, TrainingLog
from kneecap.core.progression import dose as doses
from kneecap.core.progression import words
from kneecap.core.progression.alerts import alerts
from kneecap.core.progression.config import DEFAULT_CONFIG, ProgressionConfig
from kneecap.core.progression.context import pain_now_hold, running_hold
from kneecap.core.progression.escalate import Trends, escalation
from kneecap.core.progression.history import Track
from kneecap.core.progression.model import (
    Action,
    Context,
    Decision,
    Missing,
    MissingRating,
    Move,
    Report,
)
from kneecap.core.progression.pins import apply_pin
from kneecap.core.progression.propose import propose
from kneecap.core.progression.ramp import deload, return_ramp
from kneecap.core.progression.replay import replay, replay_all
from kneecap.core.rules import share
from kneecap.core.screening import Leg


def progress(
    lookup: Callable[[str], Exercise],
    log: TrainingLog,
    ctx: Context,
    cfg: ProgressionConfig = DEFAULT_CONFIG,
) -> Report:
    """Decisions for every exercise in the log (and every pinned one) as of ``ctx.as_of``.

    Only sessions before ``ctx.as_of`` count. ``lookup`` is ``Catalog.get``.
    """
    past = log.before(ctx.as_of)
    past.check_catalog(lookup)
    trends = Trends.of(past, ctx.as_of, cfg)
    exercises = {slug: lookup(slug) for slug in _slugs(past, ctx)}
    tracks = replay_all(exercises, past, cfg, ctx.as_of)
    decisions = tuple(
        _decide(ex, tracks[slug], past, ctx, cfg, trends) for slug, ex in exercises.items()
    )
    said = alerts(past, ctx, cfg, decisions, lookup, tracks, trends)
    return Report(ctx.as_of, decisions, said, _missing(tracks, cfg))


def _missing(
    tracks: Mapping[str, Sequence[Track]], cfg: ProgressionConfig
) -> tuple[MissingRating, ...]:
    """The ratings missing from the sessions that can hold a dose: each exercise's last
    ``confirm_sessions`` (the ones a step up is counted on), oldest first."""
    found: set[MissingRating] = set()
    for slug, done in tracks.items():
        for t in done[-cfg.confirm_sessions :]:
            if t.entry.pain_during is None:
                found.add(MissingRating(t.date, slug, Missing.PAIN_DURING))
            if not t.ratings.morning_given:
                found.add(MissingRating(t.date, None, Missing.PAIN_NEXT_MORNING))
    return tuple(sorted(found, key=lambda m: (m.date, m.exercise or "", m.what.value)))


def _slugs(log: TrainingLog, ctx: Context) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for s in log.sessions:
        for e in s.exercises:
            seen[e.exercise] = None
    seen.update((pin.exercise, None) for pin in log.pins)
    seen.update((slug, None) for slug in ctx.pins)
    return tuple(seen)


def decide(
    exercise: Exercise,
    log: TrainingLog,
    ctx: Context,
    cfg: ProgressionConfig = DEFAULT_CONFIG,
    trends: Trends | None = None,
) -> Decision:
    """The next prescription of one exercise; ``log`` holds the sessions before ``as_of``."""
    trends = trends or Trends.of(log, ctx.as_of, cfg)
    tracks = replay(exercise, log, cfg, ctx.as_of)
    return _decide(exercise, tracks, log, ctx, cfg, trends)


def _decide(
    exercise: Exercise,
    tracks: Sequence[Track],
    log: TrainingLog,
    ctx: Context,
    cfg: ProgressionConfig,
    trends: Trends,
) -> Decision:
    pin = ctx.pins.get(exercise.slug) or next(
        (p for p in reversed(log.pins) if p.exercise == exercise.slug), None
    )
    if ctx.blocked is not None:
        move = _paused(exercise, tracks, ctx.blocked, (35, 36))
    elif not tracks:
        move = apply_pin(exercise, _first(exercise, pin, cfg), pin, tracks)
    else:
        move = _tracked(exercise, tracks, ctx, cfg, trends, pin)
    return _legs(exercise, move, ctx, cfg)


def _first(exercise: Exercise, pin: Pin | None, cfg: ProgressionConfig) -> Move:
    """rule 32: the first session of a new exercise at about half the starting volume."""
    slug = (pin.level if pin else None) or exercise.levels[0].slug
    level = exercise.level(slug)
    p = doses.first_dose(level, cfg)
    about = share(cfg.new_exercise)
    why = f"First session at {words.dose(p)}, about {about} of {words.dose(level.prescription)}: "
    why += "new work starts light"
    return Move.of(Action.HOLD, level.slug, p, why, (32,))


def _tracked(
    exercise: Exercise,
    tracks: Sequence[Track],
    ctx: Context,
    cfg: ProgressionConfig,
    trends: Trends,
    pin: Pin | None,
) -> Move:
    refer = escalation(exercise, tracks, trends, ctx.as_of, cfg)
    if refer is not None:
        return apply_pin(exercise, refer, pin, tracks, overridable=False)
    core = propose(exercise, tracks, ctx.as_of, cfg)
    if core.action is Action.REGRESS and tracks[-1].gate.red:
        return apply_pin(exercise, core, pin, tracks, overridable=False)  # §1.9: pain first
    for overlay in (return_ramp, deload, running_hold, pain_now_hold):
        changed = overlay(exercise, tracks, core, ctx, cfg, trends)
        if changed is not None:
            core = changed
            break
    for note, rules in tracks[-1].reading.notes:
        core = core.said(note, rules)
    return apply_pin(exercise, core, pin, tracks)


def _paused(exercise: Exercise, tracks: Sequence[Track], why: str, rules: tuple[int, ...]) -> Move:
    level = tracks[-1].level.slug if tracks else exercise.levels[0].slug
    return Move.of(Action.PAUSE, level, None, f"Paused: {why}", rules)


def _legs(exercise: Exercise, move: Move, ctx: Context, cfg: ProgressionConfig) -> Decision:
    """rule 37: a paused leg stops the exercise, or leaves the other leg's sets."""
    decision = Decision(
        exercise.slug,
        move.action,
        move.level,
        move.prescription,
        move.why,
        move.rules,
        pain_ceiling=cfg.amber_max,
    )
    paused = ctx.paused_legs
    if not paused or move.prescription is None:
        return decision
    names = " and ".join(sorted(leg.value for leg in paused))
    stop = f"the program for the {names} leg is paused until a clinician has seen it (rule 37)"
    if len(paused) == 2 or not move.prescription.per_side:
        why = (*move.why, f"Paused: {stop}")
        return replace(
            decision, action=Action.PAUSE, prescription=None, why=why, rules=(*move.rules, 37)
        )
    (other,) = {leg for leg in tuple(Leg) if leg not in paused}
    why = (*move.why, f"{other.value.capitalize()} leg only: {stop}")
    return replace(decision, action=Action.PAUSE, side=other, why=why, rules=(*move.rules, 37))
