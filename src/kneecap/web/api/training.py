"""Training sessions and morning check-ins: the log in the shape of ``kneecap progress --log``.

The schemas are core's session model (``kneecap.core.log``) and every value goes through
core's checks, so the API refuses the same impossible values as the web form and
``kneecap log``, naming the field; whatever it accepts it stores and gives back.
"""

from __future__ import annotations

from datetime import date as Day
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kneecap.application import log, record
from kneecap.application.safety import GateClosed
from kneecap.core import log as core
from kneecap.core.log import LogError
from kneecap.core.progression import Missing
from kneecap.db.training.models import MorningCheckin, SessionLog
from kneecap.web.api.common import DayFilter, paged, subject, within
from kneecap.web.api.errors import ApiError
from kneecap.web.api.schemas import body, schema_of

router = Router(tags=["training"])

SetDone = schema_of(core.SetResult, "SetDone")
ExerciseDone = schema_of(core.ExerciseLog, "ExerciseDone", lists={"sets": SetDone})
_CLIENT_ID = (
    UUID | None,
    Field(None, description="the same id twice stores one session (offline re-sends)"),
)
if TYPE_CHECKING:  # built from core's fields at import: to mypy, plain schemas
    SessionIn = Schema
    SessionOut = Schema
    CheckinIn = Schema
    CheckinOut = Schema
else:
    SessionIn = schema_of(
        core.SessionLog,
        "SessionIn",
        lists={"exercises": ExerciseDone},
        extra={"client_id": _CLIENT_ID},
    )
    SessionOut = schema_of(
        core.SessionLog,
        "SessionOut",
        lists={"exercises": ExerciseDone},
        extra={"id": (int, Field(...)), "client_id": _CLIENT_ID},
    )
    CheckinIn = schema_of(core.Checkin, "CheckinIn", optional=("date",))
    CheckinOut = schema_of(core.Checkin, "CheckinOut")


class SessionList(Schema):
    count: int
    items: list[SessionOut]


class CheckinList(Schema):
    count: int
    items: list[CheckinOut]


def _out(row: SessionLog, session: core.SessionLog) -> dict[str, Any]:
    return {"id": row.pk, "client_id": row.client_id, **core.to_json(session)}


def _refused(exc: LogError) -> ApiError:
    return ApiError(422, str(exc))


def _session(payload: Schema) -> core.SessionLog:
    data = body(payload)
    data.pop("client_id", None)
    try:
        return core.from_json(core.SessionLog, data)
    except LogError as exc:
        raise _refused(exc) from None


@router.get("/sessions", response=SessionList)
def list_sessions(request: HttpRequest, filters: Query[DayFilter]) -> dict[str, Any]:
    """Logged sessions, newest first."""
    owner = subject(request, filters.athlete)
    rows = within(SessionLog.objects.filter(owner=owner), filters, "date").order_by("-date", "-id")
    count, page = paged(rows.prefetch_related("exercises__sets"), filters)
    page = list(page)
    return {
        "count": count,
        "items": [_out(r, s) for r, s in zip(page, log.sessions_of(page), strict=True)],
    }


@router.get("/sessions/{session_id}", response=SessionOut)
def get_session(
    request: HttpRequest, session_id: int, athlete: int | None = None
) -> dict[str, Any]:
    row = get_object_or_404(SessionLog, pk=session_id, owner=subject(request, athlete))
    return _out(row, log.session_of(row))


@router.post("/sessions", response={200: SessionOut, 201: SessionOut})
def create_session(
    request: HttpRequest, payload: SessionIn, athlete: int | None = None
) -> Status[dict[str, Any]]:
    """Log a session; 201 when stored, 200 when this ``client_id`` was already stored."""
    owner = subject(request, athlete, coach_may=False)
    session = _session(payload)
    try:
        row, created = record.record_session(
            owner,
            session,
            timezone.localdate(),
            payload.client_id,  # type: ignore[attr-defined]  # schema_of's extra field
        )
    except LogError as exc:
        raise _refused(exc) from None
    except GateClosed as exc:
        raise ApiError(409, str(exc)) from None
    return Status(201 if created else 200, _out(row, log.session_of(row)))


@router.put("/sessions/{session_id}", response=SessionOut)
def replace_session(
    request: HttpRequest,
    session_id: int,
    payload: SessionIn,
    athlete: int | None = None,
) -> dict[str, Any]:
    """Replace a session as a whole (the runner's own only)."""
    owner = subject(request, athlete, coach_may=False)
    get_object_or_404(SessionLog, pk=session_id, owner=owner)
    try:
        row = record.replace_session(owner, session_id, _session(payload), timezone.localdate())
    except LogError as exc:
        raise _refused(exc) from None
    return _out(row, log.session_of(row))


@router.delete("/sessions/{session_id}", response={204: None})
def delete_session(
    request: HttpRequest, session_id: int, athlete: int | None = None
) -> Status[None]:
    owner = subject(request, athlete, coach_may=False)
    get_object_or_404(SessionLog, pk=session_id, owner=owner)
    record.delete_session(owner, session_id)
    return Status(204, None)


@router.get("/checkins", response=CheckinList)
def list_checkins(request: HttpRequest, filters: Query[DayFilter]) -> dict[str, Any]:
    """Morning check-ins, newest first."""
    rows = MorningCheckin.objects.filter(owner=subject(request, filters.athlete))
    count, page = paged(within(rows, filters, "date").order_by("-date"), filters)
    return {
        "count": count,
        "items": [core.to_json(MorningCheckin.to_core(r.values())) for r in page],
    }


@router.post("/checkins", response={200: CheckinOut, 201: CheckinOut})
def record_checkin(
    request: HttpRequest, payload: CheckinIn, athlete: int | None = None
) -> Status[dict[str, Any]]:
    """The morning check-in; one a day, so a second one that morning replaces the first (200).
    ``date`` left out: this morning."""
    owner = subject(request, athlete, coach_may=False)
    today = timezone.localdate()
    data = {"date": today.isoformat(), **body(payload)}
    try:
        checkin = core.from_json(core.Checkin, data)
        created = record.record_checkin(owner, checkin, today)
    except LogError as exc:
        raise _refused(exc) from None
    return Status(201 if created else 200, core.to_json(checkin))


class RatingIn(Schema):
    """A rating the pain gate asked for: one item of ``missing`` in ``GET /api/progress``."""

    model_config = ConfigDict(extra="forbid")

    date: Day = Field(..., description="the session's date")
    exercise: str | None = Field(None, description="for pain during: the exercise's slug")
    what: Missing
    value: int = Field(..., ge=0, le=core.PAIN_MAX, description="knee pain, 0–10")


@router.post("/ratings", response={204: None})
def add_rating(request: HttpRequest, payload: RatingIn, athlete: int | None = None) -> Status[None]:
    """Give a missing rating (rules 6, 14): the pain during an exercise of that day's
    sessions, or the next morning's pain (stored as that morning's check-in)."""
    owner = subject(request, athlete, coach_may=False)
    try:
        record.add_rating(
            owner, payload.date, payload.exercise, payload.what, payload.value, timezone.localdate()
        )
    except LogError as exc:
        raise _refused(exc) from None
    return Status(204, None)
