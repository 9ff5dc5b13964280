"""The FIT summary reader on generated files and on small real fixtures (tests/data)."""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.ingest.crc import crc_slow, fit_crc
from kneecap.ingest.errors import CorruptFile, NotAnActivity
from kneecap.ingest.fit import read_fit
from tests.ingest import fitwriter as fw

DATA = Path(__file__).resolve().parents[1] / "data"
START = 1_700_000_000


def read(data: bytes) -> list:  # type: ignore[type-arg]
    return read_fit(data, "test.fit", "sha")


def test_the_session_gives_the_summary() -> None:
    (act,) = read(fw.activity(START, points=30))
    assert act.start == datetime.fromtimestamp(START, tz=UTC)
    assert (act.sport, act.distance_m, act.elapsed_s, act.moving_s) == ("running", 87.0, 30.0, 28.0)
    assert (act.avg_hr, act.max_hr, act.ascent_m, act.descent_m) == (140, 159, 12.0, 11.0)
    assert act.has_gps and act.utc_offset_s == 3600 and act.device == "garmin 2697"
    assert act.source_format == "fit" and act.source_sha256 == "sha"


def test_an_indoor_run_without_gps_is_accepted() -> None:
    (act,) = read(fw.activity(START, gps=False))
    assert not act.has_gps and act.distance_m == 87.0


def test_big_endian_definitions_read_the_same() -> None:
    assert read(fw.activity(START, big_endian=True)) == read(fw.activity(START))


def test_a_multisport_file_gives_one_activity_per_session() -> None:
    data = fw.activity(START, points=60, sessions=[(2, 0, 1000.0), (3, 30, 5.0), (1, 35, 900.0)])
    acts = read(data)
    assert [a.sport for a in acts] == ["cycling", "transition", "running"]
    assert [a.session_index for a in acts] == [0, 1, 2]
    assert [int(a.start.timestamp()) - START for a in acts] == [0, 30, 35]


@pytest.mark.parametrize(("file_type", "kind"), [(2, "settings"), (5, "workout"), (6, "course"),
                                                 (9, "weight"), (32, "monitoring_b")])  # fmt: skip
def test_files_that_are_not_activities_are_skipped(file_type: int, kind: str) -> None:
    with pytest.raises(NotAnActivity, match=kind):
        read(fw.activity(START, file_type=file_type))


def test_a_chained_activity_and_settings_file_gives_the_activity() -> None:
    settings_file = fw.activity(START, file_type=2, points=2)
    (act,) = read(fw.activity(START) + settings_file)
    assert act.distance_m == 87.0


def test_two_chained_activities_are_both_read() -> None:
    acts = read(fw.activity(START) + fw.activity(START + 3600))
    assert [a.session_index for a in acts] == [0, 1]
    assert acts[1].start.timestamp() == START + 3600


def _records_only(*, compressed: bool, developer: bool) -> bytes:
    """A run without a session: full timestamps every 10 s, compressed ones in between."""
    b = fw.FitBuilder()
    t0 = fw.fit_time(START)
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [4, 1, 2697, t0])
    dev = [(0, 3, 0)] if developer else []
    b.define(1, 20, fw.RECORD_FIELDS, dev)
    b.define(2, 20, fw.RECORD_FIELDS[1:], dev)  # same fields without the timestamp
    for i in range(41):
        values = [fw.semicircles(48.0), fw.semicircles(2.0), i * 250, 100 + i]
        if compressed and i % 10:
            b.data(2, values, time_offset=(t0 + i) & 0x1F)
        else:
            b.data(1, [t0 + i, *values])
    return b.build()


@pytest.mark.parametrize("developer", [False, True])
def test_without_a_session_the_records_give_the_summary(developer: bool) -> None:
    (act,) = read(_records_only(compressed=True, developer=developer))
    assert act.start == datetime.fromtimestamp(START, tz=UTC)
    assert (act.elapsed_s, act.distance_m, act.moving_s) == (40.0, 100.0, 40.0)
    assert (act.avg_hr, act.max_hr, act.has_gps) == (120, 140, True)


def test_compressed_speed_and_distance_accumulate_across_rollover() -> None:
    b = fw.FitBuilder()
    t0 = fw.fit_time(START)
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [4, 1, 2697, t0])
    b.define(1, 20, [(253, fw.UINT32, 4), (8, fw.BYTE, 3)])
    for i in range(20):
        sixteenths = (i * 50 * 16) & 0xFFF  # 50 m a second: rolls over every 256 m
        packed = (300 | (sixteenths << 12)).to_bytes(3, "little")
        b.data(1, [t0 + i, packed])
    (act,) = read(b.build())
    assert act.distance_m == 950.0 and act.elapsed_s == 19.0


def test_records_without_any_time_are_not_an_activity() -> None:
    b = fw.FitBuilder()
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [4, 1, 2697, 0])
    b.define(1, 20, [(3, fw.UINT8, 1)]).data(1, [150])
    with pytest.raises(NotAnActivity, match="timed record"):
        read(b.build())


def test_a_wrong_file_checksum_is_an_error() -> None:
    data = bytearray(fw.activity(START))
    data[40] ^= 0x01
    with pytest.raises(CorruptFile, match="checksum"):
        read(bytes(data))


def test_a_wrong_header_checksum_is_an_error() -> None:
    data = bytearray(fw.activity(START))
    data[12] ^= 0xFF
    with pytest.raises(CorruptFile, match="header checksum"):
        read(bytes(data))


def test_an_absurd_declared_size_is_an_error_at_once() -> None:
    data = bytearray(fw.activity(START))
    struct.pack_into("<I", data, 4, 0xFFFFFFF0)
    struct.pack_into("<H", data, 12, crc_slow(bytes(data[:12])))
    with pytest.raises(CorruptFile, match="truncated"):
        read(bytes(data))


def test_a_message_of_an_undefined_type_is_an_error() -> None:
    b = fw.FitBuilder()
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [4, 1, 2697, 0])
    b.body.append(5)  # local type 5 was never defined
    with pytest.raises(CorruptFile, match="undefined"):
        read(b.build())


def test_the_header_size_of_twelve_bytes_is_read() -> None:
    b = fw.FitBuilder()
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [2, 1, 1, 0])
    with pytest.raises(NotAnActivity):
        read(b.build(header_size=12))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.integers(0, 0xFFFF))
def test_the_fast_crc_equals_the_reference_algorithm(data: bytes, start: int) -> None:
    assert fit_crc(data, start) == crc_slow(data, start)


@pytest.mark.parametrize("size", [0, 1, 63, 64, 32_767, 300_001])
def test_the_fast_crc_equals_the_reference_on_long_input(size: int) -> None:
    data = bytes((i * 7919 + i // 256) & 0xFF for i in range(size))
    assert fit_crc(data, 0xBEEF) == crc_slow(data, 0xBEEF)
    assert fit_crc(memoryview(data)[1:]) == crc_slow(data[1:])


# --- real fixtures (copied, see tests/data/ATTRIBUTION.md) -----------------------------------


def fixture(name: str) -> list:  # type: ignore[type-arg]
    return read_fit((DATA / name).read_bytes(), name, "")


def test_the_fit_sdk_example_activity_matches_fitdecode() -> None:
    (act,) = fixture("fitparse__Activity.fit")
    assert act.start == datetime(2012, 4, 9, 21, 22, 26, tzinfo=UTC)
    assert (act.distance_m, act.elapsed_s, act.utc_offset_s) == (5.73, 13.749, -14400)


def test_a_real_chained_activity_and_settings_file() -> None:
    (chained,) = fixture("fitparse__activity-settings.fit")
    (alone,) = fixture("fitparse__Activity.fit")
    assert chained == alone.with_changes(source_name="fitparse__activity-settings.fit")


def test_a_real_multisport_file() -> None:
    acts = fixture("fittool__activity_multisport.fit")
    assert [(a.sport, a.elapsed_s) for a in acts] == [("cycling", 55.353), ("running", 21.519)]


def test_a_real_indoor_trainer_ride_has_no_gps() -> None:
    (act,) = fixture("fitparse__sample-activity-indoor-trainer.fit")
    assert (act.has_gps, act.avg_hr, act.max_hr) == (False, 148, 176)


def test_a_real_file_without_session_falls_back_to_its_records() -> None:
    (act,) = fixture("fittool__activity_truncated.fit")
    assert (act.distance_m, act.elapsed_s) == (5.73, 13.0)


def test_real_developer_fields_are_skipped() -> None:
    (act,) = fixture("fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit")
    assert (act.sport, act.distance_m, act.device) == (
        "cycling",
        963.65,
        "wahoo_fitness ELEMNT BOLT",
    )


def test_a_device_name_without_terminator_is_read() -> None:
    (act,) = fixture("tormoder__unterminated-strings.fit")
    assert act.device == "wahoo_fitness ELEMNT ROAM"


@pytest.mark.parametrize("name", ["fitparse__Settings.fit", "fitparse__WorkoutRepeatSteps.fit"])
def test_real_settings_and_workouts_are_skipped(name: str) -> None:
    with pytest.raises(NotAnActivity):
        fixture(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [("fitparse__activity-filecrc.fit", "checksum"),
     ("fitparse__activity-unexpected-eof.fit", "truncated")],
)  # fmt: skip
def test_real_damaged_files_are_errors(name: str, message: str) -> None:
    with pytest.raises(CorruptFile, match=message):
        fixture(name)
