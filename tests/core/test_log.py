"""The training log: parsing the JSON shape, and impossible values named by their field."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kneecap.core.catalog import load_catalog
from kneecap.core.log import (
    ExerciseLog,
    LogError,
    PainLocation,
    Pin,
    PinnedBy,
    SessionLog,
    SetResult,
    TrainingLog,
    load_log_file,
    parse_log,
)
from kneecap.core.screening import Leg

LOG: dict[str, Any] = {
    "baseline_morning_pain": 1,
    "sessions": [
        {
            "date": "2026-03-05",
            "exercises": [
                {
                    "exercise": "split-squat",
                    "level": "bodyweight",
                    "sets": [{"reps": 10, "side": "left"}, {"reps": 9, "side": "right"}],
                    "pain_during": 3,
                    "pain_location": "muscle",
                    "rpe": 7.5,
                }
            ],
            "pain_after": 2,
            "pain_next_morning": 1,
            "stiffness_next_morning": 2,
            "notes": "windy",
        },
        {"date": "2026-03-02", "exercises": [{"exercise": "stairs", "level": "easy"}]},
    ],
    "pins": [
        {"exercise": "stairs", "level": "easy", "prescription": {"flights": 3}, "by": "coach"}
    ],
}


def test_it_parses_the_log_and_sorts_sessions_by_date() -> None:
    log = parse_log(LOG)
    assert [s.date for s in log.sessions] == [date(2026, 3, 2), date(2026, 3, 5)]
    entry = log.sessions[1].exercises[0]
    assert entry.sets[1] == SetResult(reps=9, side=Leg.RIGHT)
    assert entry.pain_location is PainLocation.MUSCLE and entry.rpe == 7.5
    assert log.baseline_morning_pain == 1
    assert log.pins == (Pin("stairs", "easy", {"flights": 3.0}, PinnedBy.COACH),)


def test_omitted_and_null_keys_mean_not_logged() -> None:
    log = parse_log({"sessions": [{"date": "2026-03-02", "pain_after": None}]})
    assert log.sessions[0] == SessionLog(date(2026, 3, 2))
    assert log.baseline_morning_pain == 0


def test_muscle_soreness_is_not_knee_pain() -> None:
    sore = ExerciseLog(
        "split-squat", "bodyweight", pain_during=5, pain_location=PainLocation.MUSCLE
    )
    assert sore.knee_pain is None
    assert ExerciseLog("split-squat", "bodyweight", pain_during=5).knee_pain == 5


def _day(**session: Any) -> dict[str, Any]:
    return {"sessions": [{"date": "2026-03-02", **session}]}


def _ex(**entry: Any) -> dict[str, Any]:
    return _day(exercises=[{"exercise": "a", "level": "b", **entry}])


def _set(**one: Any) -> dict[str, Any]:
    return _ex(sets=[one])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"baseline_morning_pain": 11}, "baseline_morning_pain: 11 is outside 0–10"),
        ({"sessions": {}}, "sessions: expected a list"),
        ({"sessions": [{"date": "2026-02-30"}]}, "sessions[0].date: '2026-02-30' is not an ISO"),
        ({"sessions": [{}]}, "sessions[0].date: is required"),
        (_day(pain_after=-1), "sessions[0].pain_after: -1 is outside 0–10"),
        (_day(pain_next_morning=2.5), "sessions[0].pain_next_morning: expected a whole number"),
        (_day(swelling="yes"), "sessions[0].swelling: expected true or false"),
        (_day(mood=3), "sessions[0].mood: unknown key"),
        (_day(exercises=[{"level": "x"}]), "sessions[0].exercises[0].exercise: is required"),
        (_ex(rpe=11), "sessions[0].exercises[0].rpe: 11 is outside 0–10"),
        (_ex(pain_location="head"), "'head' is not one of muscle|joint|tendon|bone"),
        (_set(reps=5000), "sessions[0].exercises[0].sets[0].reps: 5000 is outside 0–1000"),
        (_set(load_kg=-2), "sets[0].load_kg: -2 is outside 0–500"),
        (_set(side="middle"), "sets[0].side: 'middle' is not one of left|right"),
        (
            {"pins": [{"exercise": "stairs", "prescription": {"sets": 1.5}}]},
            "pins[0].prescription.sets: expected a whole number",
        ),
        (
            {"pins": [{"exercise": "stairs", "prescription": {"tempo": 3}}]},
            "pins[0].prescription.tempo: not a prescription key",
        ),
        ({"pins": [{"exercise": "stairs", "by": "physio"}]}, "pins[0].by: 'physio' is not one of"),
    ],
)
def test_impossible_values_name_their_field(change: dict[str, Any], message: str) -> None:
    with pytest.raises(LogError) as exc:
        parse_log({**LOG, **change})
    assert message in str(exc.value)


def test_values_built_in_code_are_checked_too() -> None:
    with pytest.raises(LogError, match=r"^pain_during: 12 is outside 0–10$"):
        ExerciseLog("stairs", "easy", pain_during=12)
    with pytest.raises(LogError, match=r"^hold_s: -5 is outside"):
        SetResult(hold_s=-5)
    with pytest.raises(LogError, match=r"^sessions: must be in date order$"):
        TrainingLog((SessionLog(date(2026, 3, 5)), SessionLog(date(2026, 3, 2))))


def test_unknown_exercises_and_levels_name_their_place() -> None:
    catalog = load_catalog()
    bad = parse_log(
        {"sessions": [{"date": "2026-03-02", "exercises": [{"exercise": "stairs", "level": "x"}]}]}
    )
    with pytest.raises(
        LogError, match=r"sessions\[0\]\.exercises\[0\]\.level: stairs has no level 'x'"
    ):
        bad.check_catalog(catalog.get)
    unknown = parse_log({"pins": [{"exercise": "planks"}]})
    with pytest.raises(LogError, match=r"pins\[0\]\.exercise: no exercise 'planks'"):
        unknown.check_catalog(catalog.get)


def test_before_keeps_the_sessions_before_a_day() -> None:
    log = parse_log(LOG)
    assert [s.date for s in log.before(date(2026, 3, 5)).sessions] == [date(2026, 3, 2)]


def test_load_log_file_reports_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(LogError, match="is not valid JSON"):
        load_log_file(path)
    path.write_text(json.dumps(LOG), encoding="utf-8")
    assert len(load_log_file(path).sessions) == 2
