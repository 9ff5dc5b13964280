"""Pins: a level or dose fixed by the runner or their coach (issue 6, overrides).

A pin wins over the ladder, deloads and the running context; it does not win over pain,
a referral or the screening (evidence brief §1.9, rules 16–19, 37).
"""

from __future__ import annotations

from collections.abc import Sequence

from kneecap.core.catalog.model import Exercise
from kneecap.core.log import WHOLE_KEYS, Pin, PinnedBy
from kneecap.core.progression.history import Track
from kneecap.core.progression.model import Action, Move, cite
from kneecap.core.progression.words import dose


def apply_pin(
    exercise: Exercise,
    move: Move,
    pin: Pin | None,
    tracks: Sequence[Track],
    *,
    overridable: bool = True,
) -> Move:
    if pin is None:
        return move
    who = "your coach" if pin.by is PinnedBy.COACH else "you"
    if not overridable:
        return move.said(f"The pin set by {who} is set aside this time: safety comes first")
    if pin.paused:
        why = f"Paused by {who}; kneecap's own suggestion would be to {_own(move)}"
        return Move(Action.PAUSE, move.level, None, (why,), move.rules)
    slug = pin.level or move.level
    level = exercise.level(slug)
    if pin.prescription:
        changes = {k: int(v) if k in WHOLE_KEYS else v for k, v in pin.prescription.items()}
        p = level.prescription.with_changes(**changes)
    elif move.level == slug:  # a level pin leaves the steps within the level to the engine
        return move.said(f"Level pinned by {who} at {level.name.lower()}")
    else:
        last = tracks[-1] if tracks else None
        p = last.dose if last is not None and last.level.slug == slug else level.prescription
    why = f"Pinned by {who} at {dose(p)}; kneecap's own suggestion would be to {_own(move)}"
    return Move(Action.HOLD, slug, p, (why,), move.rules)


def _own(move: Move) -> str:
    word = " at " if move.action is Action.HOLD else " to "
    to = f"{word}{dose(move.prescription)}" if move.prescription is not None else ""
    return cite(f"{move.action.value}{to}", move.rules)
