"""The reference suite: every sample file kneecap ships or uses in tests, read by kneecap and
held against tests/data/reference.json (built by make_reference.py from fitdecode, the
Garmin FIT SDK, gpxpy, tcxreader and the files' own summary messages). Tolerances are in
tests/ingest/reference.py. Files only in ../shared are skipped when it is absent."""

from __future__ import annotations

import pytest

from kneecap.ingest.errors import IngestError, NotAnActivity
from kneecap.ingest.reader import read_bytes
from tests.ingest.reference import path_of, problems, reference


@pytest.mark.parametrize("name", sorted(reference()))
def test_every_reader_agrees_with_the_reference(name: str) -> None:
    path = path_of(name)
    if path is None:
        pytest.skip("only in ../shared/data, which is not present")
    outcome = reference()[name]["outcome"]
    try:
        acts = read_bytes(path.read_bytes(), name)
    except NotAnActivity:
        assert outcome == "skipped", f"{name} was skipped, the reference says {outcome}"
        return
    except IngestError as err:
        assert outcome == "error", f"{name}: {err}; the reference says {outcome}"
        return
    assert not problems(acts, name), f"{name}: {'; '.join(problems(acts, name))}"


# The moving-time rule (docs/import.md) against the watch's own timer, on the shared FIT files
# whose watch paused: rebuilt from their records, it must land within 5 % of the timer.
PAUSED = [
    "fitparse__2015-10-13-08-43-15.fit",
    "fitparse__2019-02-17-062644-ELEMNT-297E-195-0.fit",
    "fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit",
    "fitparse__garmin-edge-500-activity.fit",
    "fitparse__sample-activity.fit",
    "sweatpy__2020-06-01-16-52-40.fit",
    "togeojson__run.fit",
    "tormoder__garmin.fit",
    "tormoder__mornindew-broken.fit",
]


@pytest.mark.parametrize("name", PAUSED)
def test_the_moving_time_rule_agrees_with_the_watch_timer(name: str) -> None:
    import fitdecode

    from kneecap.ingest.geo import moving_s

    path = path_of(name)
    if path is None:
        pytest.skip("only in ../shared/data, which is not present")
    times, along, timer = [], [], None
    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                when = frame.get_value("timestamp")
                distance = frame.get_value("distance", fallback=None)
                times.append(when.timestamp())
                along.append(distance if distance is not None else (along or [0.0])[-1])
            elif isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                timer = frame.get_value("total_timer_time")
    assert timer is not None
    assert moving_s(times, along) == pytest.approx(timer, rel=0.05)


def test_a_gpx_export_with_a_pause_agrees_with_the_watch_timer() -> None:
    """The GPX export (Garmin Connect) of a ride paused 32 s by hand, against its FIT file."""
    gpx, fit = (
        path_of("sweatpy__activity_5039744860.gpx"),
        path_of("sweatpy__2020-06-01-16-52-40.fit"),
    )
    if gpx is None or fit is None:
        pytest.skip("only in ../shared/data, which is not present")
    (from_gpx,) = read_bytes(gpx.read_bytes(), gpx.name)
    (from_fit,) = read_bytes(fit.read_bytes(), fit.name)
    assert from_fit.moving_s == pytest.approx(93.7)
    assert from_gpx.moving_s == pytest.approx(from_fit.moving_s, rel=0.03)
