"""Values as a person would write them: names, counts and distances, never raw data."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kneecap.core import units

register = template.Library()

# Plurals English does not make with an "s".
_IRREGULAR = {"person": "people", "activity": "activities", "series": "series"}


@register.filter
def plural(count: int | float | None, noun: str) -> str:
    """``4|plural:"week"`` is "4 weeks", ``1|plural:"session"`` is "1 session"."""
    if count is None:
        return ""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    if count == 1:
        return f"{shown} {noun}"
    return f"{shown} {_IRREGULAR.get(noun, noun + 's')}"


@register.filter
def label(slug: str | None) -> str:
    """A slug as words: "rope-and-partner" is "Rope and partner"."""
    if not slug:
        return ""
    words = str(slug).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@register.filter
def distance(metres: float | int | None) -> str:
    """A distance in the viewer's units with sensible precision: "24 km", "5.2 km",
    "800 m"; "15 mi", "3.2 mi", "220 yd" (``kneecap.core.units``)."""
    return "" if metres is None else units.distance(float(metres))


@register.filter
def kilometres(km: float | int | None) -> str:
    """A distance kept in kilometres (a race's), in the viewer's units."""
    return "" if km is None else units.distance(float(km) * 1000)


@register.filter
def load(kg: float | int | None) -> str:
    """A load in the viewer's units: "10 kg" or "22 lb"."""
    return "" if kg is None else units.load(float(kg))


@register.filter
def amount(value: float | int, key: str) -> str:
    """A dose's amount by its key: ``4|amount:"load_kg"`` is "4 kg" (or "8.8 lb")."""
    if key == "distance_m":
        return units.distance(float(value))
    if key == "load_kg":
        return units.load(float(value))
    return f"{key} {value}"


@register.simple_tag
def distance_unit() -> str:
    """The unit of a week's distance for the viewer: "km" or "mi"."""
    return units.long_unit()


@register.filter
def duration(seconds: float | int | None) -> str:
    """A time as a runner writes it: "47:05", "1:02:30"."""
    if seconds is None:
        return ""
    whole = round(float(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def breakable(text: str) -> SafeString:
    """A long file name that may wrap after each "/", so it never widens a phone's page."""
    return mark_safe("/<wbr>".join(escape(part) for part in str(text).split("/")))  # noqa: S308 - each part is escaped
