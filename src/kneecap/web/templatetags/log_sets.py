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

from kneecap.core.units import Units, active, load, short_unit, short_value

register = template.Library()


@register.filter
def set_list(sets: Iterable[Any]) -> SafeString:
    items = "".join(f"<li>{_one(s)}</li>" for s in sets)
    return mark_safe(f'<ol class="sets">{items}</ol>')  # noqa: S308 (every part is escaped)


def _one(s: Any) -> str:
    return _written(s.side, s.reps, s.hold_s, s.distance_m, s.duration_s, s.load_kg, active())


@functools.lru_cache(maxsize=4096)  # sets repeat: a history page holds a few distinct ones
def _written(
    side: str | None,
    reps: int | None,
    hold_s: float | None,
    distance_m: float | None,
    duration_s: float | None,
    load_kg: float | None,
    units: Units,
) -> str:
    parts = [f"{escape(side)}: " if side else ""]
    if reps is not None:
        parts.append(f"{reps} reps")
    if hold_s:
        parts.append(f" · {number(hold_s)} s hold")
    if distance_m:
        parts.append(f"{whole(short_value(distance_m, units))} {short_unit(units)}")
    if duration_s and reps is None:
        parts.append(f"{whole(duration_s)} s")
    if load_kg:
        parts.append(f" · {load(load_kg, units)}")
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
