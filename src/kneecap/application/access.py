"""The one place that decides whose data a request may see (healthchecks' access helper).

A runner sees their own data. A coach or physio sees an athlete's data only through an
active link, and writes only what a coach may write (pins, notes, assigned exercises).
Anyone else gets a 404, never a 403, so a stranger cannot even learn that an id exists.
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404, HttpRequest, QueryDict

from kneecap.db.accounts.models import CoachLink
from kneecap.db.accounts.users import User
from kneecap.db.columns import column


def is_coach_of(coach: User, athlete_id: int) -> bool:
    return CoachLink.objects.filter(
        coach=coach, athlete_id=athlete_id, status=CoachLink.Status.ACTIVE
    ).exists()


def athlete_for(
    user: User | AnonymousUser, athlete_id: int | None, *, coach_may: bool = True
) -> User:
    """The user whose data this request is about, or Http404.

    ``coach_may=False`` marks operations only the runner may do (settings, deleting logs).
    """
    if not user.is_authenticated or (athlete_id is not None and not _storable(athlete_id)):
        raise Http404
    if athlete_id is None or athlete_id == user.pk:
        return user
    if coach_may and is_coach_of(user, athlete_id):
        return get_user_model().objects.get(pk=athlete_id)
    raise Http404


def _storable(user_id: int) -> bool:
    """An id outside the user key's column range names nobody, and handing it to the database
    would raise (OverflowError on SQLite, out of range on PostgreSQL): a 500, not a 404."""
    pk = get_user_model()._meta.pk
    high = connection.ops.integer_field_range(pk.get_internal_type())[1]
    return user_id > 0 and (high is None or user_id <= high)


def athletes_of(coach: User) -> list[User]:
    """The users with an active link to ``coach`` (one live link per pair: no duplicates)."""
    users = get_user_model().objects.raw(_athletes_sql(), [coach.pk, CoachLink.Status.ACTIVE])
    return list(users)


@functools.cache
def _athletes_sql() -> str:
    """Written once: building it with the ORM took 0.9 ms of each dashboard view (of ~5)."""
    quote, users, links = connection.ops.quote_name, get_user_model()._meta, CoachLink._meta
    athlete, coach = (quote(column(links.get_field(f))) for f in ("athlete", "coach"))
    return (
        f"SELECT * FROM {quote(users.db_table)} WHERE {quote(column(users.pk))} IN "  # noqa: S608
        f"(SELECT {athlete} FROM {quote(links.db_table)} WHERE {coach} = %s AND "
        f"{quote(column(links.get_field('status')))} = %s) ORDER BY {quote('username')}"
    )


def requested_athlete(request: HttpRequest, data: QueryDict | None = None) -> User:
    """The athlete a page is about: ``?athlete=<id>`` (or that field of ``data``), else the
    caller; anything that is not a plain decimal id means the caller."""
    raw = str((request.GET if data is None else data).get("athlete", ""))
    return athlete_for(request.user, int(raw) if raw.isdecimal() else None)
