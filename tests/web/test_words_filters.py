"""Values as a person writes them (issue 18.7)."""

from __future__ import annotations

import pytest

from kneecap.web.templatetags.words import breakable, duration, km, label, plural


@pytest.mark.parametrize(
    ("metres", "shown"),
    [(24000, "24 km"), (5200, "5.2 km"), (5000, "5 km"), (800, "800 m"), (21097.5, "21 km")],
)
def test_distances_in_km_with_sensible_precision(metres: float, shown: str) -> None:
    assert km(metres) == shown


def test_plurals_equipment_and_times() -> None:
    assert plural(4, "week") == "4 weeks" and plural(1, "session") == "1 session"
    assert plural(0, "set") == "0 sets"
    assert label("rope-and-partner") == "Rope and partner" and label("heel-block") == "Heel block"
    assert duration(2825) == "47:05" and duration(3750) == "1:02:30"
    assert str(breakable("a/<b>")) == "a/<wbr>&lt;b&gt;"
