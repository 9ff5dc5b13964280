"""Coach links: invite, accept, revoke. Every change takes effect at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet

from kneecap.db.accounts.models import CoachLink
from kneecap.db.accounts.users import User

Status = CoachLink.Status


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
