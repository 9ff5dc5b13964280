"""The sets of a logged exercise as one list, written in Python.

A history page shows 30 sessions of several exercises and sets each; rendering every set
through a dozen template conditions was most of the page's time. This writes the same markup.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def set_list(sets: Iterable[Any]) -> SafeString:
    items = "".join(f"<li>{_one(s)}</li>" for s in sets)
    return mark_safe(f'<ol class="sets">{items}</ol>')  # noqa: S308 (every part is escaped)


@functools.lru_cache(maxsize=4096)  # sets repeat: a history page holds a few distinct ones
def _one(s: Any) -> str:
    parts = [f"{escape(s.side)}: " if s.side else ""]
    if s.reps is not None:
        parts.append(f"{s.reps} reps")
    if s.hold_s:
        parts.append(f" · {number(s.hold_s)} s hold")
    if s.distance_m:
        parts.append(f"{whole(s.distance_m)} m")
    if s.duration_s and s.reps is None:
        parts.append(f"{whole(s.duration_s)} s")
    if s.load_kg:
        parts.append(f" · {number(s.load_kg)} kg")
    return "".join(parts)


def number(x: float) -> str:
    """As ``floatformat`` with no argument: one decimal unless the value is whole (a page
    writes hundreds of these; Django's filter costs 50 µs each)."""
    if x == int(x):
        return str(int(x))
    return str(Decimal(repr(x)).quantize(_TENTH, ROUND_HALF_UP))


def whole(x: float) -> str:
    """As ``floatformat:0``: rounded half away from zero."""
    return str(Decimal(repr(x)).quantize(_ONE, ROUND_HALF_UP))


_TENTH, _ONE = Decimal("0.1"), Decimal("1")
