"""Seed corpora for the fuzz targets, built from tests/data and the tests' own generators.

Only inputs that once failed are stored (fuzz/regressions/<target>/): they are replayed first
on every run. ``write_seeds(folder)`` writes one sub-folder per target, which
``fuzz/run.py`` hands to libFuzzer next to the growing working corpus.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

from harness import REPO

DATA = REPO / "tests" / "data"
REGRESSIONS = Path(__file__).resolve().parent / "regressions"  # inputs that once failed


def _generated() -> dict[str, list[bytes]]:
    from tests.ingest import fitwriter as fw
    from tests.ingest.test_xml import gpx, tcx

    return {
        "fit": [
            fw.activity(points=12),
            fw.activity(points=8, sessions=[(2, 0, 10.0), (1, 4, 9.0)], big_endian=True),
            fw.activity(points=6, gps=False, with_session=False),
        ],
        "gpx": [gpx(points=12), gpx(points=6, hr=False, offset="+02:00")],
        "tcx": [tcx(laps=1), tcx(laps=3)],
    }


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _archives(readers: dict[str, list[bytes]]) -> list[bytes]:
    """A Strava-like export, a Garmin-like nest of zips, and a plain zip of files."""
    fit, gpx, tcx = readers["fit"][0], readers["gpx"][0], readers["tcx"][0]
    strava = _zip(
        {
            "activities.csv": b"Activity ID,Activity Name,Activity Type,Filename\n"
            b"1,Morning run,Run,activities/1.fit.gz\n2,Hills,TrailRun,activities/2.gpx.gz\n",
            "activities/1.fit.gz": gzip.compress(fit, mtime=0),
            "activities/2.gpx.gz": gzip.compress(gpx, mtime=0),
            "media/photo.jpg": b"\xff\xd8\xff",
        }
    )
    garmin = _zip(
        {"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip": _zip({"a.fit": fit})}
    )
    return [strava, garmin, _zip({"run.tcx": tcx, "run.gpx": gpx})]


def write_seeds(folder: Path) -> dict[str, Path]:
    readers = _generated()
    for path in sorted(DATA.iterdir()):
        if path.suffix.lstrip(".") in readers:
            readers[path.suffix.lstrip(".")].append(path.read_bytes())
    corpora = {**readers, "archive": _archives(readers)}
    for found in sorted(REGRESSIONS.glob("*/*")):
        corpora[found.parent.name].append(found.read_bytes())
    out = {}
    for target, seeds in corpora.items():
        out[target] = folder / target
        out[target].mkdir(parents=True, exist_ok=True)
        for n, seed in enumerate(seeds):
            (out[target] / f"seed-{n:02d}").write_bytes(seed)
    return out
