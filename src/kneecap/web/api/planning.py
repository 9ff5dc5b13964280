"""Profile and plan: the onboarding answers and the weeks they produce."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Field, Query, Router, Schema

from kneecap.application import plans
from kneecap.core.profile import ProfileError
from kneecap.core.screening import QUESTIONS
from kneecap.db.accounts.models import RunnerProfile
from kneecap.web.accounts.onboarding import validated
from kneecap.web.api.common import subject
from kneecap.web.api.errors import ApiError

router = Router(tags=["plan"])


@router.get("/profile", response=dict[str, Any])
def get_profile(request: HttpRequest, athlete: int | None = None) -> dict[str, Any]:
    """The running profile in the shape of ``kneecap plan --profile`` (without start_date)."""
    stored = plans.stored_profile(subject(request, athlete))
    if stored is None:
        raise ApiError(404, "no profile yet: complete onboarding or PUT /api/profile")
    return dict(stored.data)


@router.put("/profile", response=dict[str, Any])
def put_profile(request: HttpRequest, payload: Body[dict[str, Any]]) -> dict[str, Any]:
    """Replace your own profile; it is validated like a profile file and re-plans at once."""
    data = {k: v for k, v in payload.items() if k not in {"start_date", "weeks"}}
    today = timezone.localdate()
    try:
        validated(data, today)
    except ProfileError as exc:
        raise ApiError(422, str(exc)) from None
    with transaction.atomic():
        profile, _ = RunnerProfile.objects.get_or_create(user=request.user)
        profile.data = data
        profile.onboarded_at = profile.onboarded_at or timezone.now()
        profile.save()
        plans.snapshot(request.user, today)
    return data


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
