"""Properties over random answers: every score stays in its range, and a better answer to one
item never lowers a score (nor a worse one raise it)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.outcomes import INSTRUMENTS, Instrument, score

instruments = st.sampled_from(list(INSTRUMENTS.values()))


@st.composite
def answered(draw: st.DrawFn) -> tuple[Instrument, list[int | None]]:
    inst = draw(instruments)
    count = draw(st.integers(inst.shortest, len(inst.items)))
    values = [draw(st.none() | st.integers(item.low, item.high)) for item in inst.items[:count]]
    return inst, values


@settings(max_examples=250, deadline=None)
@given(answered())
def test_every_score_is_within_the_instruments_range(
    case: tuple[Instrument, list[int | None]],
) -> None:
    inst, answers = case
    result = score(inst, answers)
    assert list(result) == list(inst.keys)
    low, high = inst.score_range
    assert all(low <= v <= high for v in result.values() if v is not None), (inst.id, result)


@settings(max_examples=250, deadline=None)
@given(answered(), st.data())
def test_one_step_better_on_one_item_never_lowers_a_score(
    case: tuple[Instrument, list[int | None]], data: st.DataObject
) -> None:
    inst, answers = case
    step = 1 if inst.higher_answer_is_better else -1  # the direction of a better answer
    movable = [
        i
        for i, v in enumerate(answers)
        if v is not None and inst.items[i].low <= v + step <= inst.items[i].high
    ]
    if not movable:
        return
    i = data.draw(st.sampled_from(movable))
    better = list(answers)
    better[i] = answers[i] + step  # type: ignore[operator]
    before, after = score(inst, answers), score(inst, better)
    for key in inst.keys:
        assert (before[key] is None) == (after[key] is None)  # the same items answered
        if before[key] is not None:
            assert after[key] >= before[key], (inst.id, key, answers, i)  # type: ignore[operator]


@settings(max_examples=150, deadline=None)
@given(answered())
def test_all_best_answers_score_the_top_of_the_range(
    case: tuple[Instrument, list[int | None]],
) -> None:
    inst, answers = case
    best = [
        None if v is None else (item.high if inst.higher_answer_is_better else item.low)
        for item, v in zip(inst.items, answers, strict=False)
    ]
    high = inst.score_range[1]
    assert all(v == high for v in score(inst, best).values() if v is not None)
