"""Metric or imperial: distances and loads as the runner reads and writes them.

kneecap keeps every distance in metres and every load in kilograms (the database, the JSON
of the API and of ``--json``). Only what a person reads or types is in their units:

- metric: "800 m" below a kilometre, then "5.2 km", whole kilometres from 20 km ("24 km");
- imperial: yards below a quarter mile ("440 yd" is a quarter mile, as a track runner says
  it), then miles the same way ("0.5 mi", "3.2 mi", "15 mi" from 20 mi); loads in pounds
  with one decimal where it is needed ("22 lb", "5.5 lb").

The units in force follow a context variable, as a time zone does in Django: the web app sets
the viewer's for each request, the command line the account's; without one they are metric.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

METRES_PER_MILE = 1609.344
METRES_PER_YARD = 0.9144
KG_PER_POUND = 0.45359237
QUARTER_MILE_YD = 440


class Units(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"


def _number(x: float) -> str:
    """Whole when it rounds to whole at one decimal, else one decimal (halves up)."""
    tenths = math.floor(x * 10 + 0.5)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def distance(metres: float, units: Units | None = None) -> str:
    """A distance with a runner's precision in ``units`` (the ones in force by default)."""
    units = units or active()
    if units is Units.IMPERIAL:
        yards = metres / METRES_PER_YARD
        if round(yards) < QUARTER_MILE_YD:
            return f"{round(yards)} yd"
        miles = metres / METRES_PER_MILE
        return f"{round(miles)} mi" if miles >= 20 else f"{_number(miles)} mi"
    if round(metres) < 1000:
        return f"{round(metres)} m"
    km = metres / 1000
    return f"{round(km)} km" if km >= 20 else f"{_number(km)} km"


def load(kg: float, units: Units | None = None) -> str:
    """A load in kilograms or pounds, one decimal where it is needed."""
    units = units or active()
    return f"{_number(load_value(kg, units))} {load_unit(units)}"


def long_unit(units: Units | None = None) -> str:
    """The unit of a week's or a run's distance: "km" or "mi"."""
    return "mi" if (units or active()) is Units.IMPERIAL else "km"


def long_value(metres: float, units: Units | None = None) -> float:
    """Metres as kilometres or miles (for charts, tables and the run form)."""
    per = METRES_PER_MILE if (units or active()) is Units.IMPERIAL else 1000.0
    return metres / per


def long_metres(value: float, units: Units | None = None) -> float:
    """Kilometres or miles typed by the runner, as metres."""
    per = METRES_PER_MILE if (units or active()) is Units.IMPERIAL else 1000.0
    return value * per


def short_unit(units: Units | None = None) -> str:
    """The unit of a set's distance: "m" or "yd"."""
    return "yd" if (units or active()) is Units.IMPERIAL else "m"


def short_value(metres: float, units: Units | None = None) -> float:
    return metres / METRES_PER_YARD if (units or active()) is Units.IMPERIAL else metres


def short_metres(value: float, units: Units | None = None) -> float:
    return value * METRES_PER_YARD if (units or active()) is Units.IMPERIAL else value


def load_unit(units: Units | None = None) -> str:
    return "lb" if (units or active()) is Units.IMPERIAL else "kg"


def load_value(kg: float, units: Units | None = None) -> float:
    return kg / KG_PER_POUND if (units or active()) is Units.IMPERIAL else kg


def load_kg(value: float, units: Units | None = None) -> float:
    """Kilograms or pounds typed by the runner, as kilograms."""
    return value * KG_PER_POUND if (units or active()) is Units.IMPERIAL else value


# A function rather than a value: the web app resolves the viewer's units only when a page
# shows a distance or a load (and then with the query it makes anyway, see web/viewer.py).
_active: ContextVar[Callable[[], Units]] = ContextVar("kneecap_units", default=lambda: Units.METRIC)


def active() -> Units:
    """The units in force."""
    return _active.get()()


def activate(units: Units) -> None:
    """Show ``units`` from now on in this context: for a process that speaks for one
    account (the command line's human output)."""
    _active.set(lambda: units)


@contextmanager
def using(units: Units | Callable[[], Units]) -> Iterator[None]:
    """Show distances and loads in ``units`` (or those a function finds) within the block."""
    token = _active.set(units if callable(units) else (lambda: units))
    try:
        yield
    finally:
        _active.reset(token)
