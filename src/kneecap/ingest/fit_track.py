"""FIT record values in time order, and the summary of a stretch of them.

The session message is the device's own summary; the records are read only when a session
lacks something they carry (heart rate, distance) or stops before they do (a watch that
stopped without closing its last lap). Times are FIT seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Aligned columns, one entry per timed record; None where a record lacks the value."""

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
    moving_s: float | None
    avg_hr: int | None
    max_hr: int | None


def stretch(track: Track, start: float, end: float) -> Stretch | None:
    """The records timed from ``start`` to ``end`` (inclusive); None when there are none.

    Distance adds up the increases from the last value before the stretch, so a multisport
    leg that goes on counting from the previous one and a leg that starts again from zero
    both come out right.
    """
    idx = [i for i, t in enumerate(track.times) if start <= t <= end]
    if not idx:
        return None
    times = [track.times[i] for i in idx]
    hrs = [hr for i in idx if (hr := track.heart_rates[i])]
    distance, moving = _distance_and_moving(track, idx, times)
    return Stretch(
        start=times[0],
        end=times[-1],
        distance_m=distance,
        moving_s=moving,
        avg_hr=round(sum(hrs) / len(hrs)) if hrs else None,
        max_hr=max(hrs) if hrs else None,
    )


def _distance_and_moving(
    track: Track, idx: list[int], times: list[int]
) -> tuple[float | None, float | None]:
    values = [track.distances[i] for i in idx]
    if all(v is None for v in values):
        return None, None
    before = [d for d in track.distances[: idx[0]] if d is not None]
    last = before[-1] if before else 0.0
    total, filled = 0.0, []
    for v in values:  # only increases count: a leg that starts again from zero adds nothing
        if v is not None:
            total += max(0.0, v - last)
            last = v
        filled.append(total)
    return total, geo.moving_s(times, filled)


def whole(track: Track) -> Stretch | None:
    """The stretch of every record."""
    return stretch(track, track.times[0], track.times[-1]) if track.times else None
