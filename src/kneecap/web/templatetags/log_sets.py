"""The sets of a logged exercise as one list, written in Python.

A history page shows 30 sessions of several exercises and sets each; rendering every set
through a dozen template conditions was most of the page's time. This writes the same markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def set_list(sets: Iterable[Any]) -> SafeString:
    items = "".join(f"<li>{_one(s)}</li>" for s in sets)
    return mark_safe(f'<ol class="sets">{items}</ol>')  # noqa: S308 (every part is escaped)


def _one(s: Any) -> str:
    parts = [f"{escape(s.side)}: " if s.side else ""]
    if s.reps is not None:
        parts.append(f"{s.reps} reps")
    if s.hold_s:
        parts.append(f" · {floatformat(s.hold_s)} s hold")
    if s.distance_m:
        parts.append(f"{floatformat(s.distance_m, 0)} m")
    if s.duration_s and s.reps is None:
        parts.append(f"{floatformat(s.duration_s, 0)} s")
    if s.load_kg:
        parts.append(f" · {floatformat(s.load_kg)} kg")
    return "".join(parts)
