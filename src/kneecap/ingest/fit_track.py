"""FIT record values in time order, and the summary of a stretch of them.

The session message is the device's own summary; the records are read only when a session
lacks something they carry (heart rate, distance) or stops before they do (a watch that
stopped without closing its last lap). Times are FIT seconds.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from operator import itemgetter

from kneecap.ingest import geo

# A source runs past another when it goes on for more than 10 s and 1 % of the other's span:
# records run a second or two past a session that ended normally.
BEYOND_S = 10.0
BEYOND_FRACTION = 0.01


def beyond(extra: float, span: float) -> bool:
    """True when ``extra`` seconds past a span of ``span`` seconds is more than a rounding."""
    return extra > BEYOND_S and extra > BEYOND_FRACTION * span


@dataclass(slots=True)
class Track:
    """Aligned columns, one entry per timed record in time order; None where a record lacks
    the value."""

    times: list[int] = field(default_factory=list)
    distances: list[float | None] = field(default_factory=list)  # cumulative metres
    heart_rates: list[int | None] = field(default_factory=list)
    altitudes: list[float] = field(default_factory=list)
    gps: bool = False


@dataclass(frozen=True, slots=True)
class Stretch:
    """What the records say about the time from ``start`` to ``end``."""

    start: int
    end: int
    distance_m: float | None
    avg_hr: int | None
    max_hr: int | None
    times: list[int]
    along: list[float] | None  # distance covered at each record, for the moving time

    @property
    def moving_s(self) -> float | None:
        """The moving-time rule over these records (docs/import.md), None without distance."""
        return None if self.along is None else geo.moving_s(self.times, self.along)


def stretch(track: Track, start: float, end: float) -> Stretch | None:
    """The records timed from ``start`` to ``end`` (inclusive); None when there are none.

    Distance adds up the increases from the last value before the stretch, so a multisport
    leg that goes on counting from the previous one and a leg that starts again from zero
    both come out right.
    """
    times = track.times
    first, last = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
    if first >= last:
        return None
    hrs = [hr for hr in track.heart_rates[first:last] if hr]
    values = track.distances[first:last]
    if values.count(None) == len(values):  # no distance (only heart rates were decoded)
        distance, along = None, None
    else:
        base = next((d for d in reversed(track.distances[:first]) if d is not None), 0.0)
        distance, along = _covered(values, base)
    return Stretch(
        start=times[first],
        end=times[last - 1],
        distance_m=distance,
        avg_hr=round(sum(hrs) / len(hrs)) if hrs else None,
        max_hr=max(hrs) if hrs else None,
        times=times[first:last],
        along=along,
    )


def _covered(values: list[float | None], base: float) -> tuple[float | None, list[float] | None]:
    """The distance covered, and at each record, counting only increases from ``base``."""
    present = [v for v in values if v is not None]
    if not present:
        return None, None
    if present == sorted(present) and base <= present[0] and len(present) == len(values):
        return present[-1] - base, [v - base for v in present]  # the usual case, in C
    total, last, along = 0.0, base, []
    for v in values:
        if v is not None:
            if v > last:
                total += v - last
            last = v
        along.append(total)
    return total, along


def in_time_order(track: Track) -> Track:
    """The track with its records sorted by time (a few devices write some out of order)."""
    times = track.times
    if times == sorted(times):
        return track
    # the columns gathered by one itemgetter in C (a multisport file's 24,000 records: three
    # list comprehensions took 4 ms)
    gather = itemgetter(*sorted(range(len(times)), key=times.__getitem__))
    track.times = list(gather(times))
    track.distances = list(gather(track.distances))
    track.heart_rates = list(gather(track.heart_rates))
    return track


def whole(track: Track) -> Stretch | None:
    """The stretch of every record."""
    return stretch(track, track.times[0], track.times[-1]) if track.times else None
