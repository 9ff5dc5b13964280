"""Shared by the sample tests: where the samples are, the exclusions and the comparison.

Tolerances (issue 7 §5): distance 0.5 %, times 1 s, heart rate 1 bpm. Exclusions, each with
its reason, are listed in ``ELAPSED_EXCLUDED``, ``START_EXCLUDED`` and ``SALVAGED``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kneecap.core.activity import Activity

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "activities"


def samples(folder: str, suffix: str = "") -> list[Path]:
    path = SAMPLES / folder
    return sorted(p for p in path.glob(f"*{suffix}") if p.suffix != ".md") if path.is_dir() else []


# Elapsed time is compared with the reference except where the file itself disagrees with
# a plain last-minus-first reading:
ELAPSED_EXCLUDED = {
    # its last point's time jumps back an hour: gpxpy takes last - first, kneecap the span.
    "gpxpy__first_and_last_elevation.gpx",
    # three tracks recorded on different days, out of order (gpxpy: a negative duration).
    "togeojson__blue_hills.gpx",
    # track points stop before the lap does: kneecap runs to the end of the lap's own time.
    "togeojson__sample.tcx",
    "togeojson__tour_hr.tcx",
}
START_EXCLUDED = {
    # the lap starts 16 minutes before the first track point; kneecap starts with the lap.
    "togeojson__tour_hr.tcx",
    # gpxpy starts at the first point written; kneecap at the earliest time (tracks unordered).
    "togeojson__blue_hills.gpx",
}
# Listed as bad because fitdecode refuses a field declared with a size its type cannot have;
# the Garmin FIT SDK reads it with a valid CRC and no error, and so does kneecap (it reads
# around misdeclared fields). Its summary is checked against the Garmin SDK instead.
SALVAGED = {"fitparse__coros-pace-2-cycling-misaligned-fields.fit"}


def close(mine: float | None, ref: float | None, *, rel: float = 0.0, abs_: float = 0.0) -> bool:
    if mine is None or ref is None:
        return mine is None and not ref
    return abs(mine - ref) <= max(abs_, rel * abs(ref))


def check(act: Activity, ref: dict[str, Any], name: str) -> None:
    problems = []
    if name not in START_EXCLUDED and abs((act.start - ref["start"]).total_seconds()) > 1:
        problems.append(f"start {act.start} != {ref['start']}")
    if not close(act.distance_m, ref.get("distance"), rel=0.005, abs_=0.5):
        problems.append(f"distance {act.distance_m} != {ref.get('distance')}")
    if name not in ELAPSED_EXCLUDED and not close(act.elapsed_s, ref.get("elapsed"), abs_=1):
        problems.append(f"elapsed {act.elapsed_s} != {ref.get('elapsed')}")
    if "moving" in ref and not close(act.moving_s, ref["moving"], abs_=1):
        problems.append(f"moving {act.moving_s} != {ref['moving']}")
    for key in ("avg_hr", "max_hr"):
        if not close(getattr(act, key), ref.get(key), abs_=1):
            problems.append(f"{key} {getattr(act, key)} != {ref.get(key)}")
    assert not problems, f"{name}: {'; '.join(problems)}"
