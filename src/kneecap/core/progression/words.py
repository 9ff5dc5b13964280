"""Plain words for dates, doses and pain in the engine's explanations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kneecap.core.catalog.model import Prescription

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day(d: date) -> str:
    """ "Tuesday 3 March", the same in every locale."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"


def dose(p: Prescription) -> str:
    """The dose without the rest: "3 × 20 s hold", "3 × 12 per side, 2 kg"."""
    return p.with_changes(rest_s=None).describe()


def days(ds: Iterable[date]) -> str:
    """ "Monday 2 March and Thursday 5 March"; three or more with commas."""
    named = [day(d) for d in ds]
    return " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)


def every(n: int) -> str:
    """How often something every ``n`` days happens: "once a week", "once every 5 days"."""
    return "once a week" if n == 7 else "every day" if n == 1 else f"once every {n} days"


def pain(value: int) -> str:
    return f"{value}/10"
