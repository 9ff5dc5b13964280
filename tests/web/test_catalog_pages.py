from __future__ import annotations

import json
from typing import Any

import pytest

from kneecap.core.catalog import exercise_to_dict, load_catalog
from kneecap.db.catalog.models import CustomExercise
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
SEED = [
    "walking-backward",
    "tibialis-raise",
    "reverse-sled",
    "stairs",
    "split-squat",
    "knees-to-floor",
    "deep-squat-hold",
]


def my_exercise(**changes: Any) -> dict[str, Any]:
    data = exercise_to_dict(load_catalog().get("tibialis-raise"))
    data.update({"slug": "banded-tib-raise", "name": "Banded tibialis raise", **changes})
    return data


def test_it_lists_the_seed_drills_and_the_hip_module(alice: Any) -> None:
    page = client_for(alice).get("/exercises/").content.decode()
    for slug in SEED:
        assert f'href="/exercises/{slug}/"' in page
    assert "added by kneecap" in page


def test_it_filters_by_equipment_and_stress(alice: Any) -> None:
    page = client_for(alice).get("/exercises/", {"equipment": ["sled"]}).content.decode()
    assert "/exercises/reverse-sled/" in page
    assert "/exercises/tibialis-raise/" not in page
    page = client_for(alice).get("/exercises/", {"stress": "high"}).content.decode()
    assert "/exercises/knees-to-floor/" in page


def test_it_shows_an_exercise_with_picture_steps_cues_cautions_and_ladder(alice: Any) -> None:
    page = client_for(alice).get("/exercises/tibialis-raise/").content.decode()
    ex = load_catalog().get("tibialis-raise")
    assert "tibialis-raise.svg" in page
    for text in (ex.steps[0], ex.cues[0], ex.cautions[0], ex.levels[-1].name):
        assert text.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert "Copy to customise" in page


def test_it_answers_404_for_an_unknown_exercise(alice: Any) -> None:
    assert client_for(alice).get("/exercises/no-such-thing/").status_code == 404


def test_it_saves_a_custom_exercise_from_json(alice: Any) -> None:
    response = client_for(alice).post("/exercises/new/", {"text": json.dumps(my_exercise())})
    assert response.status_code == 302
    row = CustomExercise.objects.get(owner=alice)
    assert row.slug == "banded-tib-raise" and row.created_by == alice
    assert (
        "Banded tibialis raise"
        in client_for(alice).get("/exercises/banded-tib-raise/").content.decode()
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "x" * 10_000}, "name"),
        ({"stress": None}, "stress"),
    ],
)
def test_it_refuses_a_malformed_exercise_naming_the_field(
    alice: Any, change: dict[str, Any], field: str
) -> None:
    response = client_for(alice).post(
        "/exercises/new/", {"text": json.dumps(my_exercise(**change))}
    )
    assert response.status_code == 200
    assert field in response.content.decode()
    assert not CustomExercise.objects.exists()


def test_it_refuses_unknown_equipment(alice: Any) -> None:
    data = my_exercise()
    data["levels"][1]["equipment"] = ["trampoline"]
    response = client_for(alice).post("/exercises/new/", {"text": json.dumps(data)})
    assert "levels[1].equipment" in response.content.decode()
    assert not CustomExercise.objects.exists()


def test_it_refuses_negative_reps(alice: Any) -> None:
    data = my_exercise()
    data["levels"][0]["prescription"]["reps"] = -3
    response = client_for(alice).post("/exercises/new/", {"text": json.dumps(data)})
    assert "levels[0].prescription.reps" in response.content.decode()
    assert not CustomExercise.objects.exists()


def test_it_will_not_overwrite_a_shipped_exercise(alice: Any) -> None:
    response = client_for(alice).post(
        "/exercises/new/", {"text": json.dumps(my_exercise(slug="tibialis-raise"))}
    )
    assert "shipped" in response.content.decode()
    assert not CustomExercise.objects.exists()


def test_it_keeps_custom_exercises_private(alice: Any, charlie: Any) -> None:
    client_for(alice).post("/exercises/new/", {"text": json.dumps(my_exercise())})
    stranger = client_for(charlie)
    assert stranger.get("/exercises/banded-tib-raise/").status_code == 404
    assert stranger.get("/exercises/banded-tib-raise/edit/").status_code == 404
    assert stranger.post("/exercises/banded-tib-raise/delete/").status_code == 404
    assert CustomExercise.objects.filter(owner=alice).exists()


def test_it_edits_and_deletes_its_own_exercise(alice: Any) -> None:
    client = client_for(alice)
    client.post("/exercises/new/", {"text": json.dumps(my_exercise())})
    client.post(
        "/exercises/banded-tib-raise/edit/", {"text": json.dumps(my_exercise(name="Renamed"))}
    )
    assert CustomExercise.objects.get().data["name"] == "Renamed"
    client.post("/exercises/banded-tib-raise/delete/")
    assert not CustomExercise.objects.exists()
