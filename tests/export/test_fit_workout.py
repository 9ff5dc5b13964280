"""FIT workouts decode with Garmin's own SDK (and fitdecode) into the steps planned, each
exercise step with the FIT profile's exercise category and name a watch understands."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import date
from typing import Any

import fitdecode
from garmin_fit_sdk import Decoder, Stream
from garmin_fit_sdk.profile import Profile
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.catalog import Catalog, Exercise, Prescription, load_catalog, parse_exercise
from kneecap.core.planning import Plan, PlanItem, Session
from kneecap.core.screening import Leg
from kneecap.export import session_to_fit_workout
from kneecap.ingest.crc import crc_slow
from tests.export.builders import item, session_of

SDK_TYPES: dict[str, dict[int, str]] = Profile["types"]


def decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Garmin's decoder with every check on; fails the test on any error it reports."""
    assert Decoder(Stream.from_byte_array(bytearray(data))).is_fit()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


def steps_of(data: bytes) -> list[dict[str, Any]]:
    messages = decode(data)
    (workout,) = messages["workout_mesgs"]
    steps = messages["workout_step_mesgs"]
    assert workout["num_valid_steps"] == len(steps)
    assert [s["message_index"] for s in steps] == list(range(len(steps)))
    return steps


def fitdecode_steps(data: bytes) -> list[dict[str, Any]]:
    """The same steps read by fitdecode, with both CRCs checked."""
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        frames = [f for f in reader if isinstance(f, fitdecode.FitDataMessage)]
    steps = [f for f in frames if f.name == "workout_step"]
    return [{fd.name: fd.value for fd in f.fields if fd.value is not None} for f in steps]


def exercise_of(step: dict[str, Any]) -> tuple[str | None, str | None]:
    """The step's category and exercise name, the number read back through the profile."""
    category = step.get("exercise_category")
    number = step.get("exercise_name")
    name = SDK_TYPES[f"{category}_exercise_name"][number] if number is not None else None
    return category, name


def fit_session(catalog: Catalog, *items: PlanItem) -> list[dict[str, Any]]:
    return steps_of(session_to_fit_workout(session_of(*items), catalog, name="Test"))


def test_it_writes_a_strength_workout_file(catalog: Catalog) -> None:
    data = session_to_fit_workout(
        session_of(item(catalog, "tibialis-raise", "both-legs")), catalog, name="Knee strength"
    )
    messages = decode(data)
    (file_id,) = messages["file_id_mesgs"]
    (workout,) = messages["workout_mesgs"]
    assert file_id["type"] == "workout"
    assert workout["wkt_name"] == "Knee strength"
    assert (workout["sport"], workout["sub_sport"]) == ("training", "strength_training")


def test_the_tibialis_raise_is_ten_reps_with_holds_then_a_minute_of_rest_three_times(
    catalog: Catalog,
) -> None:
    work, rest, repeat = fit_session(catalog, item(catalog, "tibialis-raise", "both-legs"))
    assert work["wkt_step_name"] == "Tibialis raise"
    assert (work["duration_type"], work["duration_reps"]) == ("reps", 10)
    assert work["intensity"] == "active"
    assert work["notes"] == "Tibialis raise (Both feet): hold 3 s on every rep"
    assert (rest["duration_type"], rest["duration_time"], rest["intensity"]) == ("time", 60, "rest")
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (0, 3)


def test_an_exercise_without_an_exact_fit_name_carries_the_nearest_category_only(
    catalog: Catalog,
) -> None:
    work, _rest, _repeat = fit_session(catalog, item(catalog, "tibialis-raise", "both-legs"))
    assert exercise_of(work) == ("calf_raise", None)
    assert "exercise_name" not in work
    assert work["wkt_step_name"] == "Tibialis raise" and work["notes"].startswith("Tibialis raise")


def test_a_glute_bridge_is_garmins_hip_raise_and_one_leg_its_single_leg_hip_raise(
    catalog: Catalog,
) -> None:
    both, *_ = fit_session(catalog, item(catalog, "glute-bridge", "both-legs"))
    left, right, *_ = fit_session(catalog, item(catalog, "glute-bridge", "single-leg"))
    assert exercise_of(both) == ("hip_raise", "hip_raise")
    assert exercise_of(left) == exercise_of(right) == ("hip_raise", "single_leg_hip_raise")
    assert (both["exercise_category"], both["exercise_name"]) == ("hip_raise", 11)


def test_a_distance_drill_waits_for_the_lap_button_and_names_the_distance(
    catalog: Catalog,
) -> None:
    work, rest, repeat = fit_session(catalog, item(catalog, "walking-backward", "flat"))
    assert work["duration_type"] == "open"
    assert "100 m" in work["notes"]
    assert exercise_of(work) == ("run", "walk")
    assert rest["duration_time"] == 60
    assert repeat["repeat_steps"] == 5


def test_per_side_work_has_a_step_for_each_leg_inside_the_repeat(catalog: Catalog) -> None:
    left, right, rest, repeat = fit_session(catalog, item(catalog, "split-squat", "bodyweight"))
    assert (left["wkt_step_name"], right["wkt_step_name"]) == (
        "Split squat – left",
        "Split squat – right",
    )
    assert left["duration_reps"] == right["duration_reps"] == 10
    assert exercise_of(left) == exercise_of(right) == ("lunge", "lunge")
    assert rest["duration_time"] == 90
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (0, 3)


def test_a_paused_leg_leaves_one_side_only(catalog: Catalog) -> None:
    (work, _rest, _repeat) = fit_session(
        catalog, item(catalog, "split-squat", "bodyweight", side=Leg.RIGHT)
    )
    assert work["wkt_step_name"] == "Split squat – right"
    assert "right leg only" in work["notes"]
    assert exercise_of(work) == ("lunge", "lunge")


def test_holds_count_down_and_a_load_is_the_steps_exercise_weight(catalog: Catalog) -> None:
    steps = fit_session(
        catalog,
        item(catalog, "deep-squat-hold", "heels-5cm"),
        item(catalog, "split-squat", "loaded"),
    )
    hold, _rest, hold_repeat, left, right, rest, repeat = steps
    assert (hold["duration_type"], hold["duration_time"]) == ("time", 20)
    assert exercise_of(hold) == ("squat", None)
    assert hold_repeat["duration_step"] == 0
    for side in (left, right):
        assert exercise_of(side) == ("squat", "dumbbell_split_squat")
        assert (side["duration_reps"], side["exercise_weight"]) == (8, 4)
        assert side["weight_display_unit"] == "kilogram"
    assert (rest["duration_time"], repeat["duration_step"], repeat["repeat_steps"]) == (120, 3, 3)


def test_rest_and_repeat_steps_name_no_exercise(catalog: Catalog) -> None:
    _work, rest, repeat = fit_session(catalog, item(catalog, "glute-bridge", "both-legs"))
    assert "exercise_category" not in rest and "exercise_category" not in repeat


def test_a_single_set_without_rest_is_one_step(catalog: Catalog) -> None:
    (step,) = fit_session(catalog, item(catalog, "stairs", "easy"))
    assert step["duration_type"] == "open"
    assert "2 flight(s)" in step["notes"]
    assert exercise_of(step) == ("floor_climb", "floor_climb")


def test_every_shipped_level_decodes_with_its_category_name_and_dose(catalog: Catalog) -> None:
    for exercise in catalog:
        for level in exercise.levels:
            data = session_to_fit_workout(
                session_of(item(catalog, exercise.slug, level.slug)), catalog, name="All"
            )
            fit = exercise.level_fit_exercise(level)
            assert fit is not None
            for steps in (steps_of(data), fitdecode_steps(data)):
                work = [s for s in steps if s.get("intensity") == "active"]
                assert work, (exercise.slug, level.slug)
                for step in work:
                    assert exercise_of(step) == (fit.category, fit.name)
                    _assert_dose(step, level.prescription)


def _assert_dose(step: dict[str, Any], p: Prescription) -> None:
    if p.reps is not None:
        assert (step["duration_type"], step["duration_reps"]) == ("reps", p.reps)
    elif p.distance_m is not None or p.flights is not None:
        assert step["duration_type"] == "open"
    else:
        assert (step["duration_type"], step["duration_time"]) == ("time", p.hold_s or p.duration_s)
    assert step.get("exercise_weight") == p.load_kg


def test_an_unmapped_custom_exercise_and_a_deleted_one_still_export(catalog: Catalog) -> None:
    wall_sit = _wall_sit()
    mine = Catalog([*catalog, wall_sit])
    gone = replace(item(catalog, "glute-bridge", "both-legs"), exercise="deleted-drill")
    custom = PlanItem(
        "wall-sit", "high", wall_sit.levels[0].prescription, wall_sit.stress, "knee", ()
    )
    work, _rest, _repeat, lost, *_ = steps_of(
        session_to_fit_workout(session_of(custom, gone), mine, name="Mine")
    )
    assert work["wkt_step_name"] == "Wall sit" and "exercise_category" not in work
    assert (work["duration_type"], work["duration_time"]) == ("time", 30)
    assert lost["wkt_step_name"] == "deleted-drill" and "exercise_category" not in lost


def _wall_sit() -> Exercise:
    return parse_exercise(
        {
            "slug": "wall-sit",
            "name": "Wall sit",
            "summary": "Sit against a wall.",
            "purpose": "Thighs under load.",
            "muscles": ["quadriceps"],
            "stress": "low",
            "dose_kind": "hold",
            "steps": ["Slide down the wall and hold."],
            "levels": [
                {
                    "slug": "high",
                    "name": "High",
                    "prescription": {"sets": 2, "hold_s": 30, "rest_s": 45},
                    "advance_when": "Two sessions, pain green.",
                }
            ],
        },
        "wall-sit.json",
    )


def test_both_crcs_and_the_header_are_right_and_a_flipped_byte_is_caught(
    catalog: Catalog,
) -> None:
    data = session_to_fit_workout(
        session_of(item(catalog, "glute-bridge", "both-legs")), catalog, name="Bridge"
    )
    assert data[:2] == b"\x0e\x10" and data[8:12] == b".FIT"  # 14-byte header, protocol 1.0
    assert struct.unpack("<H", data[2:4])[0] == 21171  # profile 21.171, as Garmin's SDK writes it
    assert struct.unpack("<H", data[12:14])[0] == crc_slow(data[:12])
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 16
    assert crc_slow(data) == 0  # the file CRC closes the whole file
    broken = bytearray(data)
    broken[20] ^= 0xFF
    assert not Decoder(Stream.from_byte_array(broken)).check_integrity()


def test_every_session_of_a_real_plan_decodes_in_both_readers(
    catalog: Catalog, real_plan: Plan
) -> None:
    for session in real_plan.sessions():
        data = session_to_fit_workout(session, catalog, name=f"kneecap {session.date}")
        steps = steps_of(data)
        work = [s for s in steps if s.get("intensity") == "active"]
        assert len(work) >= len(session.items)
        assert all(s["exercise_category"] for s in work)
        again = fitdecode_steps(data)
        assert len(again) == len(steps)
        assert [exercise_of(s) for s in again] == [exercise_of(s) for s in steps]


def test_the_same_session_gives_the_same_bytes(catalog: Catalog, real_plan: Plan) -> None:
    session = next(real_plan.sessions())
    first = session_to_fit_workout(session, catalog, name="Same")
    assert first == session_to_fit_workout(session, catalog, name="Same")


# --- any session of shipped exercises, any doses: the file says exactly the plan ---

CATALOG = load_catalog()
LEVELS = [(ex, lvl) for ex in CATALOG for lvl in ex.levels]


@st.composite
def plan_items(draw: st.DrawFn) -> PlanItem:
    exercise, level = draw(st.sampled_from(LEVELS))
    p = level.prescription
    changes: dict[str, Any] = {
        "sets": draw(st.integers(1, 20)),
        "rest_s": draw(st.none() | st.integers(0, 1800)),
    }
    if p.reps is not None:
        changes["reps"] = draw(st.integers(1, 1000))
    if p.load_kg is not None:
        changes["load_kg"] = draw(st.integers(10, 50_000)) / 100
    if p.reps is None and p.hold_s is not None:
        changes["hold_s"] = draw(st.integers(1, 3600))
    side = draw(st.sampled_from([None, Leg.LEFT, Leg.RIGHT])) if p.per_side else None
    built = item(CATALOG, exercise.slug, level.slug, side)
    return replace(built, prescription=p.with_changes(**changes))


def expected_steps(session: Session) -> list[tuple[Any, ...]]:
    """The steps the plan asks for, worked out from the items alone."""
    out: list[tuple[Any, ...]] = []
    for it in session.items:
        ex = CATALOG.get(it.exercise)
        fit = ex.level_fit_exercise(ex.level(it.level))
        assert fit is not None
        p, first = it.prescription, len(out)
        sides = 1 if it.side or not p.per_side else 2
        out += [("work", fit.category, fit.name, p)] * sides
        if p.rest_s:
            out.append(("rest", p.rest_s))
        if p.sets > 1:
            out.append(("repeat", first, p.sets))
    return out


def _check(step: dict[str, Any], want: tuple[Any, ...]) -> None:
    if want[0] == "work":
        assert step["intensity"] == "active"
        assert exercise_of(step) == want[1:3]
        _assert_dose(step, want[3])
    elif want[0] == "rest":
        assert (step["intensity"], step["duration_time"]) == ("rest", want[1])
        assert "exercise_category" not in step
    else:
        assert step["duration_type"] == "repeat_until_steps_cmplt"
        assert (step["duration_step"], step["repeat_steps"]) == want[1:]


@settings(max_examples=60, deadline=None)
@given(items=st.lists(plan_items(), min_size=1, max_size=8))
def test_any_session_decodes_into_exactly_its_steps_in_both_readers(
    items: list[PlanItem],
) -> None:
    session = session_of(*items, day=date(2026, 5, 4))
    data = session_to_fit_workout(session, CATALOG, name="Any")
    want = expected_steps(session)
    for steps in (steps_of(data), fitdecode_steps(data)):
        assert len(steps) == len(want)
        for step, expected in zip(steps, want, strict=True):
            _check(step, expected)
