"""Track arithmetic shared by the readers: great-circle distance, climb, moving time."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
# Moving time (docs/import.md, "Moving time"): slower than 1 km/h is standing (gpxpy's
# threshold), but only a stop of at least 10 s counts, so that a distance that updates every
# other second or one slow GPS step does not eat into a run; a step much longer than the
# recording's usual interval means the watch was paused.
STOPPED_SPEED_MPS = 1000.0 / 3600.0
MIN_STOP_S = 10.0
GAP_MIN_S = 20.0
GAP_FACTOR = 4.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def path_length_m(lats: Sequence[float], lons: Sequence[float]) -> float:
    """Haversine length of a polyline in metres."""
    return cumulative_m(lats, lons)[-1] if len(lats) > 1 else 0.0


def cumulative_m(lats: Sequence[float], lons: Sequence[float]) -> list[float]:
    """Distance from the first point to each point along a polyline (haversine, metres)."""
    if not lats:
        return []
    sin, cos, asin, sqrt = math.sin, math.cos, math.asin, math.sqrt
    k = math.pi / 180.0
    scale = 2 * EARTH_RADIUS_M
    out = [0.0]
    total = 0.0
    p1, l1 = lats[0] * k, lons[0] * k
    c1 = cos(p1)
    for i in range(1, len(lats)):
        p2, l2 = lats[i] * k, lons[i] * k
        c2 = cos(p2)
        a = sin((p2 - p1) / 2) ** 2 + c1 * c2 * sin((l2 - l1) / 2) ** 2
        total += scale * asin(sqrt(a) if a < 1.0 else 1.0)
        out.append(total)
        p1, l1, c1 = p2, l2, c2
    return out


def climb_m(elevations: Sequence[float]) -> tuple[float, float]:
    """Ascent and descent after gpxpy's 0.3/0.4/0.3 smoothing, which damps GPS noise."""
    n = len(elevations)
    if n < 2:
        return 0.0, 0.0
    e = elevations
    smooth = [e[0]] + [0.3 * e[i - 1] + 0.4 * e[i] + 0.3 * e[i + 1] for i in range(1, n - 1)]
    smooth.append(e[-1])
    up = down = 0.0
    for prev, cur in itertools.pairwise(smooth):
        d = cur - prev
        if d > 0:
            up += d
        else:
            down -= d
    return up, down


def moving_s(times: Sequence[float], distances: Sequence[float]) -> float:
    """Seconds of moving in one continuous recording; ``distances`` are cumulative metres.

    A step counts unless it is a recording gap (longer than 20 s and than 4 times the median
    step: the watch was paused) or part of a run of slow steps (under 1 km/h) lasting 10 s or
    more (standing still).
    """
    gap = recording_gap_s(times)
    total = slow = 0.0
    for i in range(1, len(times)):
        dt = times[i] - times[i - 1]
        if dt <= 0:
            continue
        if dt > gap:
            total += slow if slow < MIN_STOP_S else 0.0
            slow = 0.0
        elif distances[i] - distances[i - 1] <= STOPPED_SPEED_MPS * dt:
            slow += dt
        else:
            total += dt + (slow if slow < MIN_STOP_S else 0.0)
            slow = 0.0
    return total + (slow if slow < MIN_STOP_S else 0.0)


def recording_gap_s(times: Sequence[float]) -> float:
    """The step above which a recording was paused: 20 s, or 4 times its median step."""
    steps = sorted(b - a for a, b in itertools.pairwise(times) if b > a)
    if not steps:
        return GAP_MIN_S
    return max(GAP_MIN_S, GAP_FACTOR * steps[len(steps) // 2])
