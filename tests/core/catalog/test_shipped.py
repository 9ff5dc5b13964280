"""The shipped catalog: every file validates, and the seed article's numbers are encoded."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneecap.core.catalog import (
    Catalog,
    DoseKind,
    Equipment,
    Exercise,
    Origin,
    Prescription,
    Stress,
    load_catalog,
    load_catalog_dir,
)

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "src" / "kneecap" / "data" / "exercises"
STATIC = REPO / "src" / "kneecap" / "web" / "static"
SEED = ("walking-backward", "tibialis-raise", "reverse-sled", "stairs")
SEED += ("split-squat", "knees-to-floor", "deep-squat-hold")
SEED_SOURCE = "Seed article: 7 Essential Knee Mobility Exercises for Runners (Noel Prescott)"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def p(catalog: Catalog, slug: str, level: str) -> Prescription:
    return catalog.get(slug).level(level).prescription


def top(catalog: Catalog, slug: str, level: str) -> Prescription:
    lvl = catalog.get(slug).level(level)
    return lvl.target or lvl.prescription


@pytest.mark.parametrize("path", sorted(DATA.glob("*.toml")), ids=lambda f: f.name)
def test_every_shipped_file_validates_on_its_own(path: Path, tmp_path: Path) -> None:
    (tmp_path / path.name).write_bytes(path.read_bytes())
    (exercise,) = load_catalog_dir(tmp_path)
    assert exercise.slug == path.stem


def test_the_catalog_lists_the_seven_seed_drills_in_order_then_the_hip_module(
    catalog: Catalog,
) -> None:
    assert catalog.slugs()[:7] == SEED
    hip = [ex for ex in catalog if ex.module == "hip"]
    assert {ex.slug for ex in hip} == {
        "side-lying-hip-abduction",
        "glute-bridge",
        "lateral-band-walk",
    }
    assert all(ex.origin is Origin.KNEECAP for ex in hip)
    assert all(ex.origin is Origin.SEED for ex in catalog if ex.slug in SEED)


def test_the_loaded_catalog_is_cached(catalog: Catalog) -> None:
    assert load_catalog() is catalog


def test_seed_drills_cite_the_article_and_kneecap_drills_do_not(catalog: Catalog) -> None:
    for ex in catalog:
        assert (SEED_SOURCE in ex.sources) is (ex.origin is Origin.SEED), ex.slug
        assert ex.evidence_grade[0] in "ABCD"


def test_every_shipped_exercise_has_its_own_picture_with_a_title(catalog: Catalog) -> None:
    for ex in catalog:
        assert ex.picture == f"kneecap/exercises/{ex.slug}.svg"
        svg = (STATIC / ex.picture).read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg") and "<title" in svg and 'role="img"' in svg
        assert len(svg) < 12_000, f"{ex.picture} should stay a small drawing"


def test_every_level_but_the_first_regresses_to_the_one_before(catalog: Catalog) -> None:
    for ex in catalog:
        slugs = [lvl.slug for lvl in ex.levels]
        assert [lvl.regression for lvl in ex.levels] == [None, *slugs[:-1]], ex.slug
        assert all(lvl.advance_when.endswith(".") for lvl in ex.levels)


def test_tibialis_raise_has_the_seed_dose_and_ladder(catalog: Catalog) -> None:
    start = p(catalog, "tibialis-raise", "both-legs")
    assert (start.sets, start.reps, start.hold_s, start.rest_s) == (3, 10, 3, 60)
    assert top(catalog, "tibialis-raise", "both-legs").reps == 25
    assert catalog.get("tibialis-raise").level("both-legs").step.reps == 2  # brief §7.2
    single = p(catalog, "tibialis-raise", "single-leg")
    assert single.per_side and single.reps == 10
    assert Equipment.WALL in catalog.get("tibialis-raise").equipment
    assert catalog.get("tibialis-raise").level_index("light-load") == 2


def test_walking_backward_goes_flat_incline_longer_then_running(catalog: Catalog) -> None:
    ex = catalog.get("walking-backward")
    assert [lvl.slug for lvl in ex.levels] == ["flat", "incline", "longer", "backward-run"]
    flat = p(catalog, "walking-backward", "flat")
    assert (flat.sets, flat.distance_m) == (5, 100)
    assert Equipment.INCLINE in ex.level_equipment(ex.level("incline"))
    stresses = [ex.level_stress(lvl) for lvl in ex.levels]
    assert stresses[0] is Stress.LOW and stresses[1] is Stress.MODERATE
    assert stresses[-1] is Stress.HIGH
    assert any("surroundings" in text for text in ex.cautions + ex.cues)


def test_reverse_sled_starts_with_a_partner_then_a_20_kg_sled(catalog: Catalog) -> None:
    ex = catalog.get("reverse-sled")
    rope = p(catalog, "reverse-sled", "partner-rope")
    assert (rope.sets, rope.distance_m) == (6, 100)
    sled = p(catalog, "reverse-sled", "sled")
    assert (sled.sets, sled.distance_m, sled.load_kg) == (3, 200, 20)
    assert ex.level("sled").step.load_pct == 5
    assert Equipment.ROPE_AND_PARTNER in ex.level_equipment(ex.level("partner-rope"))
    assert ex.level_stress(ex.level("heavy-sled")) is Stress.HIGH


def test_stairs_start_easy_and_low_stress(catalog: Catalog) -> None:
    ex = catalog.get("stairs")
    assert ex.dose_kind is DoseKind.FLIGHTS
    assert p(catalog, "stairs", "easy").flights == 2
    assert ex.level_stress(ex.levels[0]) is Stress.LOW


def test_split_squat_is_ten_per_leg_bodyweight_then_loaded(catalog: Catalog) -> None:
    ex = catalog.get("split-squat")
    body = p(catalog, "split-squat", "bodyweight")
    assert body.reps == 10 and body.per_side and body.load_kg is None
    assert top(catalog, "split-squat", "bodyweight").reps == 15
    loaded = ex.level("loaded")
    assert loaded.prescription.load_kg and Equipment.DUMBBELLS in loaded.equipment
    assert ex.level_stress(ex.level("bodyweight")) is Stress.MODERATE
    assert ex.level_stress(loaded) is Stress.HIGH
    assert ex.levels[-1].prescription.sets > loaded.prescription.sets
    assert all(90 <= (lvl.prescription.rest_s or 0) <= 120 for lvl in ex.levels)


def test_knees_to_floor_goes_from_rail_to_no_rail_with_short_holds(catalog: Catalog) -> None:
    ex = catalog.get("knees-to-floor")
    assert Equipment.RAIL in ex.level_equipment(ex.levels[0])
    assert Equipment.RAIL not in ex.level_equipment(ex.levels[-1])
    for lvl in ex.levels:
        assert 3 <= (lvl.prescription.hold_s or 0) <= (lvl.target or lvl.prescription).hold_s <= 5
        assert ex.level_stress(lvl) is Stress.HIGH
    text = " ".join(ex.contraindications).lower()
    assert "kneeling" in text and "swelling" in text and "12 months" in text


def test_deep_squat_hold_lowers_the_heels_and_builds_to_a_minute(catalog: Catalog) -> None:
    ex = catalog.get("deep-squat-hold")
    assert [lvl.slug for lvl in ex.levels] == ["heels-5cm", "heels-2-5cm", "flat"]
    assert ex.dose_kind is DoseKind.HOLD
    assert p(catalog, "deep-squat-hold", "heels-5cm").hold_s == 20
    for lvl in ex.levels:
        assert (lvl.target or lvl.prescription).hold_s == 60
        assert lvl.step.hold_s == 5  # rule 10
    assert [lvl.prescription.hold_s for lvl in ex.levels[1:]] == [30, 30]  # restart at 30 s
    assert Equipment.HEEL_BLOCK not in ex.level_equipment(ex.levels[-1])
    assert ex.level_stress(ex.levels[0]) is Stress.LOW
    assert any("cave" in cue for cue in ex.cues)


def test_hip_module_exercises_are_added_by_kneecap(catalog: Catalog) -> None:
    bridge: Exercise = catalog.get("glute-bridge")
    assert [lvl.slug for lvl in bridge.levels] == ["both-legs", "single-leg"]
    assert bridge.level("single-leg").prescription.per_side
    assert all(SEED_SOURCE not in ex.sources for ex in catalog.filter(module="hip"))


def test_filters_by_equipment_and_stress(catalog: Catalog) -> None:
    assert catalog.filter(equipment=["sled"]).slugs() == ("reverse-sled",)
    assert "glute-bridge" in catalog.filter(equipment=[Equipment.NONE])
    assert "knees-to-floor" not in catalog.filter(equipment=["none"])
    high = catalog.filter(stress="high").slugs()
    assert "knees-to-floor" in high and "tibialis-raise" not in high
    both = catalog.filter(equipment=["stairs", "wall"], stress=Stress.LOW).slugs()
    assert both == ("tibialis-raise", "stairs")
    assert len(catalog.filter()) == len(catalog)


def test_an_unknown_slug_is_a_key_error_naming_it(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="nope"):
        catalog.get("nope")
