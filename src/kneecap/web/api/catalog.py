"""Catalog endpoints: shipped and custom exercises, with the CLI's JSON shape."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema, Status

from kneecap.application import catalog as services
from kneecap.application import exercises
from kneecap.application.access import athlete_for
from kneecap.core.catalog import CatalogError, exercise_to_dict
from kneecap.db.accounts.users import User
from kneecap.db.catalog.models import CustomExercise
from kneecap.web.api.errors import ApiError
from kneecap.web.http import AuthenticatedHttpRequest

router = Router(tags=["catalog"])


class ExerciseFilter(Schema):
    equipment: list[str] = Field(default_factory=list)
    stress: str | None = None
    athlete: int | None = None


class CatalogDose(Schema):
    sets: int | None = None
    reps: int | None = None
    hold_s: float | None = None
    rest_s: int | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    load_kg: float | None = None
    flights: int | None = None


class CatalogLevel(Schema):
    slug: str
    name: str
    prescription: CatalogDose
    target: CatalogDose
    advance_when: str
    stress: str
    equipment: list[str]
    per_side: bool
    regression: str | None
    dose: str
    estimated_s: float


class CatalogExercise(Schema):
    slug: str
    name: str
    summary: str
    purpose: str
    muscles: list[str]
    equipment: list[str]
    stress: str
    dose_kind: str
    per_side: bool
    steps: list[str]
    cues: list[str]
    cautions: list[str]
    contraindications: list[str]
    evidence_grade: str
    sources: list[str]
    origin: str
    module: str
    picture: str | None
    levels: list[CatalogLevel]


@router.get("/exercises", response=list[CatalogExercise])
def list_exercises(request: HttpRequest, filters: Query[ExerciseFilter]) -> list[dict[str, Any]]:
    owner = athlete_for(request.user, filters.athlete)
    try:
        found = services.catalog_for(owner).filter(
            equipment=filters.equipment, stress=filters.stress
        )
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return [exercise_to_dict(ex) for ex in found]


@router.get("/exercises/{slug}", response=CatalogExercise)
def get_exercise(request: HttpRequest, slug: str, athlete: int | None = None) -> dict[str, Any]:
    owner = athlete_for(request.user, athlete)
    try:
        return exercise_to_dict(services.catalog_for(owner).get(slug))
    except KeyError:
        raise ApiError(404, f"no exercise {slug!r}") from None


@router.post("/exercises", response={201: CatalogExercise})
def create_exercise(
    request: AuthenticatedHttpRequest, payload: Body[dict[str, Any]], athlete: int | None = None
) -> Status[dict[str, Any]]:
    """Add a custom exercise (a coach may assign one to a linked athlete)."""
    owner = athlete_for(request.user, athlete)
    return Status(201, _save(owner, payload, request.user, None))


@router.put("/exercises/{slug}", response=CatalogExercise)
def replace_exercise(
    request: AuthenticatedHttpRequest,
    slug: str,
    payload: Body[dict[str, Any]],
    athlete: int | None = None,
) -> dict[str, Any]:
    owner = athlete_for(request.user, athlete)
    if not CustomExercise.objects.filter(owner=owner, slug=slug).exists():
        raise ApiError(404, f"no custom exercise {slug!r} (shipped ones are copied, not edited)")
    return _save(owner, payload, request.user, slug)


@router.delete("/exercises/{slug}", response={204: None})
def delete_exercise(request: AuthenticatedHttpRequest, slug: str) -> Status[None]:
    if not exercises.delete_custom(request.user, slug):
        raise ApiError(404, f"no custom exercise {slug!r}")
    return Status(204, None)


def _save(owner: User, payload: dict[str, Any], author: User, slug: str | None) -> dict[str, Any]:
    try:
        row = exercises.save_custom(owner, payload, author=author, replacing=slug)
    except CatalogError as exc:
        status = 409 if "already have" in exc.problem or "shipped" in exc.problem else 422
        raise ApiError(status, str(exc)) from None
    return exercise_to_dict(services.catalog_for(owner).get(row.slug))
