"""A stored field's column, for the few hot paths that write their SQL themselves."""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObjectRel


def column(field: Field[Any, Any] | ForeignObjectRel) -> str:
    """``field``'s column name; a reverse relation or a field without a column has none."""
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{field!r} has no column of its own")
    return field.column
