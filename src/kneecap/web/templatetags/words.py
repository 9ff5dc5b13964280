"""Values as a person would write them: names, counts and distances, never raw data."""

from __future__ import annotations

from django import template

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
