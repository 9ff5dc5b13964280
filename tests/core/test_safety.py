"""The one safety gate (issue 14 §1): every reason it says no, and what clears each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from kneecap.core import log as core
from kneecap.core.catalog import load_catalog
from kneecap.core.progression.model import Action, Decision
from kneecap.core.safety import (
    Event,
    EventKind,
    Gate,
    Stop,
    Verdict,
    effective_answers,
    gated_plan,
    triggers,
)
from kneecap.core.screening import Leg

CATALOG = load_catalog()
TODAY = date(2026, 3, 10)
NOON = datetime(2026, 3, 10, 12, tzinfo=UTC)


def at(hours: float) -> datetime:
    return NOON + timedelta(hours=hours)


def gate(
    answers: dict[str, bool] | None = None,
    events: tuple[Event, ...] | list[Event] = (),
    decisions: tuple[Decision, ...] | list[Decision] = (),
    today: date = TODAY,
) -> Gate:
    return Gate.of(answers or {}, events, decisions, today)


def check(g: Gate, slug: str, level: str | None = None, side: Leg | None = None) -> Verdict:
    ex = CATALOG.get(slug)
    return g.check(ex, ex.level(level or ex.levels[0].slug), side)


def test_with_nothing_against_it_every_exercise_is_allowed() -> None:
    g = gate()
    assert all(g.check(ex, lvl).allowed for ex in CATALOG for lvl in ex.levels)
    assert g.closed() == ()


def test_an_urgent_answer_stops_everything_and_says_get_care_today() -> None:
    g = gate({"urgent_no_weight": True})
    verdict = check(g, "split-squat")
    assert not verdict.allowed and verdict.reasons[0].stop is Stop.URGENT
    assert "today" in verdict.text() and "diagnos" not in verdict.text().lower()
    assert not check(g, "side-lying-hip-abduction").allowed  # the hip work too: care first


def test_a_see_soon_answer_pauses_that_leg_only() -> None:
    g = gate({"soon_swelling_left": True})
    per_side = check(g, "split-squat")
    assert per_side.allowed and per_side.side is Leg.RIGHT  # the other leg goes on
    assert not check(g, "split-squat", side=Leg.LEFT).allowed
    assert check(g, "split-squat", side=Leg.RIGHT).allowed
    both = check(g, "deep-squat-hold")  # two-leg work would load the paused leg
    assert not both.allowed and both.reasons[0].stop is Stop.LEG and 37 in both.reasons[0].rules


def test_a_rule_38_trigger_closes_the_gate_until_the_questions_are_answered_again() -> None:
    fell = Event(at(1), EventKind.TRIGGER, "twist:2026-03-10", "a twist or fall on 2026-03-10")
    answered_before = Event(at(0), EventKind.ANSWERED, answers={})
    g = gate({}, [answered_before, fell])
    assert not check(g, "tibialis-raise").allowed
    assert g.closed()[0].stop is Stop.RESCREEN and "twist or fall" in g.closed()[0].reason
    again = Event(at(2), EventKind.ANSWERED, answers={})
    assert check(gate({}, [answered_before, fell, again]), "tibialis-raise").allowed


def test_a_coach_or_physio_clears_a_pause_with_a_note() -> None:
    fell = Event(at(1), EventKind.TRIGGER, "twist:x", "a twist or fall")
    cleared = Event(at(2), EventKind.CLEARED, "rescreen", by="bob", note="seen in clinic")
    assert check(gate({}, [fell, cleared]), "tibialis-raise").allowed
    leg = Event(at(2), EventKind.CLEARED, "leg:left", by="bob", note="examined, fine")
    assert check(gate({"soon_swelling_left": True}, [leg]), "deep-squat-hold").allowed


def test_an_urgent_answer_cannot_be_cleared_by_a_coach() -> None:
    cleared = [
        Event(at(1), EventKind.CLEARED, scope, note="x")
        for scope in ("rescreen", "leg:left", "leg:right")
    ]
    assert not check(gate({"urgent_no_weight": True}, cleared), "tibialis-raise").allowed


def test_a_recent_injury_keeps_loaded_deep_and_high_stress_knee_work_out_for_7_days() -> None:
    """§6.2: every Ottawa answer "no" does not clear an injury."""
    hurt = Event(at(0), EventKind.ANSWERED, answers={"acute_injury_7d": True})
    g = gate({"acute_injury_7d": True}, [hurt])
    assert not check(g, "knees-to-floor").allowed  # deep knee bend
    assert not check(g, "deep-squat-hold").allowed
    sled = CATALOG.get("reverse-sled")
    assert not g.check(sled, sled.levels[-1]).allowed  # loaded
    assert check(g, "tibialis-raise").allowed  # low stress, not loaded, not deep
    assert check(g, "side-lying-hip-abduction").allowed  # hip work
    reason = check(g, "knees-to-floor").reasons[0]
    assert reason.stop is Stop.RECENT_INJURY and "2026-03-17" in reason.action
    assert not g.may_settle()
    later = gate({"acute_injury_7d": True}, [hurt], today=TODAY + timedelta(days=8))
    assert not check(later, "knees-to-floor").allowed and later.may_settle()
    assert "confirm it is settling" in check(later, "knees-to-floor").text()
    settled = Event(at(24 * 8), EventKind.SETTLING)
    done = gate({"acute_injury_7d": False}, [hurt, settled], today=TODAY + timedelta(days=8))
    assert check(done, "knees-to-floor").allowed


def test_a_recent_injury_with_no_recorded_answer_counts_from_today() -> None:
    g = gate({"acute_injury_7d": True})
    assert g.injury_on == TODAY and not check(g, "knees-to-floor").allowed


def test_knee_history_keeps_loaded_and_deep_work_out_until_cleared() -> None:
    g = gate({"knee_surgery_12m": True})
    assert not check(g, "deep-squat-hold").allowed
    assert check(g, "tibialis-raise").allowed
    assert check(gate({"knee_surgery_12m": True, "knee_cleared": True}), "deep-squat-hold").allowed


def test_an_exercise_the_engine_referred_or_paused_is_refused() -> None:
    refer = Decision(
        "split-squat", Action.REFER, "bodyweight", None, ("Please see a physio",), (19,)
    )
    g = gate(decisions=[refer])
    verdict = check(g, "split-squat")
    assert not verdict.allowed and verdict.reasons[0].stop is Stop.REFERRED
    assert check(g, "tibialis-raise").allowed
    cleared = Event(at(1), EventKind.CLEARED, "exercise:split-squat", note="reviewed")
    assert check(gate({}, [cleared], [refer]), "split-squat").allowed


def _session(**changes: Any) -> core.SessionLog:
    return core.SessionLog(TODAY, **changes)


@pytest.mark.parametrize(
    ("log", "runs", "found"),
    [
        (core.TrainingLog((_session(twisted_or_fell=True),)), [], "twist"),
        (core.TrainingLog((_session(swelling=True),)), [], "swelling"),
        (core.TrainingLog((_session(pain_after=8),)), [], "pain-after"),
        (
            core.TrainingLog(
                (_session(exercises=(core.ExerciseLog("stairs", "easy", pain_during=8),)),)
            ),
            [],
            "pain-during",
        ),
        (core.TrainingLog(checkins=(core.Checkin(TODAY, 9),)), [], "pain-morning"),
        (
            core.TrainingLog(checkins=(core.Checkin(TODAY, 1, swelling=True),)),
            [],
            "swelling-morning",
        ),
        (core.TrainingLog(), [core.RunLog(TODAY, 30, stopped_for_pain=True)], "run-stopped"),
    ],
)
def test_each_rule_38_trigger_is_found(
    log: core.TrainingLog, runs: list[core.RunLog], found: str
) -> None:
    keys = [t.key for t in triggers(log, runs, str, TODAY)]
    assert any(k.startswith(found) for k in keys)


def test_muscle_soreness_and_old_entries_are_not_triggers() -> None:
    sore = core.ExerciseLog("stairs", "easy", pain_during=9, pain_location=core.PainLocation.MUSCLE)
    old = core.SessionLog(TODAY - timedelta(days=30), twisted_or_fell=True)
    log = core.TrainingLog((old, _session(exercises=(sore,))))
    assert triggers(log, [], str, TODAY) == ()


def test_pain_above_the_ceiling_on_two_sessions_of_one_exercise_is_a_trigger() -> None:
    red = core.ExerciseLog("stairs", "easy", pain_during=6)
    log = core.TrainingLog(
        (core.SessionLog(TODAY - timedelta(days=3), (red,)), _session(exercises=(red,)))
    )
    assert any(t.key.startswith("red-twice:stairs") for t in triggers(log, [], str, TODAY))


def test_the_plan_loses_what_the_gate_refuses_and_says_why() -> None:
    from kneecap.core.planning import generate_plan
    from kneecap.core.profile import parse_profile

    profile = parse_profile(
        {
            "start_date": "2026-03-09",
            "runs": {"sat": {"kind": "long", "minutes": 80}},
            "equipment": ["wall", "stairs", "heel-block", "rail", "mat", "band"],
        }
    )
    plan = generate_plan(profile, CATALOG)
    hurt = gate({"acute_injury_7d": True})
    shown = gated_plan(plan, hurt, CATALOG.get)
    slugs = {i.exercise for s in shown.sessions() for i in s.items}
    assert "knees-to-floor" not in slugs and "deep-squat-hold" not in slugs
    assert any("Knees to floor is left out" in w or "left out" in w for w in shown.warnings)
    closed = gated_plan(plan, gate({"urgent_locked": True}), CATALOG.get)
    assert closed.weeks == () and closed.blocked is not None


def test_a_cleared_leg_is_planned_again() -> None:
    cleared = Event(at(1), EventKind.CLEARED, "leg:left", note="fine")
    g = gate({"soon_swelling_left": True, "pre_heart": True}, [cleared])
    assert effective_answers({"soon_swelling_left": True, "pre_heart": True}, g) == {
        "pre_heart": True
    }
