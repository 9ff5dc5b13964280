"""Progression: each exercise's next step with its reasons, and pins by the runner or coach."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from kneecap.application import record
from kneecap.application.catalog import catalog_for
from kneecap.application.progress import decision_for, next_report
from kneecap.core.catalog.model import Exercise
from kneecap.core.log import LogError, PinnedBy
from kneecap.core.log import Pin as CorePin
from kneecap.core.progression import Action, Missing, Report
from kneecap.db.accounts.users import User
from kneecap.db.training.models import Pin
from kneecap.web.api.common import subject
from kneecap.web.api.errors import ApiError
from kneecap.web.api.schemas import Text
from kneecap.web.http import AuthenticatedHttpRequest

router = Router(tags=["progress"])


class Dose(Schema):
    model_config = ConfigDict(extra="forbid")

    sets: int | None = None
    reps: int | None = None
    hold_s: float | None = None
    rest_s: int | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    load_kg: float | None = None
    flights: int | None = None


class DoseOut(Dose):
    per_side: bool | None = None


class DecisionOut(Schema):
    exercise: str
    decision: Action
    level: str
    prescription: DoseOut = Field(..., description="all null when paused or referred")
    side: str | None = Field(None, description="the one leg trained while the other rests")
    why: list[str]
    rules: list[int] = Field(..., description="rule ids of the evidence brief")
    pain_ceiling: int = Field(
        ..., description="stop the exercise when pain during it goes above this (rule 16)"
    )


class MissingOut(Schema):
    date: Day = Field(..., description="the session's date")
    exercise: str | None = Field(None, description="null: the session's next morning")
    what: Missing


class ReportOut(Schema):
    """The shape of ``kneecap progress --json``."""

    as_of: Day
    exercises: list[DecisionOut]
    alerts: list[str]
    missing: list[MissingOut] = Field(
        ..., description="ratings the pain gate needs: a dose holds until they are given"
    )


class PinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    level: str | None = Field(None, description="a level's slug; left out: the engine's level")
    prescription: Dose | None = Field(None, description="changes to the level's start dose")
    note: Text = Field("", max_length=300)


class PinOut(Schema):
    exercise: str
    level: str | None
    prescription: dict[str, int | float]
    by: PinnedBy
    paused: bool
    pinned_by: str | None = Field(None, description="the username of who pinned it")
    note: str
    created_at: datetime


def _report(athlete: User) -> Report:
    report = next_report(athlete, timezone.localdate())
    if report is None:
        raise ApiError(404, "no profile yet: complete onboarding first")
    return report


def _exercise(athlete: User, slug: str) -> Exercise:
    try:
        return catalog_for(athlete).get(slug)
    except KeyError:
        raise ApiError(404, "no such exercise in this catalog") from None


def _pin_out(pin: Pin) -> dict[str, Any]:
    fixed = pin.to_core()
    return {
        "exercise": fixed.exercise,
        "level": fixed.level,
        "prescription": dict(fixed.prescription or {}),
        "by": fixed.by,
        "paused": fixed.paused,
        "pinned_by": pin.pinned_by.get_username() if pin.pinned_by else None,
        "note": pin.note,
        "created_at": pin.created_at,
    }


@router.get("/progress", response=ReportOut)
def get_report(request: HttpRequest, athlete: int | None = None) -> dict[str, Any]:
    """Every logged or pinned exercise's next step, as of today."""
    return dict(_report(subject(request, athlete)).as_dict())


@router.get("/progress/{slug}", response=DecisionOut)
def get_decision(request: HttpRequest, slug: str, athlete: int | None = None) -> dict[str, Any]:
    owner = subject(request, athlete)
    _exercise(owner, slug)
    decision = decision_for(_report(owner), slug)
    if decision is None:
        raise ApiError(404, "no decision for this exercise yet: log it or pin it first")
    return dict(decision.as_dict())


@router.get("/progress/{slug}/pin", response=PinOut)
def get_pin(request: HttpRequest, slug: str, athlete: int | None = None) -> dict[str, Any]:
    pin = Pin.objects.filter(owner=subject(request, athlete), exercise=slug).first()
    if pin is None:
        raise ApiError(404, "this exercise is not pinned")
    return _pin_out(pin)


@router.put("/progress/{slug}/pin", response=PinOut)
def put_pin(
    request: AuthenticatedHttpRequest, slug: str, payload: PinIn, athlete: int | None = None
) -> dict[str, Any]:
    """Fix an exercise's level or dose (the runner or their coach); the engine keeps to it."""
    owner = subject(request, athlete)
    exercise = _exercise(owner, slug)
    if payload.level and all(lvl.slug != payload.level for lvl in exercise.levels):
        raise ApiError(422, f"level: {slug} has no level {payload.level!r}")
    dose = payload.prescription.model_dump(exclude_none=True) if payload.prescription else {}
    try:
        fixed = CorePin(slug, payload.level, dose or None, note=payload.note)
        pin = record.pin(owner, fixed, request.user)
    except LogError as exc:
        raise ApiError(422, str(exc)) from None
    return _pin_out(pin)


@router.delete("/progress/{slug}/pin", response={204: None})
def delete_pin(request: HttpRequest, slug: str, athlete: int | None = None) -> Status[None]:
    """Remove a pin: the engine decides again."""
    owner = subject(request, athlete)
    if not record.unpin(owner, slug):
        raise ApiError(404, "this exercise is not pinned")
    return Status(204, None)
