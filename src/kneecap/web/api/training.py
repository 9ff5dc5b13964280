"""Training sessions and morning check-ins: the log in the shape of ``kneecap progress --log``.

Every value goes through core's log parser (via ``training.logging``), so the API refuses
the same impossible values as the web form and ``kneecap log``, naming the field.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, ConfigDict

from kneecap.application import log as log
from kneecap.application import plans
from kneecap.core.log import LogError
from kneecap.db.training.models import MorningCheckin, SessionLog
from kneecap.web.api.common import DayFilter, paged, subject, within
from kneecap.web.api.errors import ApiError

router = Router(tags=["training"])


def _no_nul(text: str) -> str:
    if "\x00" in text:  # PostgreSQL cannot store it; say which field rather than fail later
        raise ValueError("contains a NUL character")
    return text


Text = Annotated[str, AfterValidator(_no_nul)]


class SetDone(Schema):
    """One set as done; keys that do not apply are left out or null."""

    model_config = ConfigDict(extra="forbid")

    reps: int | None = None
    hold_s: float | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    load_kg: float | None = None
    side: str | None = Field(None, description="left or right, for one-leg work")


class _Exercise(Schema):
    model_config = ConfigDict(extra="forbid")

    exercise: str = Field(..., description="catalog slug")
    level: str = Field(..., description="the level's slug")
    sets: list[SetDone] = Field(default_factory=list)
    pain_during: int | None = Field(None, description="knee pain during, 0–10")
    pain_location: str | None = Field(None, description="joint, tendon, bone or muscle")


class ExerciseIn(_Exercise):
    rpe: float | None = Field(None, description="effort, 0–10")


class ExerciseOut(_Exercise):
    rpe: int | None = Field(None, description="effort, 0–10 (stored rounded)")


class _Session(Schema):
    model_config = ConfigDict(extra="forbid")

    date: Day
    pain_after: int | None = None
    pain_next_morning: int | None = None
    stiffness_next_morning: int | None = None
    swelling: bool = False
    notes: Text = ""
    client_id: UUID | None = Field(None, description="the same id twice stores one session")


class SessionIn(_Session):
    """A session as ``GET /sessions/{id}`` shows it; ``client_id`` makes re-sends safe."""

    exercises: list[ExerciseIn] = Field(default_factory=list)


class SessionOut(_Session):
    id: int
    exercises: list[ExerciseOut]


class SessionList(Schema):
    count: int
    items: list[SessionOut]


def _out(row: SessionLog, checkins: dict[Day, MorningCheckin] | None = None) -> dict[str, Any]:
    return {"id": row.pk, "client_id": row.client_id, **log.session_payload(row, checkins)}


def _refused(exc: LogError) -> ApiError:
    """422 naming the field as it is in the request body (not in a whole log)."""
    field = exc.field.removeprefix("sessions[0]").removeprefix(".")
    return ApiError(422, f"{field}: {exc.problem}" if field else exc.problem)


def _body(payload: SessionIn) -> dict[str, Any]:
    return payload.model_dump(mode="json", exclude_none=True)


@router.get("/sessions", response=SessionList)
def list_sessions(request: HttpRequest, filters: Query[DayFilter]) -> dict[str, Any]:
    """Logged sessions, newest first."""
    owner = subject(request, filters.athlete)
    rows = within(SessionLog.objects.filter(owner=owner), filters, "date").order_by("-date", "-id")
    count, page = paged(rows.prefetch_related("exercises__sets"), filters)
    page = list(page)
    mornings = {r.date + timedelta(days=1) for r in page}
    checkins = {c.date: c for c in MorningCheckin.objects.filter(owner=owner, date__in=mornings)}
    return {"count": count, "items": [_out(r, checkins) for r in page]}


@router.get("/sessions/{session_id}", response=SessionOut)
def get_session(
    request: HttpRequest, session_id: int, athlete: int | None = None
) -> dict[str, Any]:
    return _out(get_object_or_404(SessionLog, pk=session_id, owner=subject(request, athlete)))


@router.post("/sessions", response={200: SessionOut, 201: SessionOut})
def create_session(request: HttpRequest, payload: SessionIn, athlete: int | None = None) -> Status:
    """Log a session; 201 when stored, 200 when this ``client_id`` was already stored."""
    owner = subject(request, athlete, coach_may=False)
    today = timezone.localdate()
    try:
        row, created = log.record_session(owner, _body(payload), today)
    except LogError as exc:
        raise _refused(exc) from None
    except IntegrityError:
        if payload.client_id is None:
            raise
        # the same client_id, stored by a concurrent request: that row is the answer
        row = get_object_or_404(SessionLog, owner=owner, client_id=payload.client_id)
        created = False
    return Status(201 if created else 200, _out(row))


@router.put("/sessions/{session_id}", response=SessionOut)
def replace_session(
    request: HttpRequest, session_id: int, payload: SessionIn, athlete: int | None = None
) -> dict[str, Any]:
    """Replace a session's exercises and sets as a whole (the runner's own only)."""
    owner = subject(request, athlete, coach_may=False)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            row = get_object_or_404(
                SessionLog.objects.select_for_update(), pk=session_id, owner=owner
            )
            log.replace_session(row, _body(payload), today)
            plans.replan_soon(owner)
    except LogError as exc:
        raise _refused(exc) from None
    return _out(row)


@router.delete("/sessions/{session_id}", response={204: None})
def delete_session(request: HttpRequest, session_id: int, athlete: int | None = None) -> Status:
    owner = subject(request, athlete, coach_may=False)
    with transaction.atomic():
        get_object_or_404(SessionLog, pk=session_id, owner=owner).delete()
        plans.replan_soon(owner)
    return Status(204, None)


class CheckinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: Day | None = Field(None, description="the morning it is about; today when left out")
    pain: int = Field(..., ge=0, le=10, description="knee pain this morning, 0–10")
    stiffness: int = Field(0, ge=0, le=10)
    swelling: bool = False


class CheckinOut(Schema):
    date: Day
    pain: int
    stiffness: int
    swelling: bool


class CheckinList(Schema):
    count: int
    items: list[CheckinOut]


@router.get("/checkins", response=CheckinList)
def list_checkins(request: HttpRequest, filters: Query[DayFilter]) -> dict[str, Any]:
    """Morning check-ins, newest first."""
    rows = MorningCheckin.objects.filter(owner=subject(request, filters.athlete))
    count, page = paged(within(rows, filters, "date").order_by("-date"), filters)
    return {"count": count, "items": list(page)}


@router.post("/checkins", response={200: CheckinOut, 201: CheckinOut})
def record_checkin(request: HttpRequest, payload: CheckinIn, athlete: int | None = None) -> Status:
    """The morning check-in; one a day, so a second one that day replaces the first (200)."""
    owner = subject(request, athlete, coach_may=False)
    today = timezone.localdate()
    day = payload.date or today
    if day > today:
        raise ApiError(422, f"date: {day} is in the future")
    if day < log.OLDEST:
        raise ApiError(422, f"date: {day} is too far in the past")
    with transaction.atomic():
        existed = MorningCheckin.objects.filter(owner=owner, date=day).exists()
        log.record_checkin(owner, day, payload.pain, payload.stiffness, payload.swelling)
    return Status(200 if existed else 201, MorningCheckin.objects.get(owner=owner, date=day))
