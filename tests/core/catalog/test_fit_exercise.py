"""The catalog's FIT mapping: the table's numbers are the FIT profile's, typos are refused with
the field named, and every shipped level says what a watch should call it."""

from __future__ import annotations

import json
from typing import Any

import fitdecode.profile
import pytest
from garmin_fit_sdk.profile import Profile

from kneecap.core.catalog import (
    FIT_CATEGORIES,
    FIT_NAMES,
    CatalogError,
    FitExercise,
    exercise_from_dict,
    exercise_to_dict,
    load_catalog,
    parse_exercise,
)
from tests.core.catalog.test_validation import custom, refused

SDK_TYPES: dict[str, dict[int, str]] = Profile["types"]
FITDECODE_TYPES = fitdecode.profile.FIELD_TYPES

# What docs/catalog.md promises, level by level: (category, name or None).
SHIPPED = {
    ("walking-backward", "flat"): ("run", "walk"),
    ("walking-backward", "incline"): ("run", "walk"),
    ("walking-backward", "longer"): ("run", "walk"),
    ("walking-backward", "backward-run"): ("run", "run"),
    ("tibialis-raise", "both-legs"): ("calf_raise", None),
    ("tibialis-raise", "single-leg"): ("calf_raise", None),
    ("tibialis-raise", "light-load"): ("calf_raise", None),
    ("reverse-sled", "partner-rope"): ("sled", "backward_drag"),
    ("reverse-sled", "sled"): ("sled", "backward_drag"),
    ("reverse-sled", "heavy-sled"): ("sled", "backward_drag"),
    ("stairs", "easy"): ("floor_climb", "floor_climb"),
    ("stairs", "two-steps"): ("floor_climb", "floor_climb"),
    ("stairs", "slow-descent"): ("floor_climb", "floor_climb"),
    ("stairs", "loaded"): ("floor_climb", "floor_climb"),
    ("split-squat", "bodyweight"): ("lunge", "lunge"),
    ("split-squat", "loaded"): ("squat", "dumbbell_split_squat"),
    ("split-squat", "more-sets"): ("squat", "dumbbell_split_squat"),
    ("knees-to-floor", "rail"): ("squat", None),
    ("knees-to-floor", "light-touch"): ("squat", None),
    ("knees-to-floor", "no-rail"): ("squat", None),
    ("deep-squat-hold", "heels-5cm"): ("squat", None),
    ("deep-squat-hold", "heels-2-5cm"): ("squat", None),
    ("deep-squat-hold", "flat"): ("squat", None),
    ("side-lying-hip-abduction", "bodyweight"): ("hip_stability", "side_lying_leg_raise"),
    ("side-lying-hip-abduction", "band"): ("hip_stability", "band_side_lying_leg_raise"),
    ("glute-bridge", "both-legs"): ("hip_raise", "hip_raise"),
    ("glute-bridge", "single-leg"): ("hip_raise", "single_leg_hip_raise"),
    ("lateral-band-walk", "band-knees"): ("banded_exercises", "lateral_band_walks"),
    ("lateral-band-walk", "band-ankles"): ("hip_stability", "lateral_walks_with_band_at_ankles"),
}


def test_every_category_number_is_the_fit_sdk_profiles() -> None:
    profile = {name: num for num, name in SDK_TYPES["exercise_category"].items()}
    profile.pop("unknown")  # a reader's placeholder, never an exercise
    assert dict(FIT_CATEGORIES) == profile


@pytest.mark.parametrize("category", sorted(FIT_NAMES))
def test_every_exercise_name_number_is_the_fit_sdk_profiles(category: str) -> None:
    profile = SDK_TYPES[f"{category}_exercise_name"]
    for name, number in FIT_NAMES[category].items():
        assert profile[number] == name, (category, name)


@pytest.mark.parametrize("category", sorted(FIT_NAMES))
def test_fitdecodes_older_profile_knows_every_value_too(category: str) -> None:
    # fitdecode carries SDK 21.171, the profile version the encoder writes in the header
    assert FITDECODE_TYPES["exercise_category"].enum[FIT_CATEGORIES[category]] == category
    names = FITDECODE_TYPES[f"{category}_exercise_name"].enum
    assert {names[n] for n in FIT_NAMES[category].values()} == set(FIT_NAMES[category])


def test_every_shipped_level_is_mapped_as_documented() -> None:
    found = {
        (ex.slug, lvl.slug): (fit.category, fit.name)
        for ex in load_catalog()
        for lvl in ex.levels
        if (fit := ex.level_fit_exercise(lvl)) is not None
    }
    assert found == SHIPPED


def with_fit(value: Any, level: Any = None) -> dict[str, Any]:
    data = custom()
    data["fit_exercise"] = value
    if level is not None:
        data["levels"][1]["fit_exercise"] = level
    return data


def test_a_custom_exercise_maps_itself_and_a_level_can_differ() -> None:
    ex = parse_exercise(
        with_fit({"category": "squat", "name": "body_weight_wall_squat"}, {"category": "plank"}),
        "my.json",
    )
    assert ex.level_fit_exercise(ex.levels[0]) == FitExercise("squat", "body_weight_wall_squat")
    assert ex.level_fit_exercise(ex.levels[1]) == FitExercise("plank")


def test_without_a_mapping_the_levels_have_none() -> None:
    ex = parse_exercise(custom(), "my.json")
    assert ex.fit_exercise is None and ex.level_fit_exercise(ex.levels[0]) is None


def test_a_mistyped_category_is_named_with_the_nearest_one() -> None:
    error = refused(with_fit({"category": "squats"}), "fit_exercise.category", "'squats'")
    assert "did you mean 'squat'?" in error


def test_a_mistyped_name_is_named_with_its_level() -> None:
    level = {"category": "squat", "name": "goblet_sqat"}
    error = refused(with_fit({"category": "squat"}, level), "levels[1].fit_exercise.name")
    assert "not a squat exercise name" in error and "did you mean 'goblet_squat'?" in error


def test_a_name_from_another_category_is_refused() -> None:
    refused(with_fit({"category": "lunge", "name": "goblet_squat"}), "fit_exercise.name", "lunge")


def test_a_name_in_a_category_kneecap_lists_none_of_is_refused() -> None:
    refused(with_fit({"category": "core", "name": "crunch"}), "fit_exercise.name", "leave name out")


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        ("squat", "fit_exercise", ("expected a table",)),
        ({}, "fit_exercise.category", ("is required",)),
        ({"category": "squat", "id": 28}, "fit_exercise", ("unknown field(s): id",)),
        ({"category": 28}, "fit_exercise.category", ("expected text",)),
        ({"category": "squat", "name": ""}, "fit_exercise.name", ("must not be empty",)),
    ],
)
def test_malformed_mappings_are_refused(value: Any, field: str, words: tuple[str, ...]) -> None:
    refused(with_fit(value), field, *words)


@pytest.mark.parametrize("ex", list(load_catalog()), ids=lambda ex: ex.slug)
def test_the_json_shape_carries_the_mapping_and_reads_back(ex: Any) -> None:
    data = json.loads(json.dumps(exercise_to_dict(ex)))
    for lvl, out in zip(ex.levels, data["levels"], strict=True):
        fit = ex.level_fit_exercise(lvl)
        assert out["fit_exercise"] == {"category": fit.category} | (
            {"name": fit.name} if fit.name else {}
        )
    again = exercise_from_dict(data, "round-trip")
    assert again.fit_exercise == ex.fit_exercise
    assert [lvl.fit_exercise for lvl in again.levels] == [lvl.fit_exercise for lvl in ex.levels]


def test_an_unmapped_custom_exercise_round_trips_with_nulls() -> None:
    ex = parse_exercise(custom(), "my.json")
    data = json.loads(json.dumps(exercise_to_dict(ex)))
    assert data["fit_exercise"] is None and data["levels"][0]["fit_exercise"] is None
    assert exercise_from_dict(data, "stored").fit_exercise is None


def test_a_wrong_mapping_in_an_edited_copy_is_still_refused() -> None:
    data = exercise_to_dict(load_catalog().get("split-squat"))
    data["slug"] = "my-split-squat"
    data["levels"][1]["fit_exercise"] = {"category": "squat", "name": "dumbell_split_squat"}
    with pytest.raises(CatalogError) as info:
        exercise_from_dict(data, "copy")
    assert info.value.field == "levels[1].fit_exercise.name"
