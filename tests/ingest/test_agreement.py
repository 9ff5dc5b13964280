"""Issue 15: one fixture for each kind of disagreement seen on real files, written with the
FIT writer or inline, and the summary a runner knows from their watch or Strava."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pytest

from kneecap.core.activity import Activity
from kneecap.ingest.fit import read_fit
from kneecap.ingest.gpx import read_gpx
from kneecap.ingest.tcx import read_tcx
from tests.ingest import fitwriter as fw

START = 1_700_000_000
T0 = fw.fit_time(START)
SESSION_NO_HR = [f for f in fw.SESSION_FIELDS if f[0] not in (16, 17)]
ACTIVITY_FIELDS = [(253, fw.UINT32, 4), (0, fw.UINT32, 4), (5, fw.UINT32, 4)]


def run_fit(
    *,
    records: int = 600,
    hr: int | None = 150,
    session: tuple[int, float] | None = (600, 1800.0),  # elapsed s, distance m
    session_hr: bool = False,
    timer: int | None = None,
) -> bytes:
    """A run at 3 m/s with one record a second; the session and the activity message's timer
    say what the arguments say (a cut-short session when they say less than the records)."""
    b = fw.FitBuilder()
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [4, 1, 2697, T0])
    b.define(1, 20, fw.RECORD_FIELDS)
    for i in range(records):
        heart = 255 if hr is None else hr + (i % 2 if hr else 0)
        b.data(1, [T0 + i, fw.semicircles(48.0 + i * 3e-5), fw.semicircles(2.0), i * 300, heart])
    if session is not None:
        elapsed, distance = session
        fields = fw.SESSION_FIELDS if session_hr else SESSION_NO_HR
        values = [T0 + elapsed, T0, fw.semicircles(48.0), 1, 0, elapsed * 1000, elapsed * 1000,
                  round(distance * 100)] + ([0, 0] if session_hr else []) + [12, 11]  # fmt: skip
        b.define(2, 18, fields).data(2, values)
    end = T0 + (records if session is None else max(records, session[0]))
    b.define(3, 34, ACTIVITY_FIELDS).data(3, [end, (timer or 0) * 1000, end + 3600])
    return b.build()


def read(data: bytes) -> list[Activity]:
    return read_fit(data, "test.fit", "sha")


# --- heart rate ------------------------------------------------------------------------------


def test_a_session_without_heart_rate_takes_the_records_average() -> None:
    (act,) = read(run_fit())
    assert (act.avg_hr, act.max_hr, act.summary_source) == (150, 151, "session")
    assert act.distance_m == 1800.0  # the rest stays the session's


def test_heart_rate_that_is_all_zeros_is_no_heart_rate() -> None:
    (act,) = read(run_fit(hr=0, session_hr=True))
    assert (act.avg_hr, act.max_hr) == (None, None)


def test_a_file_without_any_heart_rate_reads_no_records_for_it() -> None:
    (act,) = read(run_fit(hr=None))
    assert act.avg_hr is None and act.summary_source == "session"


# --- cut-short sessions --------------------------------------------------------------------


def test_a_session_cut_short_gives_way_to_the_records_and_the_activity_timer() -> None:
    (act,) = read(run_fit(records=1800, session=(600, 1800.0), timer=1800))
    assert act.summary_source == "records"
    assert (act.elapsed_s, act.moving_s) == (1799.0, 1800.0)
    assert act.distance_m == pytest.approx(5397.0)
    assert act.avg_hr == 150


def test_records_a_second_past_the_session_leave_it_alone() -> None:
    (act,) = read(run_fit(records=602, session=(600, 1800.0), timer=600))
    assert (act.summary_source, act.elapsed_s, act.distance_m) == ("session", 600.0, 1800.0)


def test_a_cut_short_session_without_a_timer_takes_the_records_moving_time() -> None:
    (act,) = read(run_fit(records=1200, session=(300, 900.0)))
    assert act.summary_source == "records" and act.moving_s == 1199.0


# --- developer fields -------------------------------------------------------------------------

DESCRIPTION = [(0, fw.UINT8, 1), (1, fw.UINT8, 1), (2, fw.UINT8, 1), (3, fw.STRING, 16),
               (8, fw.STRING, 8), (14, fw.UINT16, 2), (15, fw.UINT8, 1)]  # fmt: skip


def rowing_fit(*, native: bool) -> bytes:
    """An indoor row whose app keeps the distance in developer fields: the session's
    total_distance is 0 and field 0 of developer 0 (described as session field 9) holds it;
    records carry a developer "Distance" in metres, described by name only. Without
    ``native`` the session's developer field is something else (calories) and the session
    has no distance at all."""
    b = fw.FitBuilder()
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [4, 1, 2697, T0])
    b.define(4, 206, DESCRIPTION)
    if native:
        b.data(4, [0, 0, 0x86, "Distance", "m", 18, 9])
    else:
        b.data(4, [0, 0, 0x86, "Calories", "kcal", 0xFFFF, 0xFF])
    b.data(4, [0, 1, 0x86, "Distance", "m", 0xFFFF, 0xFF])
    b.define(1, 20, [(253, fw.UINT32, 4), (3, fw.UINT8, 1)], [(1, 4, 0)])
    for i in range(300):
        b.data(1, [T0 + i, 140], dev=struct.pack("<I", i * 4))
    b.define(2, 18, SESSION_NO_HR, [(0, 4, 0)])
    distance = 0 if native else 0xFFFFFFFF  # zero, or not written at all
    b.data(2, [T0 + 300, T0, fw.INVALID_SINT32, 15, 14, 300_000, 300_000, distance, 0, 0],
           dev=struct.pack("<I", 1234))  # fmt: skip
    b.define(3, 34, ACTIVITY_FIELDS).data(3, [T0 + 300, 300_000, T0 + 3900])
    return b.build()


def test_a_connect_iq_distance_in_a_developer_field_is_the_session_distance() -> None:
    (act,) = read(rowing_fit(native=True))
    assert act.distance_m == 1234.0 and act.sport == "rowing"


def test_without_a_session_field_the_records_developer_distance_is_used() -> None:
    (act,) = read(rowing_fit(native=False))
    assert act.distance_m == 1196.0  # the last record's 299 x 4 m
    assert act.avg_hr == 140


# --- multisport ---------------------------------------------------------------------------


def test_each_leg_starts_at_its_start_time_and_a_transition_stays_a_transition() -> None:
    b = fw.FitBuilder()
    b.define(0, 0, fw.FILE_ID_FIELDS).data(0, [4, 1, 2697, T0])
    b.define(1, 20, fw.RECORD_FIELDS)
    for i in range(400):
        b.data(1, [T0 + i, fw.semicircles(48.0), fw.semicircles(2.0 + i * 3e-5), i * 300,
                   120 if i < 200 else 170])  # fmt: skip
    b.define(2, 18, SESSION_NO_HR)
    # Session timestamps written a minute late: the start is start_time, not timestamp - time.
    for sport, began, length in ((2, 0, 200), (3, 200, 20), (1, 220, 180)):
        b.data(2, [T0 + began + length + 60, T0 + began, fw.INVALID_SINT32, sport, 0,
                   length * 1000, length * 1000, length * 300, 0, 0])  # fmt: skip
    b.define(3, 34, ACTIVITY_FIELDS).data(3, [T0 + 460, 400_000, T0 + 4060])
    acts = read(b.build())
    assert [(a.sport, int(a.start.timestamp()) - START) for a in acts] == [
        ("cycling", 0), ("transition", 200), ("running", 220)]  # fmt: skip
    assert [a.avg_hr for a in acts] == [120, 170, 170]
    assert all(a.summary_source == "session" for a in acts)


# --- GPX heart rate and moving time --------------------------------------------------------

GPX_HEAD = (
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
    'xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"><trk>'
)


def gpx_point(t: int, lat: float, hr: str = "") -> str:
    when = datetime.fromtimestamp(START + t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f'<trkpt lat="{lat:.6f}" lon="2.0"><time>{when}</time>{hr}</trkpt>'


def gpx(*segments: list[str]) -> bytes:
    body = "".join("<trkseg>" + "".join(points) + "</trkseg>" for points in segments)
    return (GPX_HEAD + body + "</trk></gpx>").encode()


@pytest.mark.parametrize(
    "extension",
    [
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr>"
        "</gpxtpx:TrackPointExtension></extensions>",
        "<extensions><ns3:TrackPointExtension><ns3:hr> {} </ns3:hr>"
        "</ns3:TrackPointExtension></extensions>",
        '<extensions><TrackPointExtension xmlns="http://www.garmin.com/xmlschemas/'
        'TrackPointExtension/v2"><hr>{}</hr></TrackPointExtension></extensions>',
    ],
    ids=["gpxtpx", "ns3", "default-namespace"],
)
def test_gpx_heart_rate_is_read_from_every_trackpointextension_form(extension: str) -> None:
    points = [gpx_point(i, 48 + i * 3e-5, extension.format(140 + i % 3)) for i in range(30)]
    (act,) = read_gpx(gpx(points), "x.gpx", "")
    assert (act.avg_hr, act.max_hr, act.summary_source) == (141, 142, "track")


def test_gpx_heart_rate_of_zeros_is_no_heart_rate() -> None:
    ext = "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>0</gpxtpx:hr>"
    ext += "</gpxtpx:TrackPointExtension></extensions>"
    (act,) = read_gpx(gpx([gpx_point(i, 48 + i * 3e-5, ext) for i in range(30)]), "x", "")
    assert (act.avg_hr, act.max_hr) == (None, None)


def test_gpx_moving_time_leaves_out_segment_gaps_recording_gaps_and_stops() -> None:
    def speed(t: int) -> float:  # m/s: standing 100-130 s, 5 s slow at 160 s
        return 0.0 if 100 <= t < 130 else 0.1 if 160 <= t < 165 else 3.0

    along, first = 0.0, []
    for t in range(0, 321):
        if t <= 200 or t >= 290:  # the watch paused from 200 to 290 s, in the same segment
            first.append(gpx_point(t, 48 + along / 111_195))
        along += speed(t)
    second = [gpx_point(t, 48.1 + (t - 920) * 3e-5) for t in range(920, 980)]
    (act,) = read_gpx(gpx(first, second), "x.gpx", "")
    assert act.elapsed_s == 979.0
    # 100 s running, the 30 s standing left out, 30 + 5 slow + 35 s, the 90 s pause left
    # out, 30 s, and the second segment's 59 s (the 10 minutes between segments left out)
    assert act.moving_s == 100 + 30 + 5 + 35 + 30 + 59


# --- TCX --------------------------------------------------------------------------------------


def tcx_point(t: int, distance: float | None = None, hr: int | None = None) -> str:
    when = datetime.fromtimestamp(START + t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    d = "" if distance is None else f"<DistanceMeters>{distance}</DistanceMeters>"
    h = "" if hr is None else f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>"
    return f"<Trackpoint><Time>{when}</Time>{d}{h}</Trackpoint>"


def tcx_lap(start: int, seconds: float, distance: float, points: list[str]) -> str:
    when = datetime.fromtimestamp(START + start, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    track = "".join(points)
    return (f'<Lap StartTime="{when}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>'
            f"<DistanceMeters>{distance}</DistanceMeters><Track>{track}</Track></Lap>")  # fmt: skip


def tcx(*activities: str) -> bytes:
    ns = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
    body = "".join(activities)
    doc = f'<TrainingCenterDatabase xmlns="{ns}"><Activities>{body}</Activities>'
    return (doc + "</TrainingCenterDatabase>").encode()


def tcx_activity(laps: str, sport: str = "Running") -> str:
    return f'<Activity Sport="{sport}"><Id>x</Id>{laps}</Activity>'


def test_a_tcx_first_trackpoint_with_no_data_changes_nothing() -> None:
    points = ["<Trackpoint></Trackpoint>", tcx_point(0)]
    points += [tcx_point(t, t * 3.0, 150) for t in range(1, 60)]
    (act,) = read_tcx(tcx(tcx_activity(tcx_lap(0, 59, 0, points))), "x.tcx", "")
    assert (act.elapsed_s, act.moving_s, act.avg_hr) == (59.0, 59.0, 150)
    assert act.distance_m == 174.0 and act.summary_source == "track"


def test_tcx_distance_that_goes_on_from_an_earlier_recording_counts_from_its_start() -> None:
    points = [tcx_point(t, 5000 + t * 3.0) for t in range(0, 100)]
    lap = tcx_lap(0, 99, 0, points).replace("<DistanceMeters>0</DistanceMeters>", "")
    (act,) = read_tcx(tcx(tcx_activity(lap)), "x.tcx", "")
    assert act.distance_m == 297.0


def test_tcx_lap_totals_that_contradict_the_track_give_way_to_it() -> None:
    points = [tcx_point(t, t * 3.0) for t in range(0, 600)]
    (act,) = read_tcx(tcx(tcx_activity(tcx_lap(0, 60, 180, points))), "x.tcx", "")
    assert (act.distance_m, act.moving_s, act.elapsed_s) == (1797.0, 599.0, 599.0)
    assert act.summary_source == "track"


def test_tcx_lap_totals_close_to_the_track_are_kept() -> None:
    points = [tcx_point(t, t * 3.0) for t in range(0, 600)]
    (act,) = read_tcx(tcx(tcx_activity(tcx_lap(0, 590, 1790, points))), "x.tcx", "")
    assert (act.distance_m, act.moving_s, act.summary_source) == (1790.0, 590.0, "laps")


def test_each_tcx_activity_is_an_activity() -> None:
    one = tcx_activity(tcx_lap(0, 60, 180, [tcx_point(t, t * 3.0) for t in range(61)]))
    two = tcx_activity(tcx_lap(7200, 60, 120, [tcx_point(7200 + t, t * 2.0) for t in range(61)]))
    acts = read_tcx(tcx(one, two), "x.tcx", "")
    assert [(int(a.start.timestamp()) - START, a.distance_m) for a in acts] == [
        (0, 180),
        (7200, 120),
    ]
    assert [a.session_index for a in acts] == [0, 1]


def test_overlapping_tcx_laps_are_not_counted_twice() -> None:
    first = tcx_lap(0, 400, 1000, [tcx_point(t, t * 3.0) for t in range(0, 300)])
    second = tcx_lap(300, 400, 1000, [tcx_point(t, t * 3.0) for t in range(300, 600)])
    (act,) = read_tcx(tcx(tcx_activity(first + second)), "x.tcx", "")
    assert act.elapsed_s == 700.0  # the second lap ends at 300 + 400 s
    assert act.moving_s == 700.0  # the first lap's 400 s only run to the second's start


def test_a_tcx_transition_is_an_activity_of_its_own() -> None:
    run = tcx_lap(0, 60, 180, [tcx_point(t, t * 3.0) for t in range(61)])
    when = datetime.fromtimestamp(START + 61, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    change = (f'<Transition StartTime="{when}"><TotalTimeSeconds>30</TotalTimeSeconds>'
              "<DistanceMeters>20</DistanceMeters><Track>"
              + "".join(tcx_point(61 + t, 180 + t * 0.7) for t in range(30))
              + "</Track></Transition>")  # fmt: skip
    ride = tcx_lap(91, 60, 600, [tcx_point(91 + t, 200 + t * 10.0) for t in range(61)])
    first, then = tcx_activity(run), tcx_activity(ride, "Biking")
    body = (f"<MultiSportSession><Id>x</Id><FirstSport>{first}</FirstSport>"
            f"<NextSport>{change}{then}</NextSport></MultiSportSession>")  # fmt: skip
    doc = tcx().replace(
        b"<Activities></Activities>", b"<Activities>" + body.encode() + b"</Activities>"
    )
    acts = read_tcx(doc, "x.tcx", "")
    assert [(a.sport, a.distance_m, a.moving_s) for a in acts] == [
        ("running", 180.0, 60.0), ("transition", 20.0, 30.0), ("cycling", 600.0, 60.0)]  # fmt: skip


def test_tcx_heart_rate_of_zeros_is_no_heart_rate() -> None:
    points = [tcx_point(t, t * 3.0, 0) for t in range(0, 60)]
    (act,) = read_tcx(tcx(tcx_activity(tcx_lap(0, 59, 177, points))), "x.tcx", "")
    assert (act.avg_hr, act.max_hr) == (None, None)
