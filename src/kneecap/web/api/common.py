"""Pieces shared by the API routers: who the request is about, pages of results."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from kneecap.application.access import athlete_for
from kneecap.db.accounts.users import User

MAX_PAGE = 500
MAX_OFFSET = 10**9  # far past any real list; larger offsets overflow the database's integer


class Page(Schema):
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DayFilter(Page):
    """A page of a dated list, optionally of a linked athlete's."""

    since: date | None = None
    until: date | None = None
    athlete: int | None = None


def subject(request: HttpRequest, athlete: int | None, *, coach_may: bool = True) -> User:
    """The user the request acts on: the caller, or a linked athlete (else 404)."""
    return athlete_for(request.user, athlete, coach_may=coach_may)


def paged(queryset: Any, page: Page) -> tuple[int, Any]:
    return queryset.count(), queryset[page.offset : page.offset + page.limit]


def within(queryset: Any, filters: DayFilter, field: str) -> Any:
    """Rows whose ``field`` (a date, or a datetime's date) lies within since…until."""
    if filters.since:
        queryset = queryset.filter(**{f"{field}__gte": filters.since})
    if filters.until:
        queryset = queryset.filter(**{f"{field}__lte": filters.until})
    return queryset
