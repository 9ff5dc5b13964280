"""kneecap.core.units: metric or imperial, with a runner's precision, and back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecap.core import units
from kneecap.core.catalog import load_catalog
from kneecap.core.profile import ProfileError, Units, parse_profile
from kneecap.core.sessions import GuideItem, session_script
from kneecap.core.text import Kilograms, Metres, t

MET, IMP = Units.METRIC, Units.IMPERIAL


@pytest.mark.parametrize(
    ("metres", "metric", "imperial"),
    [
        (800, "800 m", "0.5 mi"),
        (300, "300 m", "328 yd"),
        (20, "20 m", "22 yd"),
        (5200, "5.2 km", "3.2 mi"),
        (5000, "5 km", "3.1 mi"),
        (24000, "24 km", "14.9 mi"),
        (32186.88, "32 km", "20 mi"),
        (42195, "42 km", "26 mi"),
        (1609.344, "1.6 km", "1 mi"),
        (402.336, "402 m", "0.3 mi"),
    ],
)
def test_distances_as_a_runner_writes_them(metres: float, metric: str, imperial: str) -> None:
    assert units.distance(metres, MET) == metric
    assert units.distance(metres, IMP) == imperial


def test_loads_in_kilograms_or_pounds() -> None:
    assert units.load(10, MET) == "10 kg"
    assert units.load(2.5, MET) == "2.5 kg"
    assert units.load(10, IMP) == "22 lb"
    assert units.load(2.5, IMP) == "5.5 lb"
    assert units.load(20.4117, IMP) == "45 lb"


def test_the_units_in_force_follow_the_context_and_reach_core_texts() -> None:
    text = t("{d} with {w}", d=Metres(5200), w=Kilograms(10))
    assert str(text) == "5.2 km with 10 kg"
    with units.using(IMP):
        assert units.active() is IMP
        assert str(text) == "3.2 mi with 22 lb"
        with units.using(lambda: MET):
            assert units.distance(800) == "800 m"
    assert units.active() is MET


@given(st.floats(0, 500_000, allow_nan=False), st.sampled_from(list(Units)))
def test_typed_values_round_trip_to_metres_and_kilograms(x: float, u: Units) -> None:
    assert units.long_metres(units.long_value(x, u), u) == pytest.approx(x)
    assert units.short_metres(units.short_value(x, u), u) == pytest.approx(x)
    assert units.load_kg(units.load_value(x, u), u) == pytest.approx(x)


@given(st.floats(1, 300_000, allow_nan=False), st.sampled_from(list(Units)))
def test_a_shown_distance_read_back_is_within_its_precision(metres: float, u: Units) -> None:
    number, unit = units.distance(metres, u).split()
    per = {"m": 1.0, "km": 1000.0, "yd": units.METRES_PER_YARD, "mi": units.METRES_PER_MILE}
    step = 1.0 if "." not in number else 0.1
    assert abs(float(number) * per[unit] - metres) <= step / 2 * per[unit] + 1e-6


@given(st.floats(0.5, 500, allow_nan=False), st.sampled_from(list(Units)))
def test_a_shown_load_read_back_is_within_its_precision(kg: float, u: Units) -> None:
    number, unit = units.load(kg, u).split()
    assert unit == units.load_unit(u)
    assert units.load_kg(float(number), u) == pytest.approx(kg, abs=0.5)


def test_the_profile_holds_the_units_metric_unless_said() -> None:
    start = {"start_date": date(2026, 3, 2).isoformat()}
    assert parse_profile(start).units is MET
    assert parse_profile({**start, "units": "imperial"}).units is IMP
    with pytest.raises(ProfileError, match=r"^units: 'miles' is not one of metric\|imperial"):
        parse_profile({**start, "units": "miles"})


def test_the_player_shows_and_asks_a_distance_in_the_units_in_force() -> None:
    walk = load_catalog().get("walking-backward")
    dose = walk.level("flat").prescription  # 5 × 100 m

    def work() -> Any:
        script = session_script([GuideItem.of(walk, dose)])
        return next(e for e in script.events if e.records == "distance_m")

    metric = work()
    assert (metric.unit, metric.target, metric.per_unit) == ("m", 100, 1)
    with units.using(IMP):
        imperial = work()
    assert (imperial.unit, imperial.target) == ("yd", 109.4)
    assert imperial.label.startswith("Cover 109 yd")
    assert imperial.target * imperial.per_unit == pytest.approx(100, abs=0.05)
