"""The plan's warnings: each said once, with the weeks it concerns."""

from __future__ import annotations

from datetime import date

_MAX_WEEKS_LISTED = 4


class Notes:
    __slots__ = ("_texts",)

    def __init__(self) -> None:
        self._texts: dict[str, list[date]] = {}

    def add(self, text: str) -> None:
        self._texts.setdefault(text, [])

    def week(self, text: str, start: date) -> None:
        weeks = self._texts.setdefault(text, [])
        if start not in weeks:
            weeks.append(start)

    def render(self) -> tuple[str, ...]:
        return tuple(_render(text, weeks) for text, weeks in self._texts.items())


def _render(text: str, weeks: list[date]) -> str:
    if not weeks:
        return text
    listed = ", ".join(d.isoformat() for d in weeks[:_MAX_WEEKS_LISTED])
    more = len(weeks) - _MAX_WEEKS_LISTED
    tail = f" and {more} more" if more > 0 else ""
    label = "week of" if len(weeks) == 1 else "weeks of"
    return f"{text} ({label} {listed}{tail})."
