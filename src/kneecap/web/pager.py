"""The query string a list's page links carry, so that paging keeps the athlete and filters."""

from __future__ import annotations

from typing import Any

from django.utils.http import urlencode

from kneecap.db.accounts.users import User


def pager_query(athlete: User | None, filters: dict[str, Any]) -> str:
    """``athlete=…&sport=…&`` (empty when there is nothing to keep), to put before ``page=``.

    Built from the cleaned filters, not the raw query string: the rendered list is kept under
    a key made of those, and stray parameters must not end up in another request's links.
    """
    kept = {"athlete": athlete.pk} if athlete is not None else {}
    kept |= {name: value for name, value in sorted(filters.items()) if value not in (None, "")}
    return urlencode(kept) + "&" if kept else ""
