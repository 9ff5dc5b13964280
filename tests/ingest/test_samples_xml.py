"""Every shared GPX and TCX sample against gpxpy and tcxreader (issue 7 §5).
Skipped when ../shared is absent."""

from __future__ import annotations

import io
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from kneecap.ingest.reader import read_bytes
from tests.ingest.samples import check, samples

# --- GPX: gpxpy -------------------------------------------------------------------------------


def gpxpy_summary(path: Path) -> dict[str, Any]:
    import gpxpy

    gpx = gpxpy.parse(io.StringIO(path.read_text(encoding="utf-8", errors="replace")))
    bounds = gpx.get_time_bounds()
    hrs = [
        int(float(el.text))
        for point, *_ in gpx.walk()
        for ext in point.extensions
        for el in ext.iter()
        if el.tag.rsplit("}", 1)[-1] == "hr" and el.text and float(el.text) > 0
    ]
    return {
        "start": bounds.start_time.astimezone(UTC),
        "distance": gpx.length_2d(),
        "elapsed": (bounds.end_time - bounds.start_time).total_seconds(),
        "moving": gpx.get_moving_data().moving_time,
        "avg_hr": sum(hrs) / len(hrs) if hrs else None,
        "max_hr": max(hrs) if hrs else None,
    }


@pytest.mark.parametrize("path", samples("gpx", ".gpx"), ids=lambda p: p.name)
def test_gpx_summaries_match_gpxpy(path: Path) -> None:
    (act,) = read_bytes(path.read_bytes(), path.name)
    check(act, gpxpy_summary(path), path.name)


# --- TCX: tcxreader -----------------------------------------------------------------------


@pytest.mark.parametrize("path", samples("tcx", ".tcx"), ids=lambda p: p.name)
def test_tcx_summaries_match_tcxreader(path: Path) -> None:
    from tcxreader.tcxreader import TCXReader

    ref = TCXReader().read(str(path), only_gps=False)
    (act,) = read_bytes(path.read_bytes(), path.name)
    check(
        act,
        {"start": ref.start_time.astimezone(UTC), "distance": ref.distance,
         "elapsed": ref.duration, "avg_hr": ref.hr_avg, "max_hr": ref.hr_max},
        path.name,
    )  # fmt: skip
