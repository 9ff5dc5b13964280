"""Profile files: every field validated, errors naming the field, JSON and TOML alike."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kneecap.core.catalog.model import Equipment
from kneecap.core.profile import (
    Experience,
    PlannedRun,
    Priority,
    ProfileError,
    RunKind,
    load_profile_file,
    parse_profile,
)

FULL: dict[str, Any] = {
    "start_date": "2026-03-02",
    "weeks": 12,
    "runs": {"tue": {"kind": "quality", "minutes": 55}, "mon": {"kind": "rest", "minutes": 30}},
    "races": [{"date": "2026-05-10", "priority": "B"}, {"date": "2026-06-01"}],
    "equipment": ["wall", "band"],
    "sessions_per_week": 1,
    "minutes_per_session": 25,
    "experience": "advanced",
    "knee_pain_now": 3,
    "screening": {"pre_heart": False, "soon_swelling_left": True},
}


def test_a_full_profile_parses_into_typed_values() -> None:
    p = parse_profile(FULL)
    assert p.start_date == date(2026, 3, 2) and p.weeks == 12
    assert p.run_on(1) == PlannedRun(RunKind.QUALITY, 55)
    assert p.run_on(0) == PlannedRun(RunKind.REST, 0)  # a rest day has no minutes
    assert p.run_on(6) == PlannedRun(RunKind.REST)  # days not given are rest days
    assert [r.priority for r in p.races] == [Priority.B, Priority.A]
    assert p.equipment == {Equipment.WALL, Equipment.BAND}
    assert p.experience is Experience.ADVANCED
    assert p.screening == {"pre_heart": False, "soon_swelling_left": True}


def test_only_the_start_date_is_required() -> None:
    p = parse_profile({"start_date": "2026-01-05"})
    assert (p.weeks, p.sessions_per_week, p.minutes_per_session) == (4, 2, 30)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"start_date": "March 2"}, "start_date"),
        ({"weeks": 53}, "weeks: 53 is outside 1–52"),
        ({"weeks": True}, "weeks: expected a whole number"),
        ({"runs": []}, "runs: expected an object"),
        ({"runs": {"tue": {"kind": "tempo"}}}, "runs.tue.kind"),
        ({"races": [{"date": "2026-05-10", "priority": "D"}]}, "races[0].priority"),
        ({"races": [{"date": "2026-05-10", "distance_km": 0}]}, "races[0].distance_km: 0 is"),
        ({"races": [{"date": "2026-05-10", "distance_km": "10k"}]}, "races[0].distance_km"),
        ({"equipment": ["kettlebell"]}, "equipment"),
        ({"sessions_per_week": 8}, "sessions_per_week"),
        ({"experience": "elite"}, "experience"),
        ({"knee_pain_now": 11}, "knee_pain_now"),
        ({"screening": {"pre_heart": "yes"}}, "screening.pre_heart: expected true or false"),
        ({"screening": {"heart": True}}, "screening.heart: unknown question id"),
        ({"colour": "red"}, "unknown profile field(s): colour"),
    ],
)
def test_a_bad_field_is_named(change: dict[str, Any], words: str) -> None:
    with pytest.raises(ProfileError, match=re.escape(words)):
        parse_profile({**FULL, **change})


def test_json_and_toml_files_read_the_same(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps({"start_date": "2026-03-02", "weeks": 3}))
    (tmp_path / "p.toml").write_text("start_date = 2026-03-02\nweeks = 3\n")
    assert load_profile_file(tmp_path / "p.json") == load_profile_file(tmp_path / "p.toml")


def test_unreadable_or_broken_files_raise_one_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile_file(tmp_path / "missing.json")
    (tmp_path / "bad.toml").write_text("start_date = ")
    with pytest.raises(ProfileError, match="not valid toml"):
        load_profile_file(tmp_path / "bad.toml")


def test_where_the_knee_hurts_is_optional_text_on_one_line() -> None:
    from kneecap.core.profile import ProfileError, parse_profile

    base = {"start_date": "2026-03-02"}
    assert parse_profile({**base, "knee_pain_where": " front of the knee "}).knee_pain_where == (
        "front of the knee"
    )
    for bad in ("x" * 201, "two\nlines", 3):
        try:
            parse_profile({**base, "knee_pain_where": bad})
        except ProfileError as exc:
            assert "knee_pain_where" in str(exc)
        else:
            raise AssertionError(f"accepted {bad!r}")
