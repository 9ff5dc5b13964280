"""Custom exercises: the same schema as the shipped files, refused with the field named."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.catalog import (
    Catalog,
    CatalogError,
    Origin,
    Stress,
    exercise_from_dict,
    exercise_to_dict,
    load_catalog,
    load_catalog_dir,
    parse_exercise,
)


def custom() -> dict[str, Any]:
    """A minimal valid custom exercise, as the web form or the API would send it."""
    return {
        "slug": "wall-sit",
        "name": "Wall sit",
        "summary": "Sit against a wall with the knees bent.",
        "purpose": "Holds the thighs under load.",
        "muscles": ["quadriceps"],
        "equipment": ["wall"],
        "stress": "low",
        "dose_kind": "hold",
        "steps": ["Slide down the wall.", "Hold."],
        "levels": [
            {
                "slug": "high",
                "name": "Thighs above parallel",
                "prescription": {"sets": 3, "hold_s": 20, "rest_s": 60},
                "target": {"hold_s": 45},
                "step": {"hold_s": 5},
                "advance_when": "3 × 45 s on two sessions, pain green.",
            },
            {
                "slug": "low",
                "name": "Thighs parallel",
                "prescription": {"sets": 3, "hold_s": 20, "rest_s": 60},
                "advance_when": "3 × 20 s on two sessions, pain green.",
            },
        ],
    }


def refused(data: Any, field: str, *words: str) -> str:
    with pytest.raises(CatalogError) as info:
        parse_exercise(data, "my.json")
    error = info.value
    assert error.field == field, str(error)
    assert str(error).startswith(f"my.json: {field}: " if field else "my.json: ")
    for word in words:
        assert word in error.problem, str(error)
    return str(error)


def test_a_valid_custom_exercise_reads_with_defaults() -> None:
    ex = parse_exercise(custom(), "my.json")
    assert ex.origin is Origin.CUSTOM and ex.evidence_grade == "D" and ex.sources == ()
    assert ex.levels[1].regression == "high"  # the previous level when not given
    assert ex.levels[0].target is not None and ex.levels[0].target.hold_s == 45
    assert ex.levels[0].target.rest_s == 60  # unnamed target fields keep the start's
    assert ex.levels[1].target is None and ex.per_side is False


def test_a_user_cannot_claim_an_exercise_ships_with_kneecap() -> None:
    data = custom() | {"origin": "seed"}
    assert parse_exercise(data, "my.json").origin is Origin.CUSTOM


def test_a_missing_field_is_named() -> None:
    data = custom()
    del data["name"]
    refused(data, "name", "required")
    data = custom()
    del data["levels"][1]["advance_when"]
    refused(data, "levels[1].advance_when", "required")


def test_negative_reps_are_refused_with_the_level_and_field() -> None:
    data = custom() | {"dose_kind": "reps"}
    for level in data["levels"]:
        level["prescription"] = {"sets": 3, "reps": 10}
        level.pop("target", None)
        level.pop("step", None)
    data["levels"][1]["prescription"]["reps"] = -3
    message = refused(data, "levels[1].prescription.reps", "≥ 1", "-3")
    assert message == "my.json: levels[1].prescription.reps: must be ≥ 1, got -3"


def test_unknown_equipment_is_refused() -> None:
    refused(custom() | {"equipment": ["wall", "trampoline"]}, "equipment[1]", "trampoline")
    data = custom()
    data["levels"][0]["equipment"] = ["jetpack"]
    refused(data, "levels[0].equipment[0]", "jetpack")


def test_a_ten_thousand_character_name_is_refused() -> None:
    refused(custom() | {"name": "x" * 10_000}, "name", "at most 80", "10000")


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("hold_s", 3601, ("≤ 3600",)),
        ("hold_s", 0, ("≥ 1",)),
        ("sets", 0, ("≥ 1",)),
        ("sets", 2.5, ("whole number",)),
        ("sets", True, ("whole number",)),
        ("rest_s", -1, ("≥ 0",)),
        ("load_kg", 501, ("≤ 500",)),
        ("distance_m", 10_001, ("≤ 10000",)),
        ("hold_s", float("nan"), ("number",)),
        ("hold_s", "20", ("number",)),
    ],
)
def test_absurd_or_mistyped_numbers_are_refused(key: str, value: Any, words: tuple[str]) -> None:
    data = custom()
    data["levels"][0]["prescription"][key] = value
    refused(data, f"levels[0].prescription.{key}", *words)


def test_absurd_reps_are_refused() -> None:
    data = custom() | {"dose_kind": "reps"}
    data["levels"] = [data["levels"][1]]
    data["levels"][0]["prescription"] = {"sets": 3, "reps": 1001}
    refused(data, "levels[0].prescription.reps", "≤ 1000")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"slug": "Wall Sit"}, "slug", ("lowercase",)),
        ({"slug": "wall--sit"}, "slug", ("lowercase",)),
        ({"stress": "extreme"}, "stress", ("low|moderate|high",)),
        ({"dose_kind": "vibes"}, "dose_kind", ("reps|hold",)),
        ({"muscles": []}, "muscles", ("1–12",)),
        ({"steps": "Slide down."}, "steps", ("list",)),
        ({"steps": ["ok", 7]}, "steps[1]", ("text",)),
        ({"name": "   "}, "name", ("empty",)),
        ({"name": "Wall\nsit"}, "name", ("single line",)),
        ({"per_side": "yes"}, "per_side", ("true or false",)),
        ({"equipment": ["wall", "wall"]}, "equipment", ("twice",)),
        ({"levels": []}, "levels", ("1–12",)),
        ({"module": "elbow"}, "module", ("knee|hip",)),
        ({"evidence_grade": "A+"}, "evidence_grade", ("A, B, C or D",)),
        ({"picture": "../../etc/passwd.svg"}, "picture", ("relative",)),
        ({"rep_tempo_s": 0}, "rep_tempo_s", ("≥ 0.5",)),
        ({"colour": "red"}, "", ("unknown field(s): colour",)),
    ],
)
def test_bad_exercise_fields_are_named(
    change: dict[str, Any], field: str, words: tuple[str]
) -> None:
    refused(custom() | change, field, *words)


def test_level_problems_are_named() -> None:
    data = custom()
    data["levels"][1]["slug"] = "high"
    refused(data, "levels[1].slug", "earlier level")
    data = custom()
    data["levels"][1]["regression"] = "basement"
    refused(data, "levels[1].regression", "basement", "earlier level")
    data = custom()
    data["levels"][0]["regression"] = "low"
    refused(data, "levels[0].regression", "earlier level")
    data = custom()
    data["levels"][0]["prescription"] = {"sets": 3, "reps": 10}
    refused(data, "levels[0].prescription.hold_s", "hold exercise")
    data = custom()
    data["levels"][0]["prescription"]["speed"] = 3
    refused(data, "levels[0].prescription", "unknown field(s): speed")


def test_targets_and_steps_must_fit_the_start() -> None:
    data = custom()
    data["levels"][0]["target"] = {"hold_s": 10}
    refused(data, "levels[0].target.hold_s", "≥ the start")
    data = custom()
    data["levels"][0]["target"] = {"load_kg": 10}
    refused(data, "levels[0].target.load_kg", "no load_kg")
    data = custom()
    data["levels"][0]["step"] = {"load_pct": 5}
    refused(data, "levels[0].step.load_pct", "no load_kg")
    data = custom()
    data["levels"][0]["step"] = {"sets": 1}
    refused(data, "levels[0].step", "target raises hold_s", "hold_s lever")
    data = custom()
    data["levels"][0]["prescription"]["load_kg"] = 10
    data["levels"][0]["step"] = {"hold_s": 5, "load_pct": 20}  # rule 7: at most +10 %
    refused(data, "levels[0].step.load_pct", "≤ 10")


def test_the_error_is_a_value_error_with_source_field_and_problem() -> None:
    with pytest.raises(ValueError, match=r"^x\.toml: name: is required$"):
        parse_exercise({k: v for k, v in custom().items() if k != "name"}, "x.toml")
    with pytest.raises(CatalogError, match="expected a table/object"):
        parse_exercise([], "x.json")  # type: ignore[arg-type]


def test_a_directory_file_whose_slug_differs_from_its_name_is_refused(tmp_path: Path) -> None:
    shipped = {"origin": "kneecap", "evidence_grade": "D", "sources": ["a coach"]}
    (tmp_path / "other.toml").write_text(_toml(custom() | shipped))
    with pytest.raises(CatalogError, match=r"^other\.toml: slug: must match"):
        load_catalog_dir(tmp_path)


def test_shipped_files_need_sources_and_an_origin(tmp_path: Path) -> None:
    (tmp_path / "wall-sit.toml").write_text(_toml(custom()))
    with pytest.raises(CatalogError, match=r"^wall-sit\.toml: origin: is required"):
        load_catalog_dir(tmp_path)
    (tmp_path / "wall-sit.toml").write_text(_toml(custom() | {"origin": "seed"}))
    with pytest.raises(CatalogError, match=r"^wall-sit\.toml: evidence_grade: is required"):
        load_catalog_dir(tmp_path)


def test_a_catalog_refuses_two_exercises_with_one_slug() -> None:
    ex = parse_exercise(custom(), "my.json")
    with pytest.raises(CatalogError, match="used by two exercises"):
        Catalog([ex, ex])


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('slug = "bad\n')
    with pytest.raises(CatalogError, match=r"^bad\.toml: not valid TOML"):
        load_catalog_dir(tmp_path)


def _toml(data: dict[str, Any]) -> str:
    """Just enough TOML for these tests: top-level scalars and lists, levels as inline tables."""
    lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in data.items() if k != "levels"]
    for level in data["levels"]:
        lines.append("[[levels]]")
        for key, value in level.items():
            if isinstance(value, dict):
                inner = ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items())
                lines.append(f"{key} = {{ {inner} }}")
            else:
                lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5000) | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=8,
)
_PATHS = st.sampled_from(
    [
        ("name",),
        ("equipment",),
        ("stress",),
        ("levels",),
        ("levels", 0),
        ("levels", 0, "prescription"),
        ("levels", 0, "prescription", "hold_s"),
        ("levels", 1, "target"),
        ("levels", 1, "step"),
        ("levels", 0, "regression"),
        ("fit_exercise",),
        ("levels", 1, "fit_exercise"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(path=_PATHS, value=_JSONISH)
def test_any_malformed_value_is_refused_cleanly_or_accepted(
    path: tuple[Any, ...], value: Any
) -> None:
    data = custom()
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    try:
        ex = parse_exercise(copy.deepcopy(data), "fuzz.json")
    except CatalogError as error:
        assert str(error).startswith("fuzz.json: ")
    else:
        assert ex.slug == "wall-sit" and ex.levels


def test_an_edited_copy_of_a_shipped_exercise_reads_as_a_custom_one() -> None:
    data = exercise_to_dict(load_catalog().get("tibialis-raise"))
    data["slug"] = "my-tibialis-raise"
    data["levels"][0]["stress"] = "moderate"
    data["levels"][0]["prescription"]["reps"] = 12
    del data["levels"][0]["target"]  # the start is then the top
    ex = exercise_from_dict(data, "copy", origin=Origin.CUSTOM)
    assert ex.origin is Origin.CUSTOM and ex.levels[0].prescription.reps == 12
    assert ex.level_stress(ex.levels[0]) is Stress.MODERATE
