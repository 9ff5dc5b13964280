"""Answers in, scores out: validation that names the item, then the instrument's rule.

Answers are a list in the instrument's order; ``None`` is a skipped item. Arithmetic is
exact (fractions) until the final float, so a published worked example matches to the last
digit rather than to a rounding of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from kneecap.core.outcomes.instruments import INSTRUMENTS
from kneecap.core.outcomes.model import Instrument, Item, Scale, Scoring

Answer = int | None
Scores = dict[str, float | None]


class OutcomeError(ValueError):
    """Answers an instrument cannot score; the message names the item."""


def instrument(instrument_id: str) -> Instrument:
    """The built-in instrument with this id; ``OutcomeError`` listing the ids when unknown."""
    try:
        return INSTRUMENTS[instrument_id]
    except KeyError:
        known = ", ".join(INSTRUMENTS)
        raise OutcomeError(f"no instrument {instrument_id!r} (known: {known})") from None


def validate(inst: Instrument, answers: object) -> tuple[Answer, ...]:
    """The answers as whole numbers or ``None``, or ``OutcomeError`` naming the first bad one."""
    if not isinstance(answers, Sequence) or isinstance(answers, str | bytes):
        raise OutcomeError(f"answers: must be a list, not {type(answers).__name__}")
    count, longest = len(answers), len(inst.items)
    if not inst.shortest <= count <= longest:
        wanted = str(longest) if inst.shortest == longest else f"{inst.shortest} to {longest}"
        noun = "answer" if longest == 1 else "answers"
        raise OutcomeError(f"answers: {inst.id} takes {wanted} {noun}, got {count}")
    return tuple(_answer(i, inst.items[i], value) for i, value in enumerate(answers))


def _answer(position: int, item: Item, value: object) -> Answer:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise OutcomeError(f"answers[{position}]: {value!r} is not a whole number or null")
    if not item.low <= value <= item.high:
        raise OutcomeError(f"answers[{position}]: {value} is outside {item.low}–{item.high}")
    return value


def score(inst: Instrument | str, answers: object) -> Scores:
    """Score a list of answers: a value per key of the instrument, ``None`` where too few
    items were answered to give one."""
    inst = instrument(inst) if isinstance(inst, str) else inst
    values = validate(inst, answers)
    exact = {s.key: _scale(inst, s, values) for s in inst.scales}
    if inst.summary:
        parts = [p for p in exact.values() if p is not None]
        whole = len(parts) == len(exact)
        exact[inst.summary] = sum(parts, Fraction(0)) / len(parts) if whole else None
    return {key: None if value is None else float(value) for key, value in exact.items()}


def _scale(inst: Instrument, scale: Scale, values: tuple[Answer, ...]) -> Fraction | None:
    given = [(inst.items[i], values[i]) for i in scale.items if i < len(values)]
    answered = [(item, v) for item, v in given if v is not None]
    if len(answered) < scale.min_answered:
        return None
    if inst.scoring is Scoring.POINTS:
        return Fraction(sum(item.points[v] for item, v in answered))
    mean = Fraction(sum(v for _, v in answered), len(answered))
    if inst.scoring is Scoring.KOOS:
        return 100 - 100 * mean / answered[0][0].high
    return mean  # VALUE and MEAN: the answer itself, or the mean of the rated ones
