"""Runs: imported activities and runs logged by hand."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from kneecap.application import runs
from kneecap.core.log import LogError, RunLog, from_json
from kneecap.db.runs.models import Activity
from kneecap.web.api.common import DayFilter, subject
from kneecap.web.api.errors import ApiError
from kneecap.web.api.schemas import body, schema_of
from kneecap.web.http import AuthenticatedHttpRequest

router = Router(tags=["runs"])


class RunOut(BaseModel):
    """Plain pydantic, not ninja's Schema: Schema wraps every input in a getter for Django
    objects, which took 43% of a 100-row list; ``from_attributes`` reads model rows in C."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    start: datetime
    sport: str
    kind: str
    name: str
    distance_m: float | None
    elapsed_s: float | None
    moving_s: float | None
    ascent_m: float | None
    descent_m: float | None
    avg_hr: int | None
    max_hr: int | None
    rpe: int | None
    has_gps: bool
    source: str
    summary_source: str
    stopped_for_pain: bool


class RunList(BaseModel):
    count: int
    items: list[RunOut]


class RunFilter(DayFilter):
    sport: str | None = None


if TYPE_CHECKING:  # built from core's fields at import: to mypy, a plain schema
    RunIn = Schema
else:
    RunIn = schema_of(RunLog, "RunIn")


@router.get("/runs", response=RunList)
def list_runs(request: HttpRequest, filters: Query[RunFilter]) -> HttpResponse:
    owner = subject(request, filters.athlete)
    fields = tuple(RunOut.model_fields)
    count, found = runs.listed(
        owner,
        fields,
        (filters.sport, filters.since, filters.until),
        filters.offset,
        filters.limit,
    )
    # plain rows: validating model instances attribute by attribute took most of the time
    rows = [dict(zip(fields, row, strict=True)) for row in found]
    content = RunList.model_validate({"count": count, "items": rows}).model_dump_json()
    return HttpResponse(content, content_type="application/json")


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int, athlete: int | None = None) -> Activity:
    return get_object_or_404(Activity, pk=run_id, owner=subject(request, athlete))


@router.post("/runs", response={201: RunOut})
def log_run(request: AuthenticatedHttpRequest, payload: RunIn) -> Status[Activity]:
    """Log a run by hand."""
    try:
        run = from_json(RunLog, body(payload))
        row = runs.add_run(request.user, run, timezone.localdate())
    except LogError as exc:
        raise ApiError(422, str(exc)) from None
    return Status(201, row)


@router.delete("/runs/{run_id}", response={204: None})
def delete_run(request: AuthenticatedHttpRequest, run_id: int) -> Status[None]:
    get_object_or_404(Activity, pk=run_id, owner=request.user)
    runs.delete_run(request.user, run_id)
    return Status(204, None)
