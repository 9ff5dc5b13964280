"""A streaming GPX reader: one pass of expat, keeping only the numbers a summary needs.

Speed comes from doing as little as possible per XML element: no end-element callback (a track
point is complete when the next one starts), and text is kept only for the few elements read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from kneecap.core.activity import Activity, normalize_sport, sub_sport_from_label
from kneecap.ingest import geo, xmlsafe
from kneecap.ingest.errors import NotAnActivity

# Fewer timed points than this is a sketch or a stub, not a recording (the issue 7 samples).
MIN_TIMED_POINTS = 10

# Element codes, by local name (any namespace prefix). Text codes are positive.
_ELE, _TIME, _HR, _TYPE = 1, 2, 3, 4
_OTHER, _TRKPT, _TRKSEG, _BREAK, _GPX = 0, -1, -2, -3, -4
_CODES = {
    "ele": _ELE,
    "time": _TIME,
    "hr": _HR,
    "heartrate": _HR,
    "type": _TYPE,
    "trkpt": _TRKPT,
    "trkseg": _TRKSEG,
    "trk": _BREAK,
    "rte": _BREAK,
    "wpt": _BREAK,
    "metadata": _BREAK,
    "gpx": _GPX,
}


class _Handler:
    def __init__(self) -> None:
        # Each segment is a list of raw points: [lat, lon, ele, time, hr] as written.
        self.segments: list[list[list[str | None]]] = []
        self.creator: str | None = None
        self.track_type: str | None = None
        self.want = 0  # text code of the element just opened, 0 when its text is not needed
        self.point: list[str | None] | None = None  # the open track point
        self.codes: dict[str, int] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        code = self.codes.get(name)
        if code is None:
            code = self.codes[name] = _CODES.get(name.rpartition(":")[2].lower(), _OTHER)
        if code > 0:
            self.want = code if (self.point is not None or code == _TYPE) else 0
            return
        self.want = 0
        if code == _TRKPT:
            if not self.segments:
                self.segments.append([])
            self.point = [attrs.get("lat"), attrs.get("lon"), None, None, None]
            self.segments[-1].append(self.point)
        elif code == _TRKSEG:
            self.point = None
            self.segments.append([])
        elif code == _BREAK:
            self.point = None
        elif code == _GPX:
            self.creator = attrs.get("creator")

    def chars(self, data: str) -> None:
        want = self.want
        if want:
            self.want = 0
            if want == _TYPE:
                if self.track_type is None and self.point is None:
                    self.track_type = data.strip()
            elif self.point is not None:
                self.point[want + 1] = data


@dataclass(slots=True)
class _Segment:
    """The points of one track segment, as numbers; ``None`` where a point lacks a value."""

    lats: list[float]
    lons: list[float]
    eles: list[float | None]
    times: list[float | None]
    hrs: list[float | None]


def _segment(points: list[list[str | None]]) -> tuple[_Segment, int | None]:
    columns = list(zip(*points, strict=True)) if points else [()] * 5
    lats, lons, eles = (xmlsafe.floats(c) for c in columns[:3])
    stamps, offset = xmlsafe.times(columns[3])
    placed = [i for i in range(len(lats)) if lats[i] is not None and lons[i] is not None]
    seg = _Segment(
        lats=[lats[i] for i in placed],  # type: ignore[misc]
        lons=[lons[i] for i in placed],  # type: ignore[misc]
        eles=[eles[i] for i in placed],
        times=[stamps[i] for i in placed],
        hrs=xmlsafe.floats(columns[4]),
    )
    return seg, offset


def read_gpx(data: bytes, source_name: str, sha256: str) -> list[Activity]:
    """The activity of a GPX file with a timed track (all tracks and segments together).

    Raises ``NotAnActivity`` for routes, waypoints and tracks without times.
    """
    handler = _Handler()
    parser = xmlsafe.make_parser()
    parser.StartElementHandler = handler.start
    parser.CharacterDataHandler = handler.chars
    xmlsafe.parse(parser, data, "GPX")
    return [_summary(handler, source_name, sha256)]


def _summary(h: _Handler, source_name: str, sha256: str) -> Activity:
    parts = [_segment(points) for points in h.segments]
    segs = [seg for seg, _ in parts]
    times = [t for s in segs for t in s.times if t is not None]
    if len(times) < MIN_TIMED_POINTS:
        raise NotAnActivity("a GPX file without a timed track (a route or a plain path)")
    climbs = [geo.climb_m([e for e in s.eles if e is not None]) for s in segs]
    along = [geo.cumulative_m(s.lats, s.lons) for s in segs]
    hrs = [hr for s in segs for hr in s.hrs if hr is not None and hr > 0]
    has_ele = any(e is not None for s in segs for e in s.eles)
    return Activity(
        start=datetime.fromtimestamp(min(times), tz=UTC),
        sport=normalize_sport(_sport_label(h.track_type)),
        sub_sport=sub_sport_from_label(h.track_type),
        distance_m=sum(c[-1] for c in along if c),
        elapsed_s=max(times) - min(times),
        moving_s=sum(_moving(s, c) for s, c in zip(segs, along, strict=True)),
        ascent_m=sum(c[0] for c in climbs) if has_ele else None,
        descent_m=sum(c[1] for c in climbs) if has_ele else None,
        avg_hr=round(sum(hrs) / len(hrs)) if hrs else None,
        max_hr=round(max(hrs)) if hrs else None,
        has_gps=True,
        device=h.creator,
        utc_offset_s=next((o for _, o in parts if o is not None), None),
        source_sha256=sha256,
        source_name=source_name,
        source_format="gpx",
        summary_source="track",
    )


def _sport_label(label: str | None) -> str | None:
    # Old Strava GPX files number their types; only running and riding matter here.
    return {"9": "running", "1": "cycling"}.get(label or "", label)


def _moving(seg: _Segment, along: list[float]) -> float:
    """Moving time of one segment (``geo.moving_s``), with 3D steps where both points have a
    (non-zero) height, as gpxpy measures them.

    ``along`` is the distance along the segment at each point, reused when every point is
    timed (the usual case).
    """
    timed = [i for i, t in enumerate(seg.times) if t is not None]
    if len(timed) == len(along):
        flat = along
    else:
        flat = geo.cumulative_m([seg.lats[i] for i in timed], [seg.lons[i] for i in timed])
    eles = [seg.eles[i] for i in timed]
    steps = [0.0]
    for i in range(1, len(flat)):
        d = flat[i] - flat[i - 1]
        e1, e2 = eles[i - 1], eles[i]
        steps.append(steps[-1] + (math.hypot(d, e2 - e1) if e1 and e2 else d))
    return geo.moving_s([seg.times[i] for i in timed], steps)  # type: ignore[misc]
