"""Profile and plan: the onboarding answers and the weeks they produce."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Field, Query, Router, Schema, Status

from kneecap.application import plans, profile, safety
from kneecap.application.runner import onboarded
from kneecap.core.profile import ProfileError
from kneecap.core.screening import QUESTIONS
from kneecap.core.units import Units
from kneecap.web.api.common import subject
from kneecap.web.api.errors import ApiError
from kneecap.web.http import AuthenticatedHttpRequest

router = Router(tags=["plan"])


@router.get("/profile", response=dict[str, Any])
def get_profile(request: HttpRequest, athlete: int | None = None) -> dict[str, Any]:
    """The running profile in the shape of ``kneecap plan --profile`` (without start_date);
    ``units`` is metric until the runner chooses."""
    stored = onboarded(subject(request, athlete))
    if stored is None:
        raise ApiError(404, "no profile yet: complete onboarding or PUT /api/profile")
    return {"units": Units.METRIC.value, **stored.data}


@router.put("/profile", response=dict[str, Any])
def put_profile(request: AuthenticatedHttpRequest, payload: Body[dict[str, Any]]) -> dict[str, Any]:
    """Replace your own profile; it is validated like a profile file and re-plans at once."""
    data = {k: v for k, v in payload.items() if k not in {"start_date", "weeks"}}
    answered = "screening" in data and data["screening"] != profile.stored_data(request.user).get(
        "screening"
    )
    try:
        profile.save_profile(request.user, data, timezone.localdate(), answered=answered)
    except ProfileError as exc:
        raise ApiError(422, str(exc)) from None
    return data


@router.put("/screening", response=dict[str, bool])
def answer_screening(
    request: AuthenticatedHttpRequest, payload: Body[dict[str, bool]]
) -> dict[str, bool]:
    """Answer the safety questions (again): every answer given counts from now, also when it
    is the same as before (rule 38 asks for them again after a trigger). Ids as in
    ``GET /screening-questions``; a question left out is a "no"."""
    data = {**profile.stored_data(request.user), "screening": dict(payload)}
    try:
        profile.save_profile(request.user, data, timezone.localdate(), answered=True)
    except ProfileError as exc:
        raise ApiError(422, str(exc)) from None
    return dict(payload)


@router.post("/screening/settling", response={204: None})
def knee_settling(request: AuthenticatedHttpRequest) -> Status[None]:
    """Confirm a knee hurt more than 7 days ago is settling (§6.2): loaded, deep knee-bend
    and high-stress knee work come back."""
    try:
        safety.settling(request.user, timezone.localdate())
    except ValueError as exc:
        raise ApiError(409, str(exc)) from None
    return Status(204, None)


@router.get("/screening-questions", response=list[dict[str, Any]])
def screening_questions(request: HttpRequest) -> list[dict[str, Any]]:
    return [q.as_dict() for q in QUESTIONS]


class PlanQuery(Schema):
    weeks: int = Field(4, ge=1, le=52)
    athlete: int | None = None


@router.get("/plan", response=dict[str, Any])
def get_plan(request: HttpRequest, query: Query[PlanQuery]) -> dict[str, Any]:
    """The plan from this week's Monday, as ``kneecap plan --json`` prints it."""
    plan = plans.plan_for(subject(request, query.athlete), timezone.localdate(), query.weeks)
    if plan is None:
        raise ApiError(404, "no profile yet: complete onboarding first")
    return plan.as_dict()


class PatternOut(Schema):
    proposal: dict[str, Any] | None = Field(
        ...,
        description=(
            "the weekly pattern the last three full weeks of runs show (first, last, runs "
            "keyed mon…sun, changes), or null when they agree with the profile's"
        ),
    )


@router.get("/plan/pattern", response=PatternOut)
def get_pattern(request: HttpRequest, athlete: int | None = None) -> dict[str, Any]:
    """Whether the runs contradict the weekly pattern the plan is built around (issue 17)."""
    found = plans.pattern_proposal(subject(request, athlete), timezone.localdate())
    return {"proposal": found.as_dict() if found else None}


@router.post("/plan/pattern", response=dict[str, Any])
def use_pattern(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """Take the proposed pattern as your own (the profile's ``runs``); returns the profile."""
    try:
        stored = profile.use_pattern(request.user, timezone.localdate())
    except ValueError as exc:
        raise ApiError(409, str(exc)) from None
    return dict(stored.data)
