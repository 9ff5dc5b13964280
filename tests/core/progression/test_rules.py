"""One scenario per rule of the evidence brief (§8): the decision, its rule id and its words."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kneecap.core.catalog.model import Prescription
from kneecap.core.log import PainLocation
from kneecap.core.progression import Action, Decision, Report
from kneecap.core.screening import Leg
from tests.core.progression.builders import (
    BRIDGE,
    DRILL,
    RAISE,
    SQUAT,
    P,
    days,
    did,
    first,
    report,
    session,
)

TOP = P(3, reps=14, rest_s=60)  # the top of RAISE's first level
ONE_LEG_TOP = P(3, reps=14, rest_s=60, per_side=True)
TWELVE = P(3, reps=12, rest_s=60)
LOADED_TOP = P(3, reps=10, rest_s=60, load_kg=10, per_side=True)


def _at(p: Prescription, *pains: int, lvl: str = "two-legs", **kw: object) -> Decision:
    """RAISE done at ``p`` once per pain rating, every 3 days."""
    return first(session(days(3 * i), did(RAISE, lvl, p, pain=x)) for i, x in enumerate(pains))


def rule_6_two_green_sessions_at_the_top_move_up_a_level() -> Decision:
    return _at(TOP, 0, 1)


def rule_6_one_session_at_the_top_is_not_enough() -> Decision:
    return _at(TOP, 0)


def rule_7_load_grows_5_percent_on_the_top_rung() -> Decision:
    return _at(LOADED_TOP, 0, 0, lvl="loaded")


def rule_8_reps_go_back_to_the_bottom_after_a_load_step() -> Decision:
    return _at(LOADED_TOP, 0, 0, lvl="loaded")


def rule_9_an_all_out_effort_holds_the_dose() -> Decision:
    return first([session(days(0), did(RAISE, "two-legs", TWELVE, rpe=9.5))])


def rule_10_holds_grow_by_5_seconds() -> Decision:
    return first([session(days(0), did(SQUAT, "block", P(3, hold_s=20)))])


def rule_11_drills_grow_once_a_week() -> Decision:
    done = P(5, distance_m=100)
    return first(session(days(i), did(DRILL, "walk", done)) for i in (0, 3))


def rule_11_a_week_later_one_more_repeat() -> Decision:
    done = P(5, distance_m=100)
    return first([session(days(i), did(DRILL, "walk", done)) for i in (0, 3)], as_of=days(8))


def rule_12_short_of_the_bottom_reps_twice_lightens_the_load() -> Decision:
    p = P(3, reps=8, rest_s=60, load_kg=10, per_side=True)
    return first(session(days(3 * i), did(RAISE, "loaded", p, reps=6)) for i in range(2))


def rule_14_green_pain_allows_a_step() -> Decision:
    return _at(TWELVE, 2)


def rule_15_amber_pain_holds() -> Decision:
    return _at(TWELVE, 4)


def rule_16_red_pain_steps_back_a_level() -> Decision:
    return _at(P(3, reps=10, rest_s=60, per_side=True), 6, lvl="one-leg")


def rule_17_a_worse_next_morning_cuts_the_volume() -> Decision:
    entry = did(RAISE, "two-legs", TWELVE, pain=1)
    return first([session(days(0), entry, morning=2)], baseline=0)


def rule_18_rising_morning_pain_freezes_progression() -> Decision:
    p = TWELVE
    mornings = {0: 0, 3: 0, 7: 1, 10: 1}  # all within the usual 1/10, but rising
    done = [session(days(d), did(RAISE, "two-legs", p), morning=m) for d, m in mornings.items()]
    return first(done, baseline=1)


def rule_19_red_again_after_stepping_back_sees_a_clinician() -> Decision:
    return first(
        [
            session(
                days(0), did(RAISE, "one-leg", P(3, reps=10, rest_s=60, per_side=True), pain=6)
            ),
            session(days(3), did(RAISE, "two-legs", TOP, pain=7)),
        ]
    )


def rule_20_muscle_soreness_is_not_knee_pain() -> Decision:
    entry = did(RAISE, "two-legs", TWELVE, pain=6, location=PainLocation.MUSCLE)
    return first([session(days(0), entry)])


def rule_27_no_harder_step_the_day_before_a_long_run() -> Decision:
    return first([session(days(0), did(SQUAT, "flat", P(3, hold_s=30)))], days_to_long_run=1)


def rule_29_deload_week_cuts_sets() -> Decision:
    return first([session(days(0), did(RAISE, "two-legs", TWELVE))], deload_week=True)


def rule_31_no_progression_in_the_last_days_before_a_race() -> Decision:
    return first([session(days(0), did(RAISE, "two-legs", TWELVE))], days_to_race=6)


def rule_32_a_new_exercise_starts_at_about_half() -> Decision:
    from kneecap.core.log import Pin, TrainingLog
    from kneecap.core.progression import Context, progress
    from tests.core.progression.builders import lookup

    log = TrainingLog(pins=(Pin("raise"),))
    return progress(lookup, log, Context(as_of=days(0))).exercises[0]


def rule_33_back_after_three_weeks_at_half_volume() -> Decision:
    return first([session(days(0), did(RAISE, "two-legs", TWELVE))], as_of=days(21))


def rule_33_back_after_five_weeks_one_level_down_on_loaded_work() -> Decision:
    return first([session(days(0), did(RAISE, "loaded", LOADED_TOP))], as_of=days(35))


def rule_37_a_paused_leg_leaves_the_other_leg() -> Decision:
    p = P(3, reps=12, rest_s=60, per_side=True)
    return first([session(days(0), did(RAISE, "one-leg", p))], paused_legs=frozenset({Leg.LEFT}))


SCENARIOS: list[tuple[int, Callable[[], Decision], Action, str, str, Prescription | None]] = [
    (
        6,
        rule_6_two_green_sessions_at_the_top_move_up_a_level,
        Action.ADVANCE,
        "one-leg",
        "On to",
        P(3, reps=10, rest_s=60, per_side=True),
    ),
    (6, rule_6_one_session_at_the_top_is_not_enough, Action.HOLD, "two-legs", "1 so far", TOP),
    (
        7,
        rule_7_load_grows_5_percent_on_the_top_rung,
        Action.ADVANCE,
        "loaded",
        "+5.0 % load",
        P(3, reps=8, rest_s=60, load_kg=10.5, per_side=True),
    ),
    (
        8,
        rule_8_reps_go_back_to_the_bottom_after_a_load_step,
        Action.ADVANCE,
        "loaded",
        "reps back to 8",
        None,
    ),
    (
        9,
        rule_9_an_all_out_effort_holds_the_dose,
        Action.HOLD,
        "two-legs",
        "effort 9.5/10",
        TWELVE,
    ),
    (10, rule_10_holds_grow_by_5_seconds, Action.ADVANCE, "block", "+5 s hold", P(3, hold_s=25)),
    (11, rule_11_drills_grow_once_a_week, Action.HOLD, "walk", "once a week", P(5, distance_m=100)),
    (
        11,
        rule_11_a_week_later_one_more_repeat,
        Action.ADVANCE,
        "walk",
        "one more repeat",
        P(6, distance_m=100),
    ),
    (
        12,
        rule_12_short_of_the_bottom_reps_twice_lightens_the_load,
        Action.REGRESS,
        "loaded",
        "under 8 reps",
        P(3, reps=8, rest_s=60, load_kg=9, per_side=True),
    ),
    (
        14,
        rule_14_green_pain_allows_a_step,
        Action.ADVANCE,
        "two-legs",
        "pain 2/10 during",
        P(3, reps=14, rest_s=60),
    ),
    (
        15,
        rule_15_amber_pain_holds,
        Action.HOLD,
        "two-legs",
        "Holding at 3 × 12: pain 4/10 during on Monday 2 March",
        TWELVE,
    ),
    (16, rule_16_red_pain_steps_back_a_level, Action.REGRESS, "two-legs", "pain 6/10 during", TOP),
    (
        17,
        rule_17_a_worse_next_morning_cuts_the_volume,
        Action.REGRESS,
        "two-legs",
        "next-morning pain 2/10",
        P(3, reps=10, rest_s=60),
    ),
    (
        18,
        rule_18_rising_morning_pain_freezes_progression,
        Action.DELOAD,
        "two-legs",
        "morning pain averaged",
        P(2, reps=12, rest_s=60),
    ),
    (
        19,
        rule_19_red_again_after_stepping_back_sees_a_clinician,
        Action.REFER,
        "two-legs",
        "physiotherapist or doctor",
        None,
    ),
    (
        20,
        rule_20_muscle_soreness_is_not_knee_pain,
        Action.ADVANCE,
        "two-legs",
        "not knee pain",
        P(3, reps=14, rest_s=60),
    ),
    (
        27,
        rule_27_no_harder_step_the_day_before_a_long_run,
        Action.HOLD,
        "flat",
        "long run or race tomorrow",
        P(3, hold_s=30),
    ),
    (
        29,
        rule_29_deload_week_cuts_sets,
        Action.DELOAD,
        "two-legs",
        "every 4th week",
        P(2, reps=12, rest_s=60),
    ),
    (
        31,
        rule_31_no_progression_in_the_last_days_before_a_race,
        Action.HOLD,
        "two-legs",
        "race on",
        TWELVE,
    ),
    (32, rule_32_a_new_exercise_starts_at_about_half, Action.HOLD, "two-legs", "about half", None),
    (
        33,
        rule_33_back_after_three_weeks_at_half_volume,
        Action.REGRESS,
        "two-legs",
        "week 1 of 2",
        P(3, reps=6, rest_s=60),
    ),
    (
        33,
        rule_33_back_after_five_weeks_one_level_down_on_loaded_work,
        Action.REGRESS,
        "one-leg",
        "one level down",
        P(3, reps=7, rest_s=60, per_side=True),
    ),
    (
        37,
        rule_37_a_paused_leg_leaves_the_other_leg,
        Action.PAUSE,
        "one-leg",
        "Right leg only",
        None,
    ),
]


@pytest.mark.parametrize(
    ("rule", "scenario", "action", "level", "words", "dose"),
    SCENARIOS,
    ids=[f"rule-{row[0]}-{row[1].__name__}" for row in SCENARIOS],
)
def test_each_rule_decides_and_says_why(
    rule: int,
    scenario: Callable[[], Decision],
    action: Action,
    level: str,
    words: str,
    dose: Prescription | None,
) -> None:
    decision = scenario()
    assert decision.action is action, decision.why
    assert decision.level == level
    assert rule in decision.rules
    assert any(words in line for line in decision.why), decision.why
    assert any(f"rule {rule}" in line or f" {rule}" in line for line in decision.why)
    if dose is not None:
        assert decision.prescription == dose


def test_rule_32_first_dose_is_about_half_the_start() -> None:
    decision = rule_32_a_new_exercise_starts_at_about_half()
    assert decision.prescription is not None
    start = RAISE.levels[0].prescription
    assert decision.prescription.volume() <= start.volume() * 0.5 * 1.25


def test_rule_17_spares_hip_module_work_but_holds_it() -> None:
    entry = did(BRIDGE, "floor", P(3, reps=12), pain=0)
    decision = first([session(days(0), entry, morning=3)])
    assert decision.action is Action.HOLD
    assert 17 in decision.rules


def test_rule_17_tolerance_allows_the_baseline() -> None:
    entry = did(RAISE, "two-legs", TWELVE)
    decision = first([session(days(0), entry, morning=2)], baseline=2)
    assert decision.action is Action.ADVANCE


def test_rule_19_two_weeks_of_rising_mornings_refer_non_green_exercises() -> None:
    p = TWELVE
    mornings = {0: 0, 7: 1, 14: 2, 17: 3}
    sessions = [
        session(days(d), did(RAISE, "two-legs", p, pain=3), morning=m) for d, m in mornings.items()
    ]
    assert first(sessions).action is Action.REFER


def test_rule_19_three_weeks_without_improvement_refer() -> None:
    sessions = [session(days(d), did(RAISE, "two-legs", TOP, pain=4)) for d in range(0, 24, 3)]
    decision = first(sessions)
    assert decision.action is Action.REFER
    assert any("no session without pain" in line for line in decision.why)


def test_rule_19_improving_pain_is_not_referred() -> None:
    pains = [5, 5, 4, 4, 4, 3, 3, 3]
    sessions = [
        session(days(3 * i), did(RAISE, "two-legs", TOP, pain=x)) for i, x in enumerate(pains)
    ]
    assert first(sessions).action is Action.HOLD


def test_rule_29_a_load_spike_deloads() -> None:
    decision = first([session(days(0), did(RAISE, "two-legs", TOP))], load_spike=True)
    assert decision.action is Action.DELOAD
    assert 29 in decision.rules and 21 in decision.rules


def test_rule_31_no_new_level_within_two_weeks_of_a_race() -> None:
    decision = _at_with(TOP, days_to_race=12)
    assert decision.action is Action.HOLD
    assert 31 in decision.rules


def _at_with(p: Prescription, **context: object) -> Decision:
    sessions = [session(days(3 * i), did(RAISE, "two-legs", p)) for i in range(2)]
    return first(sessions, **context)


def test_rule_37_both_legs_paused_pause_the_exercise() -> None:
    decision = _at_with(TOP, paused_legs=frozenset(Leg))
    assert decision.action is Action.PAUSE
    assert decision.prescription is None


def _alerts(*sessions: object, **context: object) -> Report:
    return report(sessions, **context)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ({"pain": 8}, "Pain 8/10 during Raise"),
        ({"morning": 8}, "Pain 8/10 the morning after"),
        ({"swelling": True}, "New swelling"),
        ({"twisted_or_fell": True}, "twist or fall"),
    ],
)
def test_rule_38_alerts_ask_the_safety_questions_again(case: dict[str, object], words: str) -> None:
    pain = case.get("pain", 0)
    flags = {k: v for k, v in case.items() if k != "pain"}
    out = _alerts(session(days(0), did(RAISE, "two-legs", pain=pain), **flags))  # type: ignore[arg-type]
    assert any(words in a and "rule 38" in a for a in out.alerts), out.alerts


def test_rule_38_red_on_two_sessions_in_a_row_alerts() -> None:
    pains = [6, 6]
    out = report(session(days(3 * i), did(RAISE, "two-legs", pain=x)) for i, x in enumerate(pains))
    assert any("two" not in a and "Raise on" in a and "rule 38" in a for a in out.alerts)


def test_rule_38_old_alerts_are_not_repeated() -> None:
    out = report([session(days(0), did(RAISE, "two-legs", pain=8))], as_of=days(20))
    assert not [a for a in out.alerts if "8/10" in a]


@pytest.mark.parametrize(("now", "rule"), [(4, 15), (6, 16)])
def test_knee_pain_now_in_the_profile_holds_steps_up(now: int, rule: int) -> None:
    decision = first([session(days(0), did(RAISE, "two-legs", TWELVE))], knee_pain_now=now)
    assert decision.action is Action.HOLD
    assert rule in decision.rules
    assert f"knee pain {now}/10 now" in decision.why[0]


def test_rules_35_36_an_urgent_screening_answer_pauses_everything() -> None:
    out = report([session(days(0), did(RAISE, "two-legs", TWELVE))], blocked="A locked knee")
    (decision,) = out.exercises
    assert decision.action is Action.PAUSE and decision.prescription is None
    assert decision.why == ("Paused: A locked knee (rules 35, 36)",)
    assert any("seek care" in a for a in out.alerts)
