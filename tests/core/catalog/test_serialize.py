"""The JSON shape other tools rely on (`kneecap exercises --json`, the API) and its round trip."""

from __future__ import annotations

import json

import pytest

from kneecap.core.catalog import (
    PRESCRIPTION_KEYS,
    Equipment,
    Exercise,
    Origin,
    exercise_from_dict,
    exercise_to_dict,
    load_catalog,
)

ITEM_KEYS = {"slug", "name", "equipment", "stress", "dose_kind", "per_side", "cautions"}
ITEM_KEYS |= {"sources", "levels", "summary", "purpose", "muscles", "steps", "cues"}
ITEM_KEYS |= {"contraindications", "evidence_grade", "origin", "module", "picture"}
LEVEL_KEYS = {"slug", "name", "prescription", "advance_when", "target", "step", "stress"}
LEVEL_KEYS |= {"equipment", "regression"}

CATALOG = list(load_catalog())


@pytest.mark.parametrize("ex", CATALOG, ids=lambda ex: ex.slug)
def test_each_item_has_the_interface_keys_and_is_json(ex: Exercise) -> None:
    item = json.loads(json.dumps(exercise_to_dict(ex)))
    assert set(item) >= ITEM_KEYS
    assert isinstance(item["equipment"], list) and item["equipment"]
    assert isinstance(item["cautions"], list) and isinstance(item["sources"], list)
    assert item["stress"] in {"low", "moderate", "high"}
    assert isinstance(item["per_side"], bool)
    assert [lvl["slug"] for lvl in item["levels"]] == [lvl.slug for lvl in ex.levels]
    for level in item["levels"]:
        assert set(level) >= LEVEL_KEYS
        assert set(level["prescription"]) <= set(PRESCRIPTION_KEYS)
        assert None not in level["prescription"].values()
        assert isinstance(level["advance_when"], str) and level["advance_when"]


def test_the_tibialis_raise_prescription_reads_as_documented() -> None:
    item = exercise_to_dict(load_catalog().get("tibialis-raise"))
    first = item["levels"][0]
    assert first["prescription"] == {"sets": 3, "reps": 10, "hold_s": 3, "rest_s": 60}
    assert first["target"]["reps"] == 25 and first["step"] == {"reps": 2}
    assert first["equipment"] == ["wall"] and first["regression"] is None
    assert item["levels"][1]["per_side"] is True
    assert item["levels"][2]["equipment"] == ["wall", "dumbbells"]


def test_equipment_lists_none_first_when_a_level_needs_nothing() -> None:
    catalog = load_catalog()
    assert exercise_to_dict(catalog.get("walking-backward"))["equipment"] == ["none", "incline"]
    assert exercise_to_dict(catalog.get("glute-bridge"))["equipment"] == ["none"]
    assert exercise_to_dict(catalog.get("knees-to-floor"))["equipment"] == ["rail", "mat"]


@pytest.mark.parametrize("ex", CATALOG, ids=lambda ex: ex.slug)
def test_every_exercise_survives_a_json_round_trip(ex: Exercise) -> None:
    data = json.loads(json.dumps(exercise_to_dict(ex)))
    again = exercise_from_dict(data, "round-trip")
    assert exercise_to_dict(again) == exercise_to_dict(ex)
    assert again.equipment == tuple(e for e in ex.equipment if e.value != "none")


def test_the_file_schema_reads_through_exercise_from_dict_too() -> None:
    data = {
        "slug": "band-wall-sit",
        "name": "Band wall sit",
        "summary": "Sit against a wall.",
        "purpose": "Thighs under load.",
        "muscles": ["quadriceps"],
        "equipment": ["wall"],  # needed at every level
        "stress": "low",
        "dose_kind": "hold",
        "steps": ["Slide down the wall and hold."],
        "levels": [
            {
                "slug": "plain",
                "name": "Plain",
                "prescription": {"sets": 2, "hold_s": 20},
                "advance_when": "2 × 20 s, pain green.",
            },
            {
                "slug": "band",
                "name": "Band",
                "equipment": ["band"],
                "note": "",
                "prescription": {"sets": 2, "hold_s": 20},
                "advance_when": "2 × 20 s, pain green.",
            },
        ],
    }
    ex = exercise_from_dict(data, "typed", origin=Origin.CUSTOM)
    assert ex.equipment == (Equipment.WALL,)
    assert ex.level_equipment(ex.levels[1]) == {Equipment.WALL, Equipment.BAND}
    again = exercise_from_dict(exercise_to_dict(ex), "stored", origin=Origin.CUSTOM)
    assert exercise_to_dict(again) == exercise_to_dict(ex)
