"""Missing data is never green (issue 14 §2, rules 6, 14, 20): a session without its pain
rating during an exercise, or without its next morning, holds the dose and asks for it."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.log import Checkin, PainLocation, SessionLog, TrainingLog
from kneecap.core.progression import Action, Context, Missing, MissingRating, progress
from tests.core.progression.builders import (
    BRIDGE,
    DRILL,
    RAISE,
    SQUAT,
    START,
    P,
    days,
    did,
    first,
    lookup,
    report,
    session,
)

TWELVE = P(3, reps=12, rest_s=60)
TOP = P(3, reps=14, rest_s=60)


def test_no_rating_during_holds_and_asks_for_it() -> None:
    out = report([session(days(0), did(RAISE, "two-legs", TWELVE, pain=None))], as_of=days(3))
    (decision,) = out.exercises
    assert decision.action is Action.HOLD and decision.prescription == TWELVE
    assert decision.why == (
        "Holding at 3 × 12: no pain rating during it on Monday 2 March: rate it so the dose "
        "can grow (rules 6, 14)",
    )
    assert out.missing == (MissingRating(days(0), "raise", Missing.PAIN_DURING),)
    assert out.as_dict()["missing"] == [
        {"date": "2026-03-02", "exercise": "raise", "what": "pain_during"}
    ]


def test_no_next_morning_holds_and_asks_for_it() -> None:
    out = report([session(days(0), did(RAISE, "two-legs", TWELVE), morning=None)], as_of=days(3))
    (decision,) = out.exercises
    assert decision.action is Action.HOLD
    assert decision.why[0].endswith(
        "no next-morning rating after Monday 2 March: rate it so the dose can grow (rules 6, 14)"
    )
    assert out.missing == (MissingRating(days(0), None, Missing.PAIN_NEXT_MORNING),)


def test_yesterdays_session_waits_for_this_mornings_check_in() -> None:
    yesterday = session(days(0), did(RAISE, "two-legs", TWELVE), morning=None)
    waiting = progress(lookup, TrainingLog((yesterday,)), Context(as_of=days(1))).exercises[0]
    assert waiting.action is Action.HOLD
    assert "the morning after Monday 2 March is today: answer the check-in" in waiting.why[0]
    answered = TrainingLog((yesterday,), checkins=(Checkin(days(1), 0),))
    assert progress(lookup, answered, Context(as_of=days(1))).exercises[0].action is Action.ADVANCE


def test_muscle_soreness_is_a_rating() -> None:
    sore = did(RAISE, "two-legs", TWELVE, pain=4, location=PainLocation.MUSCLE)
    morning = SessionLog(
        days(0), (sore,), pain_next_morning=3, pain_location_next_morning=PainLocation.MUSCLE
    )
    decision = first([morning])
    assert decision.action is Action.ADVANCE
    assert "muscle soreness only during it on Monday 2 March" in decision.why[0]
    assert "settled" not in decision.why[0]  # the morning was soreness, not a knee rating


def test_no_explanation_states_a_rating_that_was_not_given() -> None:
    cases = [
        session(days(0), did(RAISE, "two-legs", TWELVE, pain=None), morning=None),
        session(days(0), did(RAISE, "two-legs", TWELVE, pain=None), after=3, morning=None),
        session(days(0), did(RAISE, "two-legs", TWELVE, pain=1), after=3, morning=None),
    ]
    for case in cases:
        why = " ".join(first([case], as_of=days(4)).why)
        assert "0/10" not in why and "settled" not in why, why
        assert "counted as" not in why


def test_a_missing_rating_breaks_the_green_sessions_in_a_row() -> None:
    sessions = [
        session(days(0), did(RAISE, "two-legs", TOP, pain=None)),
        session(days(3), did(RAISE, "two-legs", TOP, pain=0)),
    ]
    out = report(sessions)
    decision = out.exercises[0]
    assert decision.action is Action.HOLD and decision.level == "two-legs"
    assert "2 green sessions in a row at the top before the next level, 1 so far" in decision.why[0]
    assert out.missing == (MissingRating(days(0), "raise", Missing.PAIN_DURING),)


def test_weeks_without_ratings_hold_and_are_not_referred() -> None:
    sessions = [
        session(days(d), did(RAISE, "two-legs", TOP, pain=None), morning=None)
        for d in range(0, 24, 3)
    ]
    assert first(sessions).action is Action.HOLD


# --- over random histories ----------------------------------------------------------------

steps = st.tuples(
    st.integers(1, 5),  # days to the next session
    st.one_of(st.none(), st.integers(0, 3)),  # pain during, or not rated
    st.one_of(st.none(), st.integers(0, 1)),  # next morning, or not answered
    st.booleans(),  # the next morning comes as a check-in rather than in the session
)


@settings(max_examples=80, deadline=None)
@given(
    ex=st.sampled_from([RAISE, SQUAT, DRILL, BRIDGE]),
    history=st.lists(steps, min_size=1, max_size=16),
)
def test_no_advance_is_ever_based_on_a_missing_rating(
    ex: object, history: list[tuple[int, int | None, int | None, bool]]
) -> None:
    exercise = lookup(ex.slug)  # type: ignore[attr-defined]
    level, dose, day = exercise.levels[0].slug, exercise.levels[0].prescription, START
    sessions: list[SessionLog] = []
    checkins: list[Checkin] = []
    rated: list[bool] = []
    for gap, pain, morning, as_checkin in history:
        entry = did(exercise, level, dose, pain=pain)
        sessions.append(session(day, entry, morning=None if as_checkin else morning))
        if as_checkin and morning is not None:
            checkins.append(Checkin(day + timedelta(days=1), morning))
        rated.append(pain is not None and morning is not None)
        day += timedelta(days=gap)
        log = TrainingLog(tuple(sessions), 1, checkins=tuple(checkins))
        out = progress(lookup, log, Context(as_of=day))
        decision = out.exercises[0]
        if decision.action is Action.ADVANCE:
            assert rated[-1], decision.why
            if decision.level != level:  # a new level counts two sessions in a row (rule 6)
                assert all(rated[-2:]) and len(rated) >= 2, decision.why
        if not rated[-1]:
            assert out.missing, decision.why
        if decision.prescription is None:
            break  # referred (rule 19)
        level, dose = decision.level, decision.prescription
