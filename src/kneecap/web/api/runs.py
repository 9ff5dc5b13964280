"""Runs: imported activities and runs logged by hand."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from kneecap.application import cache as revision
from kneecap.application import imports as importer
from kneecap.application import plans
from kneecap.db.runs.models import Activity
from kneecap.web.api.common import DayFilter, paged, subject, within
from kneecap.web.api.errors import ApiError

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


class RunList(BaseModel):
    count: int
    items: list[RunOut]


class RunFilter(DayFilter):
    sport: str | None = None


class RunIn(Schema):
    date: date
    minutes: float = Field(..., gt=0, le=24 * 60)
    distance_m: float | None = Field(None, ge=0, le=500_000)
    kind: Activity.Kind = Activity.Kind.EASY
    rpe: int | None = Field(None, ge=0, le=10)
    name: str = Field("", max_length=200)


@router.get("/runs", response=RunList)
def list_runs(request: HttpRequest, filters: Query[RunFilter]) -> HttpResponse:
    owner = subject(request, filters.athlete)

    def body() -> bytes:
        runs = Activity.objects.filter(owner=owner).order_by("-start")
        runs = within(runs, filters, "start__date")
        if filters.sport:
            runs = runs.filter(sport=filters.sport)
        count, items = paged(runs, filters)
        # plain rows: validating model instances attribute by attribute took most of the time
        rows = list(items.values(*RunOut.model_fields))
        return RunList.model_validate({"count": count, "items": rows}).model_dump_json().encode()

    # The page as JSON, kept until a run is added, edited or deleted (the count included).
    kind = f"api-runs:{filters.model_dump_json()}"
    content = revision.kept(owner, kind, timezone.localdate(), body)
    return HttpResponse(content, content_type="application/json")


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int, athlete: int | None = None) -> Activity:
    return get_object_or_404(Activity, pk=run_id, owner=subject(request, athlete))


@router.post("/runs", response={201: RunOut})
def log_run(request: HttpRequest, payload: RunIn) -> Status:
    today = timezone.localdate()
    if payload.date > today:
        raise ApiError(422, "date: a run cannot be logged in the future")
    start = timezone.make_aware(datetime.combine(payload.date, datetime.min.time())).replace(
        hour=12
    )
    with transaction.atomic():
        run = Activity.objects.create(
            owner=request.user,
            start=start,
            sport="running",
            kind=payload.kind,
            name=payload.name,
            elapsed_s=payload.minutes * 60,
            moving_s=payload.minutes * 60,
            distance_m=payload.distance_m,
            rpe=payload.rpe,
            source="manual",
        )
        plans.replan_soon(request.user)
    return Status(201, run)


@router.delete("/runs/{run_id}", response={204: None})
def delete_run(request: HttpRequest, run_id: int) -> Status:
    with transaction.atomic():
        importer.delete_activity(get_object_or_404(Activity, pk=run_id, owner=request.user))
        plans.replan_soon(request.user)
    return Status(204, None)
