"""A streaming TCX reader: laps give the totals, track points the rest.

Like the GPX reader it has no end-element callback: the elements that give meaning to the
next text (a lap, a track, a heart-rate block, a creator) are remembered when they open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kneecap.core.activity import Activity, normalize_sport
from kneecap.ingest import geo, xmlsafe
from kneecap.ingest.errors import NotAnActivity
from kneecap.ingest.gpx import MIN_TIMED_POINTS

# Laps and track disagree when one has more than 10 % more distance or moving time than the
# other: the fuller one is kept (a track cropped in an editor, laps that stop early or carry
# no distance). Below that, the laps are the device's own figures.
DISAGREE_FRACTION = 0.10

# Text elements (positive codes) and the structural ones that set the context (negative).
_ID, _TOTAL, _DIST, _VALUE, _TIME, _LAT, _LON, _ALT, _NAME = range(1, 10)
_ACTIVITY, _LAP, _TRACK, _POINT, _AVG_HR, _MAX_HR, _POINT_HR, _CREATOR, _STOP, _TRANSITION = range(
    -1, -11, -1
)
_CODES = {
    "Id": _ID,
    "TotalTimeSeconds": _TOTAL,
    "DistanceMeters": _DIST,
    "Value": _VALUE,
    "Time": _TIME,
    "LatitudeDegrees": _LAT,
    "LongitudeDegrees": _LON,
    "AltitudeMeters": _ALT,
    "Name": _NAME,
    "Activity": _ACTIVITY,
    "Transition": _TRANSITION,  # a multisport file's change of sport: an activity of its own
    "Lap": _LAP,
    "Track": _TRACK,
    "Trackpoint": _POINT,
    "AverageHeartRateBpm": _AVG_HR,
    "MaximumHeartRateBpm": _MAX_HR,
    "HeartRateBpm": _POINT_HR,
    "Creator": _CREATOR,
    "Author": _STOP,  # the software that wrote the file, not the device
    "Courses": _STOP,
    "Course": _STOP,
}


@dataclass(slots=True)
class _Lap:
    start: str | None
    seconds: float | None = None
    distance: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None


@dataclass(slots=True)
class _Activity:
    sport: str | None
    id_time: str | None = None
    device: str | None = None
    laps: list[_Lap] = field(default_factory=list)
    # Raw track points: time, latitude, longitude, altitude, distance, heart rate (texts),
    # and the number of the <Track> holding them (a new track follows a pause).
    points: list[list[Any]] = field(default_factory=list)
    tracks: int = 0


@dataclass(slots=True)
class _Track:
    """The track points of one activity as numbers (only the present values, but ``along``
    and ``segments`` are aligned with ``times``)."""

    times: list[float]
    lats: list[float]
    lons: list[float]
    altitudes: list[float]
    distances: list[float]
    hrs: list[float]
    utc_offset_s: int | None
    along: list[float] | None  # distance covered at each timed point, when the file tells
    segments: list[int]


class _Handler:
    def __init__(self) -> None:
        self.activities: list[_Activity] = []
        self.act: _Activity | None = None  # None outside an activity (courses, author)
        self.want = 0
        self.context = 0  # the last structural element opened
        self.in_track = False
        # The open track point: time, lat, lon, altitude, distance, heart rate (texts), track.
        self.point: list[Any] | None = None
        self.codes: dict[str, int] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        code = self.codes.get(name)
        if code is None:
            code = self.codes[name] = _CODES.get(name.rpartition(":")[2], 0)
        if code >= 0:
            self.want = code
            return
        self.want = 0
        if code == _POINT:
            self.point = [None, None, None, None, None, None, 0]
            if self.act is not None:
                self.point[6] = self.act.tracks
                self.act.points.append(self.point)
        elif code == _LAP:
            self.point = None
            self.in_track = False
            if self.act is not None:
                self.act.laps.append(_Lap(attrs.get("StartTime")))
        elif code == _TRACK:
            self.in_track = True
            if self.act is not None:
                self.act.tracks += 1
        elif code in (_ACTIVITY, _TRANSITION):
            self.point = None
            self.in_track = False
            self.act = _Activity(attrs.get("Sport") if code == _ACTIVITY else "transition")
            self.activities.append(self.act)
            if code == _TRANSITION:  # a transition is written as a lap of its own
                self.act.laps.append(_Lap(attrs.get("StartTime")))
        elif code == _STOP:
            self.point = None
            self.act = None
        self.context = code

    def chars(self, data: str) -> None:
        want = self.want
        if not want or self.act is None:
            return
        self.want = 0
        point = self.point
        if point is not None and (want in _POINT_TEXT or (want == _DIST and self.in_track)):
            point[_SLOT[want]] = data
        elif want == _VALUE:
            self._value(self.act, data)
        elif want in (_TOTAL, _DIST) and self.act.laps and not self.in_track:
            lap = self.act.laps[-1]
            if want == _TOTAL:
                lap.seconds = _number(data)
            else:
                lap.distance = _number(data)
        elif want == _ID:
            self.act.id_time = data.strip()
        elif want == _NAME and self.context == _CREATOR and self.act.device is None:
            self.act.device = data.strip() or None

    def _value(self, act: _Activity, data: str) -> None:
        if self.context == _POINT_HR and self.point is not None:
            self.point[5] = data
        elif self.context in (_AVG_HR, _MAX_HR) and act.laps:
            lap = act.laps[-1]
            if self.context == _AVG_HR:
                lap.avg_hr = _number(data)
            else:
                lap.max_hr = _number(data)


_SLOT = {_TIME: 0, _LAT: 1, _LON: 2, _ALT: 3, _DIST: 4}
_POINT_TEXT = frozenset({_TIME, _LAT, _LON, _ALT})


def _number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _track(act: _Activity) -> _Track:
    columns = list(zip(*act.points, strict=True)) if act.points else [()] * 7
    stamps, offset = xmlsafe.times(columns[0])
    timed = [i for i, t in enumerate(stamps) if t is not None]
    lats, lons, alts, dists, hrs = (xmlsafe.floats(c) for c in columns[1:6])
    placed = [
        i
        for i in timed
        if (la := lats[i]) is not None and (lo := lons[i]) is not None
        and -90 <= la <= 90 and -180 <= lo <= 180
    ]  # fmt: skip

    def present(values: list[float | None]) -> list[float]:
        return [v for i in timed if (v := values[i]) is not None]

    return _Track(
        times=[stamps[i] for i in timed],  # type: ignore[misc]
        lats=[lats[i] for i in placed],  # type: ignore[misc]
        lons=[lons[i] for i in placed],  # type: ignore[misc]
        altitudes=present(alts),
        distances=present(dists),
        hrs=present(hrs),
        utc_offset_s=offset,
        along=_along(timed, placed, dists, lats, lons),
        segments=[columns[6][i] for i in timed],
    )


def _along(
    timed: list[int],
    placed: list[int],
    dists: list[float | None],
    lats: list[float | None],
    lons: list[float | None],
) -> list[float] | None:
    """The distance covered at each timed point: the file's DistanceMeters, or the GPS path,
    carried over the points that lack it (a first point with no data at all counts 0)."""
    source: list[float | None]
    if any(dists[i] is not None for i in timed):
        source = dists
    elif len(placed) > 1:
        path = geo.cumulative_m([lats[i] for i in placed], [lons[i] for i in placed])  # type: ignore[misc]
        source = [None] * len(dists)
        for i, d in zip(placed, path, strict=True):
            source[i] = d
    else:
        return None
    first = next(v for i in timed if (v := source[i]) is not None)
    out, last = [], first
    for i in timed:
        value = source[i]
        last = last if value is None else value
        out.append(last - first)
    return out


def read_tcx(data: bytes, source_name: str, sha256: str) -> list[Activity]:
    """Every activity of a TCX file. Raises ``NotAnActivity`` for courses and empty files."""
    handler = _Handler()
    parser = xmlsafe.make_parser()
    parser.StartElementHandler = handler.start
    parser.CharacterDataHandler = handler.chars
    xmlsafe.parse(parser, data, "TCX")
    found = [_summary(a, source_name, sha256, i) for i, a in enumerate(handler.activities)]
    activities = [a for a in found if a is not None]
    if not activities:
        raise NotAnActivity("a TCX file without a recorded activity (a course or an empty file)")
    return activities


def _start(act: _Activity, track: _Track) -> float | None:
    candidates = [lap.start for lap in act.laps if lap.start] + [act.id_time or ""]
    for text in candidates:
        try:
            return xmlsafe.iso_time(text.strip())[0]
        except ValueError:
            continue
    return track.times[0] if track.times else None


def _summary(act: _Activity, source_name: str, sha256: str, index: int) -> Activity | None:
    track = _track(act)
    lap_seconds = [lap.seconds for lap in act.laps if lap.seconds is not None]
    # As for GPX, a recording has a handful of timed points; a file of laps alone (a manual
    # entry) counts when its laps have a duration.
    if len(track.times) < MIN_TIMED_POINTS and (track.times or not any(lap_seconds)):
        return None
    start = _start(act, track)
    if start is None:
        return None
    if track.times:
        start = min(start, track.times[0])
    laps_moving, laps_end = _lap_times(act, start)
    # Elapsed runs to the last point, or to the end of the laps when points stop early.
    end = max(start, laps_end or start, track.times[-1] if track.times else start)
    distance, moving, source = _totals(act, track, laps_moving)
    avg_hr, max_hr = _heart_rate(act, track)
    up, down = geo.climb_m(track.altitudes)
    return Activity(
        start=datetime.fromtimestamp(start, tz=UTC),
        sport=normalize_sport(act.sport),
        distance_m=distance,
        elapsed_s=end - start,
        moving_s=moving if moving is None or moving <= end - start + 0.01 else end - start,
        ascent_m=up if track.altitudes else None,
        descent_m=down if track.altitudes else None,
        avg_hr=avg_hr,
        max_hr=max_hr,
        has_gps=bool(track.lats),
        device=act.device,
        utc_offset_s=track.utc_offset_s,
        source_sha256=sha256,
        source_name=source_name,
        source_format="tcx",
        session_index=index,
        summary_source=source,
    )


def _lap_times(act: _Activity, start: float) -> tuple[float | None, float | None]:
    """The laps' moving time and where the last lap ends.

    A lap's time never counts past the next lap's start (give or take the second that start
    times are rounded to): laps that overlap, whose pause arithmetic would go negative, are
    not counted twice.
    """
    laps = [(_lap_start(lap), lap.seconds) for lap in act.laps if lap.seconds is not None]
    if not laps:
        return None, None
    moving = 0.0
    for i, (began, seconds) in enumerate(laps):
        following = laps[i + 1][0] if i + 1 < len(laps) else None
        room = following - began if began is not None and following is not None else seconds
        moving += max(0.0, min(seconds, room + 1.0))
    last_start, last_seconds = laps[-1]
    return moving, start + moving if last_start is None else last_start + last_seconds


def _lap_start(lap: _Lap) -> float | None:
    try:
        return xmlsafe.iso_time(lap.start.strip())[0] if lap.start else None
    except ValueError:
        return None


def _totals(
    act: _Activity, track: _Track, laps_moving: float | None
) -> tuple[float | None, float | None, str]:
    """Distance, moving time and the source that gave the distance: the laps (the device's
    totals) unless the track shows clearly more, or the laps have none."""
    laps_distance = [lap.distance for lap in act.laps if lap.distance is not None]
    lap_d = sum(laps_distance) if laps_distance else None
    distance = _fuller(lap_d, _track_distance(track))
    moving = _fuller(laps_moving, _track_moving(track))
    from_laps = lap_d is not None and distance == lap_d
    return distance, moving, "laps" if from_laps else "track"


def _fuller(laps: float | None, track: float | None) -> float | None:
    """The laps' figure, unless it is missing or zero or the track's is clearly larger."""
    if not laps:
        return track if track else laps
    if track and track > laps * (1 + DISAGREE_FRACTION):
        return track
    return laps


def _track_distance(track: _Track) -> float | None:
    """DistanceMeters from the first point that has it (some files go on counting from an
    earlier recording), or the GPS path."""
    if track.distances:
        return max(track.distances) - track.distances[0]
    return geo.path_length_m(track.lats, track.lons) if track.lats else None


def _track_moving(track: _Track) -> float | None:
    """Moving time of the track points, each <Track> a recording of its own."""
    along = track.along
    if along is None or len(track.times) < 2:
        return None
    total, begin = 0.0, 0
    for i in range(1, len(track.times) + 1):
        if i == len(track.times) or track.segments[i] != track.segments[begin]:
            total += geo.moving_s(track.times[begin:i], along[begin:i])
            begin = i
    return total


def _heart_rate(act: _Activity, track: _Track) -> tuple[int | None, int | None]:
    """The mean and maximum of the recorded points; the laps' own figures when none."""
    hrs = [hr for hr in track.hrs if hr > 0]
    if hrs:
        return round(sum(hrs) / len(hrs)), round(max(hrs))
    weighted = [(lap.avg_hr, lap.seconds) for lap in act.laps if lap.avg_hr and lap.seconds]
    maxima = [lap.max_hr for lap in act.laps if lap.max_hr]
    total = sum(s for _, s in weighted)
    avg = sum(hr * s for hr, s in weighted) / total if total else None
    return (
        None if avg is None else round(avg),
        round(max(maxima)) if maxima else None,
    )
