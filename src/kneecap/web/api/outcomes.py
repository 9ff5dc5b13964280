"""Outcome questionnaires: score answers (as ``kneecap outcome score --json``), record and
list a runner's responses, read and set the schedule (issue 19, docs/outcomes.md).

A linked coach or physio reads an athlete's responses and sets the schedule; only the runner
records a response.
"""

from __future__ import annotations

from datetime import date as Day
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, StrictFloat, StrictInt
from pydantic.config import JsonDict

from kneecap.application import outcomes
from kneecap.core.outcomes import (
    INSTRUMENTS,
    MAX_WEEKS,
    MIN_WEEKS,
    OutcomeError,
    instrument,
    score,
)
from kneecap.web import audit
from kneecap.web.api.common import DayFilter, subject
from kneecap.web.api.errors import ApiError
from kneecap.web.api.schemas import Text
from kneecap.web.http import AuthenticatedHttpRequest

router = Router(tags=["outcomes"])

# Listed in the OpenAPI document; core refuses any other id with the known ones named.
INSTRUMENT: JsonDict = {"enum": list(INSTRUMENTS)}
AnswerIn = StrictInt | StrictFloat | None
ANSWERS = (
    "in the instrument's order; a whole number in the item's range (0–4 for KOOS items, the "
    "option's index for Kujala, 0–100 for sane, 0–10 for each psfs activity), null: skipped"
)


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    instrument: str = Field(..., json_schema_extra=INSTRUMENT)
    answers: list[AnswerIn] = Field(..., description=ANSWERS)


class ResponseIn(ScoreIn):
    answered: Day | None = Field(None, description="default: today")
    activities: list[Text] = Field(
        [], description="psfs only: the runner's name for each rated activity, in order"
    )


class ResponseOut(Schema):
    id: int
    instrument: str
    answered: Day
    answers: list[int | None]
    activities: list[str]
    scores: dict[str, float | None] = Field(
        ..., description="the instrument's keys; null where too few items were answered"
    )


class ResponseList(Schema):
    count: int
    items: list[ResponseOut]


class ResponseFilter(DayFilter):
    instrument: str | None = Field(None, json_schema_extra=INSTRUMENT)


class DueOut(Schema):
    instrument: str
    available: bool = Field(..., description="false: the instance has no wording to ask with")
    last_answered: Day | None
    due_on: Day
    due: bool


class ScheduleOut(Schema):
    interval_weeks: int = Field(..., description="weeks from the last answer to the next")
    set_by: str = Field(..., description="who set it; empty: the default")
    due: list[DueOut]


class ScheduleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    interval_weeks: StrictInt = Field(..., ge=MIN_WEEKS, le=MAX_WEEKS)


def _stored(stored: outcomes.Stored) -> dict[str, Any]:
    return {"id": stored.id, **stored.response.as_dict()}


@router.post("/outcomes/score", response=dict[str, float | None])
def score_answers(request: HttpRequest, payload: ScoreIn) -> dict[str, float | None]:
    """Score answers without storing them: the same keys as ``kneecap outcome score --json``
    (pain, function, quality_of_life, summary for koos-12; score for the others)."""
    try:
        inst = instrument(payload.instrument)
    except OutcomeError as exc:
        raise ApiError(422, f"instrument: {exc}") from None
    try:
        return score(inst, payload.answers)
    except OutcomeError as exc:
        raise ApiError(422, str(exc)) from None


@router.post("/outcomes", response={201: ResponseOut})
def record_response(
    request: AuthenticatedHttpRequest, payload: ResponseIn, athlete: int | None = None
) -> Status[dict[str, Any]]:
    """Record one of your own responses, scored by core; a coach cannot answer for a runner."""
    owner = subject(request, athlete, coach_may=False)
    try:
        stored = outcomes.record(
            owner,
            payload.instrument,
            payload.answers,
            timezone.localdate(),
            answered=payload.answered,
            activities=payload.activities,
        )
    except OutcomeError as exc:
        raise ApiError(422, str(exc)) from None
    return Status(201, _stored(stored))


@router.get("/outcomes", response=ResponseList)
def list_responses(request: HttpRequest, filters: Query[ResponseFilter]) -> dict[str, Any]:
    """Your responses, or a linked athlete's (read only), newest first."""
    owner = subject(request, filters.athlete)
    if filters.instrument is not None and filters.instrument not in INSTRUMENTS:
        raise ApiError(422, f"instrument: no instrument {filters.instrument!r}")
    found = outcomes.responses(owner, filters.instrument, filters.since, filters.until)
    shown = found[filters.offset : filters.offset + filters.limit]
    return {"count": len(found), "items": [_stored(s) for s in shown]}


def _schedule(athlete: Any) -> dict[str, Any]:
    schedule = outcomes.schedule_of(athlete)
    return {
        "interval_weeks": schedule.interval_weeks,
        "set_by": schedule.set_by,
        "due": [
            {
                "instrument": d.instrument,
                "available": d.available,
                "last_answered": d.last_answered,
                "due_on": d.due_on,
                "due": d.due,
            }
            for d in outcomes.due(athlete, timezone.localdate())
        ],
    }


@router.get("/outcomes/schedule", response=ScheduleOut)
def get_schedule(request: HttpRequest, athlete: int | None = None) -> dict[str, Any]:
    """How often the questionnaires come and what is due (asked at the start, then every
    ``interval_weeks`` after the last answer)."""
    return _schedule(subject(request, athlete))


@router.put("/outcomes/schedule", response=ScheduleOut)
def set_schedule(
    request: AuthenticatedHttpRequest, payload: ScheduleIn, athlete: int | None = None
) -> dict[str, Any]:
    """Set the interval: the runner, or a linked coach or physio with ``athlete=<id>``."""
    owner = subject(request, athlete)
    try:
        outcomes.set_schedule(owner, payload.interval_weeks, request.user)
    except OutcomeError as exc:
        raise ApiError(422, str(exc)) from None
    if owner != request.user:
        audit.record("outcome-schedule", request, request.user.pk, athlete=owner.pk)
    return _schedule(owner)
