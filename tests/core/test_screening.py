"""Screening: stable ids, five groups, and outcomes that state a reason and an action."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.screening import (
    QUESTION_IDS,
    QUESTIONS,
    Group,
    Leg,
    ScreeningError,
    assess,
)

IDS = [q.id for q in QUESTIONS]
# Words that would name a diagnosis; the messages must never use them (§6.7).
DIAGNOSES = re.compile(
    r"fracture|tear|rupture|arthritis|thrombosis|DVT|sepsis|septic|tendin|stress fracture|"
    r"meniscus|ligament|you have (a|an) ",
    re.IGNORECASE,
)


def by_group(group: Group) -> list[str]:
    return [q.id for q in QUESTIONS if q.group is group]


def test_ids_are_unique_and_stable() -> None:
    assert len(IDS) == len(set(IDS)) == 41
    # These ids are an interface (profile files, the API); renaming one breaks users.
    for known in (
        "pre_heart",
        "knee_surgery_12m",
        "knee_cleared",
        "acute_injury_7d",
        "acute_cannot_walk",
        "urgent_locked",
        "urgent_calf",
        "soon_giving_way_left",
        "soon_bone_pain_right",
        "soon_stiffness",
    ):
        assert known in QUESTION_IDS
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in IDS)


def test_every_question_has_text_and_a_group() -> None:
    for q in QUESTIONS:
        assert q.question.endswith("?") and q.label
        assert set(q.as_dict()) == {"id", "group", "question", "leg"}
    assert {q.group for q in QUESTIONS} == set(Group)


def test_leg_questions_come_in_pairs_naming_the_leg() -> None:
    legged = [q for q in QUESTIONS if q.leg is not None]
    assert legged and all(q.group is Group.SEE_SOON for q in legged)
    for q in legged:
        assert q.leg is not None and q.leg.value in q.question and q.id.endswith(q.leg.value)


def test_no_answers_mean_no_outcome() -> None:
    result = assess({})
    assert result.blocked is None and not result.paused_legs and not result.advice
    assert assess(dict.fromkeys(IDS, False)) == result


@pytest.mark.parametrize("qid", by_group(Group.URGENT))
def test_any_urgent_flag_blocks_and_says_today(qid: str) -> None:
    result = assess({qid: True})
    assert result.blocked is not None and result.blocked.group is Group.URGENT
    assert "today" in result.blocked.action


def test_a_hot_knee_or_calf_also_names_emergency_services() -> None:
    for qid in ("urgent_hot_knee", "urgent_calf"):
        blocked = assess({qid: True}).blocked
        assert blocked is not None and "emergency services" in blocked.action


@pytest.mark.parametrize("qid", [i for i in by_group(Group.ACUTE_INJURY) if i != "acute_injury_7d"])
def test_an_ottawa_sign_after_an_injury_sends_to_urgent_care(qid: str) -> None:
    result = assess({"acute_injury_7d": True, qid: True})
    assert result.blocked is not None and result.blocked.group is Group.ACUTE_INJURY
    assert "urgent care" in result.blocked.action


def test_ottawa_signs_without_a_recent_injury_do_not_block() -> None:
    assert assess({"acute_age_55": True}).blocked is None


def test_an_injury_without_ottawa_signs_is_not_cleared() -> None:
    result = assess({"acute_injury_7d": True})
    assert result.blocked is None
    assert any("cannot rule out" in a.reason for a in result.advice)


@pytest.mark.parametrize("leg", list(Leg))
def test_a_see_soon_flag_pauses_only_that_leg(leg: Leg) -> None:
    result = assess({f"soon_giving_way_{leg}": True})
    assert result.blocked is None and result.paused_legs == {leg}
    (advice,) = result.advice
    assert f"your {leg} leg is paused" in advice.action and "clinician" in advice.reason


def test_a_whole_body_see_soon_flag_pauses_both_legs() -> None:
    result = assess({"soon_weight_fever": True})
    assert result.all_paused


def test_knee_history_restricts_until_cleared() -> None:
    assert assess({"knee_replacement": True}).restrict_knee_loading
    cleared = assess({"knee_replacement": True, "knee_cleared": True})
    assert not cleared.restrict_knee_loading and not cleared.advice


@pytest.mark.parametrize("qid", by_group(Group.PRE_EXERCISE))
def test_any_pre_exercise_yes_says_talk_with_your_doctor(qid: str) -> None:
    result = assess({qid: True})
    assert result.blocked is None and not result.paused_legs
    (advice,) = result.advice
    assert "talk with your doctor before you start" in advice.action


def test_unknown_ids_are_refused() -> None:
    with pytest.raises(ScreeningError, match="knee_hurts"):
        assess({"knee_hurts": True})


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), st.booleans()))
def test_every_outcome_states_a_reason_and_an_action_and_never_a_diagnosis(
    answers: dict[str, bool],
) -> None:
    result = assess(answers)
    yes = {k for k, v in answers.items() if v}
    urgent = bool(yes & set(by_group(Group.URGENT)))
    assert (result.blocked is not None) >= urgent
    for advice in result.advice:
        assert advice.reason.endswith(".") and advice.action.endswith(".")
        assert not DIAGNOSES.search(advice.text()), advice.text()
    if result.blocked is not None:
        assert result.advice[0] == result.blocked


def test_every_id_is_documented_in_docs_planning() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "planning.md").read_text()
    missing = [i for i in IDS if f"`{i}`" not in docs]
    assert not missing, f"undocumented screening ids: {missing}"
