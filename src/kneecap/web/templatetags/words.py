"""Values as a person would write them: names, counts and distances, never raw data."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
def km(metres: float | int | None) -> str:
    """A distance in kilometres with sensible precision: "24 km", "5.2 km", "800 m"."""
    if metres is None:
        return ""
    value = float(metres)
    if value < 1000:
        return f"{value:.0f} m"
    kilometres = value / 1000
    if kilometres >= 20 or round(kilometres, 1) == round(kilometres):
        return f"{kilometres:.0f} km"
    return f"{kilometres:.1f} km"


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
