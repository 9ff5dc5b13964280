"""The seed's own progressions, end to end on the shipped catalog, by logging sessions that
do exactly what kneecap says with no pain; and one painful exercise changes only itself."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from kneecap.core.catalog import Catalog, load_catalog
from kneecap.core.log import TrainingLog
from kneecap.core.progression import Action, Context, Decision, progress
from tests.core.progression.builders import climb, days, did, session


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _path(decisions: list[Decision], field: str) -> list[tuple[str, object]]:
    """(level, amount) at each decision, repeats dropped."""
    out: list[tuple[str, object]] = []
    for d in decisions:
        assert d.prescription is not None
        point = (d.level, getattr(d.prescription, field))
        if not out or out[-1] != point:
            out.append(point)
    return out


def _climb(catalog: Catalog, slug: str, count: int, every: int = 3) -> list[Decision]:
    decisions = climb(catalog.get(slug), count, every, lookup_fn=catalog.get)
    assert all(d.action in (Action.ADVANCE, Action.HOLD) for d in decisions)
    return decisions


def test_tibialis_raise_goes_3x10_to_3x25_then_single_leg(catalog: Catalog) -> None:
    path = _path(_climb(catalog, "tibialis-raise", 24), "reps")
    both = [reps for lvl, reps in path if lvl == "both-legs"]
    assert both == [12, 14, 16, 18, 20, 22, 24, 25]  # +2 a session, brief §7.2
    single = [reps for lvl, reps in path if lvl == "single-leg"]
    assert single[0] == 10 and single[-1] == 25
    assert ("light-load", 12) in path


def test_deep_squat_hold_goes_from_heels_up_to_flat(catalog: Catalog) -> None:
    path = _path(_climb(catalog, "deep-squat-hold", 26), "hold_s")
    levels = list(dict.fromkeys(lvl for lvl, _ in path))
    assert levels == ["heels-5cm", "heels-2-5cm", "flat"]
    assert ("heels-5cm", 60) in path and ("heels-2-5cm", 30) in path and ("flat", 30) in path


def test_knees_to_floor_goes_from_the_rail_to_free(catalog: Catalog) -> None:
    decisions = _climb(catalog, "knees-to-floor", 26)
    levels = list(dict.fromkeys(d.level for d in decisions))
    assert levels == ["rail", "light-touch", "no-rail"]
    last = decisions[-1].prescription
    assert last is not None and (last.sets, last.reps, last.hold_s) == (3, 8, 5)


def test_reverse_sled_load_grows_in_small_steps(catalog: Catalog) -> None:
    decisions = _climb(catalog, "reverse-sled", 45, every=4)
    loads = [lk for lvl, lk in _path(decisions, "load_kg") if lvl == "sled"]
    assert loads[0] == 20 and loads[-1] == 30
    for before, after in itertools.pairwise(loads):
        assert after is not None and before is not None
        assert 1.025 <= after / before <= 1.10  # rule 7
    assert decisions[-1].level == "heavy-sled"


def test_walking_backward_goes_flat_then_incline_then_backward_running(
    catalog: Catalog,
) -> None:
    decisions = _climb(catalog, "walking-backward", 70, every=4)
    levels = list(dict.fromkeys(d.level for d in decisions))
    assert levels == ["flat", "incline", "longer", "backward-run"]


def test_a_pain_of_6_changes_only_that_exercise_and_says_why(catalog: Catalog) -> None:
    slugs = {
        "tibialis-raise": "both-legs",
        "split-squat": "bodyweight",
        "glute-bridge": "both-legs",
    }

    def log(split_squat_pain: int) -> TrainingLog:
        sessions = [
            session(
                days(i),
                *(
                    did(
                        catalog.get(s),
                        lvl,
                        pain=split_squat_pain if s == "split-squat" and i == 3 else 0,
                    )
                    for s, lvl in slugs.items()
                ),
            )
            for i in (0, 3)
        ]
        return TrainingLog(tuple(sessions))

    ctx = Context(as_of=days(3) + timedelta(days=1))
    calm = {d.exercise: d for d in progress(catalog.get, log(0), ctx).exercises}
    sore = {d.exercise: d for d in progress(catalog.get, log(6), ctx).exercises}
    assert calm["split-squat"].action is Action.ADVANCE
    assert sore["split-squat"].action is Action.REGRESS
    assert any("pain 6/10 during" in line for line in sore["split-squat"].why)
    assert 16 in sore["split-squat"].rules
    for slug in ("tibialis-raise", "glute-bridge"):
        assert sore[slug] == calm[slug]
