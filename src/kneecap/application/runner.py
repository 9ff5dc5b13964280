"""The runner's profile row and the days and instants the use cases count from."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def onboarded(user: User) -> RunnerProfile | None:
    """The profile of an onboarded runner, else None."""
    row = RunnerProfile.objects.filter(user_id=user.pk).first()
    return row if row is not None and row.onboarded_at is not None else None


def program_start(stored: RunnerProfile) -> date:
    """The Monday of the week the runner started: deload weeks count from it (rule 29)."""
    assert stored.onboarded_at is not None  # noqa: S101 - onboarded() gives only these
    return monday(timezone.localtime(stored.onboarded_at).date())


def local_midnight(day: date, days_later: int = 0) -> datetime:
    """The first instant of a local day: ``start >= local_midnight(d)`` is ``start__date >= d``
    but walks the (owner, start) index instead of converting every row to a date."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=days_later), time.min))
