"""The next dose from an exercise's own history: the pain gate first, then the ladder.

Pain-based regression overrides everything else (evidence brief §1.9). With a green gate the
dose grows one lever at a time; the running context, deloads, gaps and pins are applied on
top of this by :mod:`kneecap.core.progression.engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from kneecap.core.catalog.model import DoseKind, Exercise, Prescription
from kneecap.core.catalog.parse import LEVER_FIELD
from kneecap.core.progression import dose as doses
from kneecap.core.progression import words
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.history import Track
from kneecap.core.progression.model import Action, Move
from kneecap.core.progression.pain import Gate
from kneecap.core.progression.words import day, dose
from kneecap.core.rules import in_words, less_pct


def propose(exercise: Exercise, tracks: Sequence[Track], on: date, cfg: ProgressionConfig) -> Move:
    """What to do at the next session on ``on``, from the sessions in ``tracks``."""
    last = tracks[-1]
    gate = last.gate
    if gate is Gate.RED_EXERCISE:
        reading = last.reading
        return step_down(exercise, last, cfg, reading.facts, (16,))
    if gate is Gate.RED_24H:
        reading = last.reading
        less = doses.cut_volume(last.dose, cfg.regress_volume)
        why = f"Down to {dose(less)} from {dose(last.dose)}, {_less(cfg)}: {reading.facts}"
        return Move.of(Action.REGRESS, last.level.slug, less, why, reading.rules)
    if _missed_reps(tracks, cfg):
        return _missed(exercise, tracks, cfg)
    if gate is Gate.AMBER or gate is Gate.UNRATED:
        return hold(last, last.reading.facts, last.reading.rules)
    if last.entry.rpe is not None and last.entry.rpe >= cfg.effort_hold_rpe:
        return hold(last, f"effort {last.entry.rpe:g}/10 on {day(last.date)}", (9, 12))
    if not last.done:
        return hold(last, f"no sets logged on {day(last.date)}", ())
    return _green(exercise, tracks, on, cfg)


def hold(last: Track, because: str, rules: tuple[int, ...], p: Prescription | None = None) -> Move:
    p = p or last.dose
    return Move.of(Action.HOLD, last.level.slug, p, f"Holding at {dose(p)}: {because}", rules)


def step_down(
    exercise: Exercise, last: Track, cfg: ProgressionConfig, facts: str, rules: tuple[int, ...]
) -> Move:
    """One level down, at the top of that level; on the first level, about 20 % less."""
    if last.level.regression is not None:
        easier = exercise.level(last.level.regression)
        p = doses.top(easier)
        why = f"Back to {easier.name.lower()} at {dose(p)}: {facts}"
        return Move.of(Action.REGRESS, easier.slug, p, why, rules)
    less = doses.cut_volume(last.dose, cfg.regress_volume)
    why = f"Down to {dose(less)} from {dose(last.dose)}, {_less(cfg)}: {facts}"
    return Move.of(Action.REGRESS, last.level.slug, less, why, rules)


def _missed_reps(tracks: Sequence[Track], cfg: ProgressionConfig) -> bool:
    """rule 12: the last ``short_sessions`` sessions were all short (under the reps)."""
    recent = tracks[-cfg.short_sessions :]
    return len(recent) == cfg.short_sessions and all(t.short for t in recent)


def _missed(exercise: Exercise, tracks: Sequence[Track], cfg: ProgressionConfig) -> Move:
    """rule 12: short of the starting reps on ``short_sessions`` sessions in a row."""
    last = tracks[-1]
    facts = (
        f"{in_words(cfg.short_sets)} or more sets under {last.level.prescription.reps} reps "
        f"on {words.days(t.date for t in tracks[-cfg.short_sessions :])}"
    )
    if last.dose.load_kg:
        lighter = doses.cut_load(last.dose, cfg.regress_load)
        lighter = lighter.with_changes(reps=last.level.prescription.reps)
        less = less_pct(cfg.regress_load)
        why = f"Lighter, {dose(lighter)}, about {less} % less load: {facts}"
        return Move.of(Action.REGRESS, last.level.slug, lighter, why, (12, 8))
    return step_down(exercise, last, cfg, facts, (12,))


def _green(exercise: Exercise, tracks: Sequence[Track], on: date, cfg: ProgressionConfig) -> Move:
    last = tracks[-1]
    lighter = doses.below_start(last.dose, last.level)
    if lighter is not None:
        return hold(
            last,
            f"the level's starting dose after a lighter session on {day(last.date)}",
            (14,),
            lighter,
        )
    lever = doses.next_lever(last.dose, exercise, last.level, cfg)
    if lever is None and doses.is_top_rung(exercise, last.level):
        return hold(last, "the top of this exercise's ladder; keep it there", (14,))
    waiting = _waiting(exercise, tracks, lever, on, cfg)
    if waiting is not None:
        return waiting
    if lever is None:
        following, p = doses.next_level(exercise, last.level, last.dose)
        why = (
            f"On to {following.name.lower()} at {dose(p)}: {dose(last.dose)} done on "
            f"{last.streak} sessions in a row with {last.reading.facts}"
        )
        return Move.of(Action.ADVANCE, following.slug, p, why, (6, 14))
    return _grow(exercise, last, lever, cfg)


def _waiting(
    exercise: Exercise,
    tracks: Sequence[Track],
    lever: str | None,
    on: date,
    cfg: ProgressionConfig,
) -> Move | None:
    """A hold while a load or level step waits for its confirming sessions or its week."""
    last = tracks[-1]
    big = lever is None or lever == doses.LOAD
    need = cfg.confirm_sessions if big else 1
    goal = "the next level" if lever is None else "adding load"
    if last.streak < need:
        because = f"{need} green sessions in a row at the top before {goal}, {last.streak} so far"
        return hold(last, because, (6,))
    if exercise.dose_kind is DoseKind.DISTANCE:
        ready = last.since + timedelta(days=cfg.distance_step_days)
        if on < ready:
            every = words.every(cfg.distance_step_days)
            return hold(last, f"drills grow {every}, next from {day(ready)}", (11,))
        efforts = [t.entry.rpe for t in tracks[-need:] if t.entry.rpe is not None]
        if big and any(e > cfg.sled_rpe_max for e in efforts):
            because = (
                f"effort above {cfg.sled_rpe_max:g}/10 at this dose; more when it feels easier"
            )
            return hold(last, because, (6, 11))
    return None


def _grow(exercise: Exercise, last: Track, lever: str, cfg: ProgressionConfig) -> Move:
    more = doses.grow(last.dose, exercise, last.level, lever, cfg)
    change, rules = _change(exercise, last.dose, more, lever)
    why = f"Up to {dose(more)} ({change}): {last.reading.facts}"
    return Move.of(Action.ADVANCE, last.level.slug, more, why, (*rules, 14))


def _change(
    exercise: Exercise, before: Prescription, after: Prescription, lever: str
) -> tuple[str, tuple[int, ...]]:
    drill = exercise.dose_kind is DoseKind.DISTANCE
    if lever == doses.LOAD:
        pct = (after.load_kg or 0) / (before.load_kg or 1) * 100 - 100
        reset = f", reps back to {after.reps}" if after.reps != before.reps else ""
        return f"+{pct:.1f} % load{reset}", (6, 7, 8) if reset else (6, 7)
    if lever == "sets":
        return ("one more repeat", (11,)) if drill else ("one more set", ())
    if lever == "hold_s":
        return f"+{(after.hold_s or 0) - (before.hold_s or 0):g} s hold", (10,)
    if lever == "distance_m":
        return f"+{(after.distance_m or 0) - (before.distance_m or 0):g} m a repeat", (11,)
    name = LEVER_FIELD[lever]
    gained = getattr(after, name) - getattr(before, name)
    one, many = _NOUNS.get(lever, ("", ""))
    return f"+{gained:g} {one if gained == 1 else many}".rstrip(), ()


_NOUNS = {"reps": ("rep", "reps"), "flights": ("flight", "flights"), "duration_s": ("s", "s")}


def _less(cfg: ProgressionConfig) -> str:
    return f"about {less_pct(cfg.regress_volume)} % less"
