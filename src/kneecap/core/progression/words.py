"""Plain words for dates, doses and pain in the engine's explanations."""

from __future__ import annotations

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


def pain(value: int) -> str:
    return f"{value}/10"
