from __future__ import annotations

from typing import Any

import pytest

from kneecap.core.catalog import exercise_to_dict, load_catalog
from kneecap.db.catalog.models import CustomExercise
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def custom(**changes: Any) -> dict[str, Any]:
    data = exercise_to_dict(load_catalog().get("split-squat"))
    data.update(
        {"slug": "rear-foot-split-squat", "name": "Rear-foot-elevated split squat", **changes}
    )
    return data


def test_it_lists_exercises_with_the_cli_shape(alice: Any) -> None:
    body = client_for(alice).get("/api/exercises").json()
    tib = next(e for e in body if e["slug"] == "tibialis-raise")
    assert tib["levels"][0]["prescription"]["reps"] == 10
    assert {
        "slug",
        "name",
        "equipment",
        "stress",
        "dose_kind",
        "per_side",
        "cautions",
        "sources",
    } <= set(tib)


def test_it_filters_by_stress(alice: Any) -> None:
    body = client_for(alice).get("/api/exercises", {"stress": "low"}).json()
    assert body and all(e["stress"] == "low" for e in body)


def test_it_creates_reads_replaces_and_deletes_a_custom_exercise(alice: Any) -> None:
    client = client_for(alice)
    created = client.post("/api/exercises", custom(), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["origin"] == "custom"
    assert client.get("/api/exercises/rear-foot-split-squat").status_code == 200
    replaced = client.put(
        "/api/exercises/rear-foot-split-squat",
        custom(name="RFE split squat"),
        content_type="application/json",
    )
    assert replaced.json()["name"] == "RFE split squat"
    assert client.delete("/api/exercises/rear-foot-split-squat").status_code == 204
    assert not CustomExercise.objects.exists()


def test_it_refuses_a_malformed_exercise_with_422_naming_the_field(alice: Any) -> None:
    data = custom()
    data["levels"][0]["prescription"]["reps"] = -1
    response = client_for(alice).post("/api/exercises", data, content_type="application/json")
    assert response.status_code == 422
    assert "levels[0].prescription.reps" in response.json()["detail"]
    assert not CustomExercise.objects.exists()


def test_it_answers_409_for_a_duplicate_slug(alice: Any) -> None:
    client = client_for(alice)
    client.post("/api/exercises", custom(), content_type="application/json")
    response = client.post("/api/exercises", custom(), content_type="application/json")
    assert response.status_code == 409


def test_a_coach_assigns_an_exercise_but_a_stranger_cannot(
    alice: Any, bob: Any, charlie: Any
) -> None:
    url = f"/api/exercises?athlete={alice.pk}"
    assert (
        client_for(charlie).post(url, custom(), content_type="application/json").status_code == 404
    )
    assert client_for(bob).post(url, custom(), content_type="application/json").status_code == 201
    row = CustomExercise.objects.get()
    assert (row.owner, row.created_by) == (alice, bob)
    assert (
        client_for(charlie)
        .get(f"/api/exercises/rear-foot-split-squat?athlete={alice.pk}")
        .status_code
        == 404
    )
    assert client_for(charlie).get("/api/exercises/rear-foot-split-squat").status_code == 404
