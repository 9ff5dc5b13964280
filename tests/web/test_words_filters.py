"""Values as a person writes them (issue 18.7)."""

from __future__ import annotations

import pytest

from kneecap.core import units
from kneecap.core.units import Units
from kneecap.web.templatetags.words import breakable, distance, duration, label, load, plural


@pytest.mark.parametrize(
    ("metres", "shown"),
    [(24000, "24 km"), (5200, "5.2 km"), (5000, "5 km"), (800, "800 m"), (21097.5, "21 km")],
)
def test_distances_in_km_with_sensible_precision(metres: float, shown: str) -> None:
    assert distance(metres) == shown


def test_distances_and_loads_in_the_units_in_force() -> None:
    with units.using(Units.IMPERIAL):
        assert distance(24000) == "14.9 mi" and distance(100) == "109 yd"
        assert load(10) == "22 lb"
    assert load(10) == "10 kg" and distance(None) == "" and load(None) == ""


def test_plurals_equipment_and_times() -> None:
    assert plural(4, "week") == "4 weeks" and plural(1, "session") == "1 session"
    assert plural(0, "set") == "0 sets"
    assert label("rope-and-partner") == "Rope and partner" and label("heel-block") == "Heel block"
    assert duration(2825) == "47:05" and duration(3750) == "1:02:30"
    assert str(breakable("a/<b>")) == "a/<wbr>&lt;b&gt;"
