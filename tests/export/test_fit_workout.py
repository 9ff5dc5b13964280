"""FIT workouts decode with Garmin's own SDK (and fitdecode) into the steps planned."""

from __future__ import annotations

import struct
from typing import Any

import fitdecode
from garmin_fit_sdk import Decoder, Stream

from kneecap.core.catalog import Catalog
from kneecap.core.planning import Plan
from kneecap.core.screening import Leg
from kneecap.export import session_to_fit_workout
from kneecap.ingest.crc import crc_slow
from tests.export.builders import item, session_of


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
    data = session_to_fit_workout(
        session_of(item(catalog, "tibialis-raise", "both-legs")), catalog, name="Tibialis"
    )
    work, rest, repeat = steps_of(data)
    assert work["wkt_step_name"] == "Tibialis raise"
    assert (work["duration_type"], work["duration_reps"]) == ("reps", 10)
    assert work["intensity"] == "active"
    assert "hold 3 s on every rep" in work["notes"]
    assert (rest["duration_type"], rest["duration_time"], rest["intensity"]) == ("time", 60, "rest")
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (0, 3)


def test_a_distance_drill_waits_for_the_lap_button_and_names_the_distance(
    catalog: Catalog,
) -> None:
    data = session_to_fit_workout(
        session_of(item(catalog, "walking-backward", "flat")), catalog, name="Backward"
    )
    work, rest, repeat = steps_of(data)
    assert work["duration_type"] == "open"
    assert "100 m" in work["notes"]
    assert rest["duration_time"] == 60
    assert repeat["repeat_steps"] == 5


def test_per_side_work_has_a_step_for_each_leg_inside_the_repeat(catalog: Catalog) -> None:
    data = session_to_fit_workout(
        session_of(item(catalog, "split-squat", "bodyweight")), catalog, name="Split"
    )
    left, right, rest, repeat = steps_of(data)
    assert (left["wkt_step_name"], right["wkt_step_name"]) == (
        "Split squat – left",
        "Split squat – right",
    )
    assert left["duration_reps"] == right["duration_reps"] == 10
    assert rest["duration_time"] == 90
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (0, 3)


def test_a_paused_leg_leaves_one_side_only(catalog: Catalog) -> None:
    session = session_of(item(catalog, "split-squat", "bodyweight", side=Leg.RIGHT))
    work, _rest, _repeat = steps_of(session_to_fit_workout(session, catalog, name="One leg"))
    assert work["wkt_step_name"] == "Split squat – right"
    assert "right leg only" in work["notes"]


def test_holds_count_down_and_a_load_is_carried(catalog: Catalog) -> None:
    session = session_of(
        item(catalog, "deep-squat-hold", "heels-5cm"), item(catalog, "split-squat", "loaded")
    )
    steps = steps_of(session_to_fit_workout(session, catalog, name="Mixed"))
    hold, _rest, hold_repeat, left, *_ = steps
    assert (hold["duration_type"], hold["duration_time"]) == ("time", 20)
    assert hold_repeat["duration_step"] == 0
    assert left["exercise_weight"] == 4
    assert left["weight_display_unit"] == "kilogram"


def test_a_single_set_without_rest_is_one_step(catalog: Catalog) -> None:
    data = session_to_fit_workout(session_of(item(catalog, "stairs", "easy")), catalog, name="S")
    (step,) = steps_of(data)
    assert step["duration_type"] == "open"
    assert "2 flight(s)" in step["notes"]


def test_both_crcs_are_right_and_a_flipped_byte_is_caught(catalog: Catalog) -> None:
    data = session_to_fit_workout(
        session_of(item(catalog, "glute-bridge", "both-legs")), catalog, name="Bridge"
    )
    assert data[:1] == b"\x0e" and data[8:12] == b".FIT"
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
        with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.ENABLED) as reader:
            frames = [f for f in reader if isinstance(f, fitdecode.FitDataMessage)]
        assert sum(f.name == "workout_step" for f in frames) == len(steps)


def test_the_same_session_gives_the_same_bytes(catalog: Catalog, real_plan: Plan) -> None:
    session = next(real_plan.sessions())
    first = session_to_fit_workout(session, catalog, name="Same")
    assert first == session_to_fit_workout(session, catalog, name="Same")
