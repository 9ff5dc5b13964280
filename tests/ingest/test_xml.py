"""The GPX and TCX readers: summaries, skipped files and hostile XML."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kneecap.ingest.errors import CorruptFile, NotAnActivity, UnsafeInput, UnsupportedFile
from kneecap.ingest.gpx import read_gpx
from kneecap.ingest.reader import Format, read_bytes, sniff
from kneecap.ingest.tcx import read_tcx
from kneecap.ingest.xmlsafe import iso_time

DATA = Path(__file__).resolve().parents[1] / "data"
T0 = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)


def gpx(points: int = 20, *, timed: bool = True, hr: bool = True, offset: str = "Z") -> bytes:
    """A northward run: one point every 10 s, 0.0001° (~11 m) apart, climbing then falling."""
    rows = []
    for i in range(points):
        when = (T0 + timedelta(seconds=10 * i)).strftime("%Y-%m-%dT%H:%M:%S") + offset
        time = f"<time>{when}</time>" if timed else ""
        ext = (
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if hr
            else ""
        )
        ele = 100 + min(i, points - i)
        rows.append(
            f'<trkpt lat="{45 + i * 0.0001:.4f}" lon="7.0"><ele>{ele}</ele>{time}{ext}</trkpt>'
        )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="kneecap test" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<metadata><time>2001-01-01T00:00:00Z</time></metadata><trk><type>running</type>"
        f"<trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    ).encode()


def test_a_gpx_track_gives_distance_time_climb_and_heart_rate() -> None:
    (act,) = read_gpx(gpx(), "run.gpx", "sha")
    assert act.start == T0 and act.elapsed_s == 190.0 and act.moving_s == 190.0
    assert act.distance_m == pytest.approx(19 * 11.12, rel=0.005)
    assert (act.avg_hr, act.max_hr, act.sport, act.has_gps) == (150, 159, "running", True)
    assert act.ascent_m == pytest.approx(act.descent_m, abs=1) and act.ascent_m > 5
    assert act.device == "kneecap test" and act.utc_offset_s is None


def test_a_gpx_time_with_an_offset_keeps_the_local_offset() -> None:
    (act,) = read_gpx(gpx(offset="+02:00"), "run.gpx", "")
    assert act.utc_offset_s == 7200 and act.start == T0 - timedelta(hours=2)


def test_a_gpx_without_times_is_not_an_activity() -> None:
    with pytest.raises(NotAnActivity, match="timed track"):
        read_gpx(gpx(timed=False), "route.gpx", "")


def test_a_gpx_with_a_handful_of_points_is_not_an_activity() -> None:
    with pytest.raises(NotAnActivity):
        read_gpx(gpx(points=5), "stub.gpx", "")


def test_real_gpx_heart_rate_is_averaged_over_the_points_that_have_it() -> None:
    (act,) = read_gpx((DATA / "togeojson__missing_hr.gpx").read_bytes(), "x", "")
    assert (act.avg_hr, act.max_hr, act.elapsed_s) == (111, 131, 122.0)
    assert act.distance_m == pytest.approx(61.9, rel=0.005)  # gpxpy: 61.9 m


def test_a_real_empty_track_is_skipped() -> None:
    with pytest.raises(NotAnActivity):
        read_gpx((DATA / "togeojson__empty_trk.gpx").read_bytes(), "x", "")


def test_a_real_tcx_sums_its_laps() -> None:
    (act,) = read_tcx((DATA / "togeojson__sample.tcx").read_bytes(), "x", "")
    assert act.start == datetime(2007, 8, 7, 2, 42, 41, tzinfo=UTC)
    assert (act.sport, act.moving_s, act.device) == ("running", 2325.02, "Forerunner305")
    assert act.distance_m == pytest.approx(8348.5039063)


def test_a_real_tcx_course_is_skipped() -> None:
    with pytest.raises(NotAnActivity, match="course"):
        read_tcx((DATA / "togeojson__tcx-courses.tcx").read_bytes(), "x", "")


def tcx(laps: int = 2) -> bytes:
    body = []
    for lap in range(laps):
        start = T0 + timedelta(minutes=10 * lap)
        points = "".join(
            f"<Trackpoint><Time>{(start + timedelta(seconds=30 * i)).isoformat()}</Time>"
            f"<DistanceMeters>{lap * 2000 + i * 100}</DistanceMeters>"
            f"<HeartRateBpm><Value>{130 + lap * 10}</Value></HeartRateBpm></Trackpoint>"
            for i in range(20)
        )
        body.append(
            f'<Lap StartTime="{start.isoformat()}"><TotalTimeSeconds>600</TotalTimeSeconds>'
            f"<DistanceMeters>2000</DistanceMeters><AverageHeartRateBpm><Value>{130 + lap * 10}"
            f"</Value></AverageHeartRateBpm><Track>{points}</Track></Lap>"
        )
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{T0.isoformat()}</Id>{"".join(body)}'
        "<Creator><Name>Treadmill watch</Name></Creator></Activity></Activities>"
        "<Author><Name>Some software</Name></Author></TrainingCenterDatabase>"
    ).encode()


def test_a_treadmill_tcx_without_positions_is_accepted() -> None:
    (act,) = read_tcx(tcx(), "x.tcx", "")
    assert (act.distance_m, act.moving_s, act.has_gps) == (4000.0, 1200.0, False)
    assert (act.avg_hr, act.max_hr, act.device) == (135, 140, "Treadmill watch")
    assert act.elapsed_s == 1200.0


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<gpx><trk><name>&lol3;</name></trk></gpx>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]><gpx><trk><name>&secret;</name>
</trk></gpx>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase SYSTEM "http://127.0.0.1:9/evil.dtd">
<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]><gpx/>"""


@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY])
def test_xml_with_a_dtd_or_entities_is_refused(doc: bytes) -> None:
    with pytest.raises(UnsafeInput):
        read_bytes(doc, "evil.gpx")


def test_an_undeclared_entity_is_a_clear_error() -> None:
    with pytest.raises(CorruptFile, match="not well-formed"):
        read_bytes(b"<gpx><trk><name>&nope;</name></trk></gpx>", "x.gpx")


def test_deeply_nested_xml_is_read_without_recursion() -> None:
    doc = b"<gpx>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</gpx>"
    with pytest.raises(NotAnActivity):
        read_bytes(doc, "deep.gpx")


@pytest.mark.parametrize("cut", [200, 1000, -20])
def test_truncated_xml_is_a_clear_error(cut: int) -> None:
    with pytest.raises(CorruptFile):
        read_bytes(gpx()[:cut], "cut.gpx")


def test_formats_are_recognised_by_content_not_name() -> None:
    assert sniff(gpx()) is Format.GPX and sniff(tcx()) is Format.TCX
    assert sniff(gzip.compress(b"x")) is Format.GZIP and sniff(b"hello") is Format.UNKNOWN
    (act,) = read_bytes(gpx(), "misnamed.fit")
    assert act.source_format == "gpx"


def test_gzipped_files_are_read_and_hashed_after_gunzip() -> None:
    (plain,) = read_bytes(tcx(), "a.tcx")
    (packed,) = read_bytes(gzip.compress(tcx()), "a.tcx")
    assert plain == packed


def test_a_utf16_gpx_is_read() -> None:
    text = (
        gpx().decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    )
    (act,) = read_bytes(text.encode("utf-16"), "wide.gpx")
    assert act.elapsed_s == 190.0


def test_an_unknown_file_is_unsupported() -> None:
    with pytest.raises(UnsupportedFile):
        read_bytes(b"name,distance\nmorning,5\n", "notes.dat")


def test_an_unknown_declared_encoding_is_a_clear_error() -> None:
    # found by fuzzing: expat raised LookupError for encoding="WTF-8"
    doc = gpx().replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="WTF-8"?>')
    with pytest.raises(CorruptFile, match="encoding"):
        read_gpx(doc, "x.gpx", "")


def _by_datetime(text: str) -> tuple[float, int | None]:
    """What datetime makes of an ISO time: the reference for the readers' fast path."""
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC).timestamp(), None
    offset = when.utcoffset()
    if text.endswith("Z") or offset is None:
        return when.timestamp(), None
    return when.timestamp(), int(offset.total_seconds())


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-01T06:30:00Z",
        "2024-05-01T06:30:00.250Z",
        "2024-05-01T08:30:00+02:00",
        "2024-05-01T08:30:00.123456+02:00",
        "2024-05-01T01:00:00.5-05:30",
        "2024-12-31T23:59:59+00:00",
        "2024-02-29T00:00:00-11:45",
        "2024-05-01T06:30:00",
        "2024-05-01T06:30:00.1234567Z",
    ],
)
def test_xml_times_read_as_datetime_reads_them(text: str) -> None:
    unix, offset = iso_time(text)
    expected, expected_offset = _by_datetime(text)
    assert unix == pytest.approx(expected, abs=1e-6)
    assert offset == expected_offset


@pytest.mark.parametrize(
    "text", ["2024-05-01T06:3a:00+02:00", "2024-05-01T25:30:00+02:00", "2024-05-01T06:30:00+24:00"]
)
def test_xml_times_that_are_not_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        iso_time(text)


def test_a_leap_second_is_the_second_after_59() -> None:
    assert iso_time("2016-12-31T23:59:60Z") == (iso_time("2016-12-31T23:59:59Z")[0] + 1, None)
