"""Coach links (invite, accept, revoke) and the numbers a linked coach or physiotherapist
sets for one runner. Every change takes effect at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet

from kneecap.application import tasks
from kneecap.application.rules import instance_rules
from kneecap.core.rules import Rules, RulesError, with_runner_overrides
from kneecap.db.accounts.models import CoachLink, RunnerProfile
from kneecap.db.accounts.users import User

Status = CoachLink.Status

# Who said at sign-up that they coach: a group, so the choice needs no column of its own.
COACHES = "coaches"


def sign_up_as_coach(user: User) -> None:
    group, _ = Group.objects.get_or_create(name=COACHES)
    user.groups.add(group)


def is_coach(user: User) -> bool:
    """Said so at sign-up, or coaches someone (or is invited to)."""
    live = CoachLink.objects.filter(coach=user).exclude(status=Status.REVOKED)
    return live.exists() or user.groups.filter(name=COACHES).exists()


@dataclass(frozen=True, slots=True)
class Standing:
    """What Home shows of a person's links, from one query."""

    invitations: tuple[CoachLink, ...]  # sent to them, not answered yet
    coached: bool  # someone coaches them: their notes may be waiting
    coaching: bool  # they coach someone, or are invited to


def standing(user: User) -> Standing:
    links = list(links_of(user))
    return Standing(
        invitations=tuple(
            x for x in links if x.status == Status.PENDING and x.invited_by_id != user.pk
        ),
        coached=any(x.athlete_id == user.pk and x.status == Status.ACTIVE for x in links),
        coaching=any(x.coach_id == user.pk for x in links),
    )


def invitations_for(user: User) -> QuerySet[CoachLink]:
    """Invitations this person has not answered yet (the other side sent them)."""
    return (
        CoachLink.objects.filter(Q(athlete=user) | Q(coach=user), status=Status.PENDING)
        .exclude(invited_by=user)
        .select_related("athlete", "coach", "invited_by")
        .order_by("-created_at")
    )


def invite(inviter: User, username: str, *, as_coach: bool, role: str = "coach") -> bool:
    """``inviter`` asks ``username`` to coach them (or, ``as_coach``, to be coached).

    Returns whether an invitation now exists; the caller says the same either way, so the
    answer never reveals whether an account exists.
    """
    other = get_user_model().objects.filter(username=username, is_active=True).first()
    if other is None or other.pk == inviter.pk:
        return False
    athlete, coach = (other, inviter) if as_coach else (inviter, other)
    with transaction.atomic():
        live = CoachLink.objects.select_for_update().filter(
            athlete=athlete, coach=coach, status__in=[Status.PENDING, Status.ACTIVE]
        )
        if live.exists():
            return True
        CoachLink.objects.create(
            athlete=athlete, coach=coach, invited_by=inviter, role=role, status=Status.PENDING
        )
    return True


def links_of(user: User) -> QuerySet[CoachLink]:
    return (
        CoachLink.objects.filter(Q(athlete=user) | Q(coach=user))
        .exclude(status=Status.REVOKED)
        .select_related("athlete", "coach", "invited_by")
        .order_by("status", "-created_at")
    )


def accept(user: User, link_id: int) -> CoachLink:
    """Only the invited side accepts; anything else is not found."""
    with transaction.atomic():
        link = (
            CoachLink.objects.select_for_update()
            .filter(pk=link_id, status=Status.PENDING)
            .filter(Q(athlete=user) | Q(coach=user))
            .exclude(invited_by=user)
            .get()
        )
        link.status = Status.ACTIVE
        link.save(update_fields=["status", "changed_at"])
    return link


def revoke(user: User, link_id: int) -> CoachLink:
    """Either side ends a link (or declines an invitation) at any time."""
    with transaction.atomic():
        link = (
            CoachLink.objects.select_for_update()
            .filter(pk=link_id)
            .filter(Q(athlete=user) | Q(coach=user))
            .exclude(status=Status.REVOKED)
            .get()
        )
        link.status = Status.REVOKED
        link.save(update_fields=["status", "changed_at"])
    return link


def set_rules(athlete: User, values: Mapping[str, Any]) -> Rules:
    """Change the runner's own numbers (the caller checked the link): a key given ``None``
    goes back to the instance's value. Raises RulesError naming the key."""
    with transaction.atomic():
        profile = RunnerProfile.objects.select_for_update().filter(user=athlete).first()
        if profile is None:
            raise RulesError("", "the runner has not finished onboarding yet")
        merged = {**profile.rules, **values}
        own = {k: v for k, v in merged.items() if v is not None}
        rules = with_runner_overrides(instance_rules(), own)
        profile.rules = own
        profile.save(update_fields=["rules", "updated_at"])
        tasks.written(athlete)
    return rules
