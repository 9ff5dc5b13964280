"""The session guide's timing: the ordered get-ready, rep, hold, side-switch and rest events."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kneecap.core.catalog.model import (
    DoseKind,
    Exercise,
    Level,
    Prescription,
    Stress,
    estimate_duration_s,
)
from kneecap.core.sessions import (
    GET_READY_S,
    Event,
    EventKind,
    GuideItem,
    Script,
    Side,
    Timer,
    exercise_script,
    session_script,
)

K = EventKind


def _exercise(
    slug: str,
    dose_kind: DoseKind,
    *,
    per_side: bool = False,
    rep_tempo_s: float = 3.0,
    pace_m_per_s: float = 1.0,
) -> Exercise:
    start = Prescription(sets=1, reps=1)
    return Exercise(
        slug=slug,
        name=slug.replace("-", " ").capitalize(),
        summary="",
        purpose="",
        muscles=(),
        equipment=(),
        stress=Stress.LOW,
        dose_kind=dose_kind,
        per_side=per_side,
        steps=(),
        cues=(),
        cautions=(),
        contraindications=(),
        evidence_grade="D",
        sources=(),
        levels=(Level("start", "Start", start, "always"),),
        rep_tempo_s=rep_tempo_s,
        pace_m_per_s=pace_m_per_s,
    )


TIBIALIS = _exercise("tibialis-raise", DoseKind.REPS, rep_tempo_s=2.0)
BRIDGE = _exercise("glute-bridge", DoseKind.REPS, rep_tempo_s=3.0)
SQUAT_HOLD = _exercise("deep-squat-hold", DoseKind.HOLD)
BACKWARD = _exercise("walking-backward", DoseKind.DISTANCE, pace_m_per_s=0.8)
STAIRS = _exercise("stairs", DoseKind.FLIGHTS)


def _kinds(script: Script) -> list[str]:
    return [e.kind.value for e in script.events]


def _timeline(script: Script) -> list[tuple[str, float, float]]:
    return [(e.kind.value, e.at_s, e.duration_s) for e in script.events]


def test_tibialis_raises_3_x_10_with_3_s_holds_and_60_s_rests() -> None:
    p = Prescription(sets=3, reps=10, hold_s=3, rest_s=60)
    script = exercise_script(TIBIALIS, p)
    expected: list[tuple[str, float, float]] = [("exercise", 0, 0), ("get-ready", 0, 5)]
    t = 5.0
    for n in range(3):
        expected.append(("set", t, 0))
        for _ in range(10):
            expected += [("rep", t, 2), ("hold", t + 2, 3), ("hold-end", t + 5, 0)]
            t += 5
        if n < 2:
            expected.append(("rest", t, 60))
            t += 60
    expected.append(("end", t, 0))
    assert _timeline(script) == expected
    assert script.total_s == 275 == estimate_duration_s(TIBIALIS, p) + GET_READY_S


def test_a_rep_hold_is_a_countdown_with_a_cue_at_each_end() -> None:
    script = exercise_script(TIBIALIS, Prescription(sets=3, reps=10, hold_s=3, rest_s=60))
    rep, hold, end = script.events[3:6]
    assert rep == Event(K.REP, 0, 5.0, 2.0, Timer.COUNTDOWN, 1, 3, 1, 10, label="Rep 1 of 10")
    assert (hold.timer, hold.target, hold.unit, hold.cue, hold.rep_no) == (
        Timer.COUNTDOWN,
        3,
        "s",
        True,
        1,
    )
    assert hold.label == "Hold 3 s" and hold.records is None
    assert (end.kind, end.duration_s, end.cue) == (K.HOLD_END, 0, True)


def test_rests_and_lead_ins_are_skippable_and_work_is_not() -> None:
    script = exercise_script(TIBIALIS, Prescription(sets=3, reps=10, hold_s=3, rest_s=60))
    skippable = {e.kind for e in script.events if e.skippable}
    assert skippable == {K.REST, K.GET_READY}
    rests = [e for e in script.events if e.kind is K.REST]
    assert [(r.set_no, r.label, r.timer) for r in rests] == [
        (1, "Rest 60 s", Timer.COUNTDOWN),
        (2, "Rest 60 s", Timer.COUNTDOWN),
    ]


def test_reps_without_a_hold_have_no_hold_events() -> None:
    script = exercise_script(TIBIALIS, Prescription(sets=1, reps=20))
    assert _kinds(script) == ["exercise", "get-ready", "set"] + ["rep"] * 20 + ["end"]


def test_single_leg_work_is_done_in_rounds_left_then_right() -> None:
    p = Prescription(sets=2, reps=3, rest_s=60, per_side=True)
    script = exercise_script(BRIDGE, p)
    side = [("set", "left"), *[("rep", "left")] * 3, ("side-switch", "right")]
    side += [("set", "right"), *[("rep", "right")] * 3]
    expected = [("exercise", None), ("get-ready", None), *side, ("rest", None), *side]
    expected.append(("end", None))
    assert [(e.kind.value, e.side and e.side.value) for e in script.events] == expected
    switch = next(e for e in script.events if e.kind is K.SIDE_SWITCH)
    assert (switch.at_s, switch.duration_s, switch.cue) == (14, 5, True)
    assert switch.label == "Switch to the right side"
    sets = [e.label for e in script.events if e.kind is K.SET]
    assert sets[:2] == ["Set 1 of 2 · left side", "Set 1 of 2 · right side"]
    assert script.total_s == 5 + 2 * 2 * 9 + 2 * 5 + 60
    assert script.total_s == estimate_duration_s(BRIDGE, p) + GET_READY_S


def test_deep_squat_hold_3_x_30_s_is_a_stopwatch_after_getting_into_position() -> None:
    p = Prescription(sets=3, hold_s=30, rest_s=60)
    script = exercise_script(SQUAT_HOLD, p)
    one_set = ["set", "setup", "hold", "hold-end"]
    rounds = [*one_set, "rest", *one_set, "rest", *one_set]
    assert _kinds(script) == ["exercise", "get-ready", *rounds, "end"]
    hold = script.events[4]
    assert hold == Event(
        K.HOLD,
        0,
        15.0,
        30.0,
        Timer.STOPWATCH,
        1,
        3,
        target=30,
        unit="s",
        cue=True,
        records="hold_s",
        label="Hold up to 30 s",
    )
    setup = script.events[3]
    assert (setup.duration_s, setup.timer, setup.label) == (
        10,
        Timer.COUNTDOWN,
        "Get into position",
    )
    assert script.total_s == 245 == estimate_duration_s(SQUAT_HOLD, p) + GET_READY_S


def test_walking_backward_5_x_100_m_waits_for_the_distance_done() -> None:
    p = Prescription(sets=5, distance_m=100, rest_s=60)
    script = exercise_script(BACKWARD, p)
    assert _kinds(script) == ["exercise", "get-ready"] + ["set", "work", "rest"] * 4 + [
        "set",
        "work",
        "end",
    ]
    work = [e for e in script.events if e.kind is K.WORK]
    assert [e.at_s for e in work] == [5, 190, 375, 560, 745]
    first = work[0]
    assert (first.duration_s, first.timer, first.target, first.unit) == (
        125,
        Timer.STOPWATCH,
        100,
        "m",
    )
    assert first.awaits_input and first.records == "distance_m"
    assert first.label == "Cover 100 m, then enter how far you went"
    assert script.total_s == 870 == estimate_duration_s(BACKWARD, p) + GET_READY_S


def test_flights_wait_for_the_count_and_timed_stairs_count_down_then_ask() -> None:
    flights = exercise_script(STAIRS, Prescription(sets=1, flights=4)).events[3]
    assert (flights.duration_s, flights.target, flights.unit) == (120, 4, "flights")
    assert flights.awaits_input and flights.records == "flights"
    timed = exercise_script(STAIRS, Prescription(sets=2, duration_s=300, rest_s=30)).events[3]
    assert (timed.kind, timed.timer, timed.duration_s) == (K.WORK, Timer.COUNTDOWN, 300)
    assert timed.label == "Keep going for 5 min"
    assert timed.awaits_input and timed.records == "flights"


def test_a_timed_set_of_a_time_exercise_just_counts_down() -> None:
    plank = _exercise("side-plank", DoseKind.TIME)
    work = exercise_script(plank, Prescription(sets=1, duration_s=45)).events[3]
    assert (work.records, work.awaits_input, work.label) == (
        "duration_s",
        False,
        "Keep going for 45 s",
    )


def test_a_load_is_named_on_each_set() -> None:
    script = exercise_script(BRIDGE, Prescription(sets=1, reps=8, load_kg=12.5))
    assert script.events[2].label == "Set 1 of 1 · 12.5 kg"


def test_a_prescription_without_an_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="no reps, distance, flights or time"):
        exercise_script(BRIDGE, Prescription(sets=2))


def _mixed() -> tuple[list[tuple[Exercise, Prescription]], Script]:
    plan = [
        (TIBIALIS, Prescription(sets=3, reps=10, hold_s=3, rest_s=60)),
        (BRIDGE, Prescription(sets=2, reps=8, hold_s=2, rest_s=45, per_side=True)),
        (SQUAT_HOLD, Prescription(sets=3, hold_s=30, rest_s=60)),
        (BACKWARD, Prescription(sets=5, distance_m=100, rest_s=60)),
        (STAIRS, Prescription(sets=1, flights=4)),
    ]
    return plan, session_script([GuideItem.of(ex, p) for ex, p in plan])


def test_a_mixed_session_is_one_list_with_each_exercise_after_the_last() -> None:
    plan, script = _mixed()
    markers = [e for e in script.events if e.kind is K.EXERCISE]
    assert [e.item for e in markers] == [0, 1, 2, 3, 4]
    assert [e.label for e in markers] == [
        "Tibialis raise: 3 × 10, 3 s hold, 60 s rest",
        "Glute bridge: 2 × 8 per side, 2 s hold, 45 s rest",
        "Deep squat hold: 3 × 30 s hold, 60 s rest",
        "Walking backward: 5 × 100 m, 60 s rest",
        "Stairs: 1 × 4 flights",
    ]
    spans = [script.item_span(i) for i in range(5)]
    estimates = [estimate_duration_s(ex, p) for ex, p in plan]
    assert [length for _, length in spans] == [e + GET_READY_S for e in estimates]
    assert [start for start, _ in spans] == [0, 275, 495, 740, 1610]
    assert script.total_s == sum(estimates) + 5 * GET_READY_S == 1735
    assert _kinds(script)[-1] == "end" and script.events[-1].item is None


def test_time_only_moves_forward_and_every_event_belongs_to_an_exercise() -> None:
    _, script = _mixed()
    times = [e.at_s for e in script.events]
    assert times == sorted(times)
    for before, after in zip(script.events, script.events[1:], strict=False):
        assert after.at_s == before.at_s + before.duration_s
    assert all(e.item is not None for e in script.events[:-1])


def test_the_json_script_has_the_same_keys_on_every_event() -> None:
    _, script = _mixed()
    data = json.loads(script.to_json())
    assert data["version"] == 1 and data["total_s"] == 1735
    keys = {frozenset(e) for e in data["events"]}
    assert keys == {
        frozenset(
            {
                "kind",
                "item",
                "at_s",
                "duration_s",
                "timer",
                "set_no",
                "sets",
                "rep_no",
                "reps",
                "side",
                "target",
                "unit",
                "cue",
                "skippable",
                "awaits_input",
                "records",
                "per_unit",
                "label",
            }
        )
    }
    item = data["items"][1]
    assert item["slug"] == "glute-bridge" and item["per_side"] is True
    assert item["prescription"] == {"sets": 2, "reps": 8, "hold_s": 2, "rest_s": 45}
    assert (item["start_s"], item["duration_s"]) == (275, 220)
    assert {e["side"] for e in data["events"]} == {None, Side.LEFT.value, Side.RIGHT.value}


_amounts = st.one_of(
    st.builds(dict, reps=st.integers(1, 30), hold_s=st.one_of(st.none(), st.integers(1, 10))),
    st.builds(dict, distance_m=st.integers(10, 400)),
    st.builds(dict, flights=st.integers(1, 10)),
    st.builds(dict, hold_s=st.integers(5, 120)),
    st.builds(dict, duration_s=st.integers(10, 900)),
)


@settings(max_examples=80, deadline=None)
@example(amount={"distance_m": 175}, sets=1, rest=None, per_side=True, tempo=2.0)
@given(
    amount=_amounts,
    sets=st.integers(1, 6),
    rest=st.one_of(st.none(), st.integers(0, 180)),
    per_side=st.booleans(),
    tempo=st.sampled_from([2.0, 2.5, 3.0, 6.0]),
)
def test_the_script_agrees_with_the_duration_estimate_up_to_the_lead_in(
    amount: dict[str, int], sets: int, rest: int | None, per_side: bool, tempo: float
) -> None:
    ex = _exercise("any", DoseKind.REPS, rep_tempo_s=tempo, pace_m_per_s=0.7)
    p = Prescription(sets=sets, rest_s=rest, per_side=per_side, **amount)
    script = exercise_script(ex, p)
    # the estimate rounds up to whole seconds; the script keeps the fraction
    assert -1e-9 < estimate_duration_s(ex, p) - (script.total_s - GET_READY_S) < 1
