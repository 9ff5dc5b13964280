"""Coaches and physios: links (invite, accept, revoke), the dashboard, notes the athlete sees.

Links and the dashboard belong to the caller's own account: ``athlete`` may only name the
caller there, so a coach cannot reach a runner's links through them.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, create_model

from kneecap.application import coaching as services
from kneecap.application import rules, safety
from kneecap.application.access import athletes_of
from kneecap.application.athletes import summarize
from kneecap.core.rules import RulesError
from kneecap.core.rules import settings as core_settings
from kneecap.db.accounts.models import CoachLink
from kneecap.db.accounts.users import User
from kneecap.db.training.models import CoachNote
from kneecap.web import audit
from kneecap.web.api.common import DayFilter, Page, paged, subject, within
from kneecap.web.api.errors import ApiError
from kneecap.web.api.schemas import Text
from kneecap.web.http import AuthenticatedHttpRequest

router = Router(tags=["coaching"])
INVITED = "If that account exists, it now has your invitation."


class Person(Schema):
    id: int
    username: str


class LinkOut(Schema):
    id: int
    athlete: Person
    coach: Person
    role: CoachLink.Role
    status: Literal["pending", "active", "revoked"]
    invited_by_me: bool = Field(..., description="false: the other side asked, you may accept")
    created_at: datetime
    changed_at: datetime


class LinkList(Schema):
    count: int
    items: list[LinkOut]


class Direction(StrEnum):
    COACH_ME = "coach-me"  # the other account coaches the caller
    I_COACH = "i-coach"  # the caller coaches the other account


class InviteIn(Schema):
    username: Text = Field(..., min_length=1, max_length=150)
    direction: Direction = Direction.COACH_ME
    role: CoachLink.Role = CoachLink.Role.COACH


class Detail(Schema):
    detail: str


class SummaryOut(Schema):
    athlete: Person
    done_week: int
    planned_week: int
    done_6w: int
    planned_6w: int
    pain_recent: float | None = Field(None, description="mean pain after sessions, 14 days")
    pain_before: float | None = Field(None, description="the same over the 14 days before")
    pain_trend: str
    max_pain_14d: int | None
    flags: list[str] = Field(..., description="red flags and alerts (rule 38)")
    progression: dict[str, int] = Field(..., description="exercises per decision")
    week_km: float
    spike: str | None = Field(None, description="the latest single-run spike of 14 days")


class SummaryList(Schema):
    count: int
    items: list[SummaryOut]


class NoteIn(Schema):
    text: Text = Field(..., min_length=1, max_length=2000)


class NoteOut(Schema):
    id: int
    athlete: Person
    author: Person
    text: str
    created_at: datetime


class NoteList(Schema):
    count: int
    items: list[NoteOut]


def _me(request: HttpRequest, athlete: int | None) -> User:
    """The caller; naming anyone else is 404 (links are account settings)."""
    return subject(request, athlete, coach_may=False)


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "username": user.get_username()}


def _link(link: CoachLink, me: User) -> dict[str, Any]:
    return {
        "id": link.pk,
        "athlete": _person(link.athlete),
        "coach": _person(link.coach),
        "role": link.role,
        "status": link.status,
        "invited_by_me": link.invited_by_id == me.pk,
        "created_at": link.created_at,
        "changed_at": link.changed_at,
    }


@router.get("/coach-links", response=LinkList)
def list_links(request: HttpRequest, filters: Query[DayFilter]) -> dict[str, Any]:
    """Your live links and invitations, as athlete and as coach (revoked ones are gone)."""
    me = _me(request, filters.athlete)
    count, items = paged(within(services.links_of(me), filters, "created_at__date"), filters)
    return {"count": count, "items": [_link(link, me) for link in items]}


@router.post("/coach-links", response={202: Detail})
def invite(
    request: HttpRequest, payload: InviteIn, athlete: int | None = None
) -> Status[dict[str, str]]:
    """Invite an account to coach you (or to be coached by you).

    The answer is the same whether or not that account exists.
    """
    me = _me(request, athlete)
    services.invite(
        me, payload.username, as_coach=payload.direction is Direction.I_COACH, role=payload.role
    )
    return Status(202, {"detail": INVITED})


@router.post("/coach-links/{link_id}/accept", response=LinkOut)
def accept(request: HttpRequest, link_id: int, athlete: int | None = None) -> dict[str, Any]:
    """Accept an invitation the other side sent; the link takes effect at once."""
    me = _me(request, athlete)
    try:
        link = services.accept(me, link_id)
    except CoachLink.DoesNotExist:
        raise Http404 from None
    return _link(link, me)


@router.delete("/coach-links/{link_id}", response={204: None})
def revoke(request: HttpRequest, link_id: int, athlete: int | None = None) -> Status[None]:
    """End a link or decline an invitation (either side); access ends at once."""
    try:
        services.revoke(_me(request, athlete), link_id)
    except CoachLink.DoesNotExist:
        raise Http404 from None
    return Status(204, None)


def _summary(athlete: User, today: Day) -> dict[str, Any]:
    s = summarize(athlete, today)
    return {
        "athlete": _person(athlete),
        "done_week": s.adherence.done_week,
        "planned_week": s.adherence.planned_week,
        "done_6w": s.adherence.done_6w,
        "planned_6w": s.adherence.planned_6w,
        "pain_recent": s.pain_recent,
        "pain_before": s.pain_before,
        "pain_trend": s.pain_trend,
        "max_pain_14d": s.max_pain_14d,
        "flags": list(s.flags),
        "progression": s.progression,
        "week_km": s.week_km,
        "spike": s.spike,
    }


class AthletePage(Page):
    athlete: int | None = None


@router.get("/coach/athletes", response=SummaryList)
def dashboard(request: HttpRequest, filters: Query[AthletePage]) -> dict[str, Any]:
    """The coach dashboard: each linked athlete's adherence, pain, flags, progression, load."""
    athletes = athletes_of(_me(request, filters.athlete))
    shown = athletes[filters.offset : filters.offset + filters.limit]
    today = timezone.localdate()
    return {"count": len(athletes), "items": [_summary(a, today) for a in shown]}


@router.get("/coach/athletes/{athlete_id}", response=SummaryOut)
def athlete_summary(request: HttpRequest, athlete_id: int) -> dict[str, Any]:
    """One athlete's dashboard card (a runner may read their own)."""
    return _summary(subject(request, athlete_id), timezone.localdate())


@router.post("/coach/athletes/{athlete_id}/notes", response={201: NoteOut})
def add_note(
    request: AuthenticatedHttpRequest, athlete_id: int, payload: NoteIn
) -> Status[dict[str, Any]]:
    """Leave a note a linked athlete sees on their home page."""
    athlete = subject(request, athlete_id)
    if athlete == request.user:
        raise Http404
    if not payload.text.strip():
        raise ApiError(422, "text: a note needs some text")
    with transaction.atomic():
        note = CoachNote.objects.create(athlete=athlete, author=request.user, text=payload.text)
    return Status(201, _note(note))


class PauseOut(Schema):
    scope: str = Field(
        ...,
        description="rescreen, leg:left, leg:right, recent-injury, knee-history or exercise:<slug>",
    )
    reason: str


class ClearIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scope: str = Field(..., max_length=120)
    note: Text = Field(..., max_length=500, description="why: kept with the clearance")


@router.get("/coach/athletes/{athlete_id}/pauses", response=list[PauseOut])
def pauses(request: HttpRequest, athlete_id: int) -> list[dict[str, str]]:
    """What the safety gate holds for this athlete that a coach or physio may clear (an
    urgent answer is never among them: it waits for the runner's own new answers)."""
    athlete = subject(request, athlete_id)
    found = safety.clearable(athlete, timezone.localdate())
    return [{"scope": scope, "reason": why} for scope, why in found]


@router.post("/coach/athletes/{athlete_id}/clearances", response={201: PauseOut})
def clear(
    request: AuthenticatedHttpRequest, athlete_id: int, payload: ClearIn
) -> Status[dict[str, str]]:
    """Clear one pause of a linked athlete, with a note that is recorded (issue 14 §1)."""
    athlete = subject(request, athlete_id)
    if athlete == request.user:
        raise Http404
    try:
        safety.clear(athlete, request.user, payload.scope, payload.note)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return Status(201, {"scope": payload.scope, "reason": payload.note})


class RunnerSettingOut(Schema):
    key: str
    value: float = Field(..., description="in force for this runner")
    instance: float = Field(..., description="the instance's value (rules.toml or the brief's)")
    own: bool = Field(..., description="set for this runner by a linked coach or physio")
    min: float
    max: float
    rules: str = Field(..., description="the evidence brief's rule numbers")
    meaning: str


def _optional_fields() -> dict[str, Any]:
    return {
        key: (int | float | None, Field(None, description=f"{s.meaning} (rule {s.rules})"))
        for key, s in core_settings()
        if s.runner
    }


# One optional field per setting a coach may change; null goes back to the instance's value.
RunnerRulesIn = create_model(
    "RunnerRulesIn",
    __config__=ConfigDict(extra="forbid"),
    **_optional_fields(),
)


def _coached(request: HttpRequest, athlete_id: int) -> Any:
    athlete = subject(request, athlete_id)
    if athlete == request.user:  # a runner's numbers are set by the coach, not the runner
        raise Http404
    return athlete


@router.get("/coach/athletes/{athlete_id}/rules", response=list[RunnerSettingOut])
def runner_rules(request: HttpRequest, athlete_id: int) -> list[dict[str, Any]]:
    """The numbers a linked coach or physio may set for this athlete (issue 14 §6)."""
    return [s.as_dict() for s in rules.runner_view(_coached(request, athlete_id))]


@router.put("/coach/athletes/{athlete_id}/rules", response=list[RunnerSettingOut])
def set_runner_rules(
    request: HttpRequest,
    athlete_id: int,
    payload: RunnerRulesIn,  # type: ignore[valid-type]
) -> list[dict[str, Any]]:
    """Change some of them: keys left out stay, null goes back to the instance's value.
    Every explanation the athlete sees uses the numbers in force from then on."""
    athlete = _coached(request, athlete_id)
    values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
    try:
        services.set_rules(athlete, values)
    except RulesError as exc:
        raise ApiError(422, str(exc)) from None
    keys = ",".join(values)
    audit.record("runner-rules", request, request.user.pk, athlete=athlete.pk, keys=keys)
    return [s.as_dict() for s in rules.runner_view(athlete)]


def _note(note: CoachNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "athlete": _person(note.athlete),
        "author": _person(note.author),
        "text": note.text,
        "created_at": note.created_at,
    }


@router.get("/notes", response=NoteList)
def list_notes(request: HttpRequest, filters: Query[DayFilter]) -> dict[str, Any]:
    """Notes left for the runner by their coaches, newest first."""
    notes = CoachNote.objects.filter(athlete=subject(request, filters.athlete))
    notes = within(notes.select_related("athlete", "author"), filters, "created_at__date")
    count, items = paged(notes.order_by("-created_at", "-id"), filters)
    return {"count": count, "items": [_note(n) for n in items]}
