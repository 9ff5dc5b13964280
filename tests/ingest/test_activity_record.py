"""The Activity record and duplicate detection (issue 7 §3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kneecap.core.activity import Activity, dedupe, normalize_sport, same_run, sub_sport_from_label

START = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


def run(start: datetime = START, distance: float | None = 10_000.0, name: str = "a") -> Activity:
    return Activity(start=start, sport="running", source_sha256=name, source_name=name,
                    distance_m=distance)  # fmt: skip


def test_a_watch_file_and_its_strava_copy_are_the_same_run() -> None:
    assert same_run(run(), run(START + timedelta(seconds=59), 10_150.0))


def test_a_start_more_than_a_minute_apart_is_another_run() -> None:
    assert not same_run(run(), run(START + timedelta(seconds=61), name="b"))


def test_a_distance_more_than_two_percent_apart_is_another_run() -> None:
    assert not same_run(run(), run(START, 10_250.0, name="b"))


def test_two_indoor_sessions_without_distance_at_the_same_time_are_one() -> None:
    assert same_run(run(distance=None), run(START + timedelta(seconds=5), distance=None))


def test_two_sessions_of_one_file_are_two_activities_however_close() -> None:
    """A multisport file's ride and run, a minute apart and both without distance."""
    ride, then = run(distance=None), run(START + timedelta(seconds=55), distance=None)
    then = then.with_changes(session_index=1)
    assert not same_run(ride, then) and same_run(ride, ride.with_changes(source_name="copy"))
    assert dedupe([ride, then]) == [ride, then]


def test_dedupe_keeps_the_first_of_each_run_and_every_other_run() -> None:
    items = [
        run(name="watch"),
        run(START + timedelta(days=1), name="next day"),
        run(START + timedelta(seconds=30), 10_100.0, name="strava copy"),
    ]
    assert [a.source_name for a in dedupe(items)] == ["watch", "next day"]


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Activity(start=datetime(2026, 3, 1), sport="running", source_sha256="", source_name="")


def test_the_local_start_uses_the_recorded_offset() -> None:
    act = run().with_changes(utc_offset_s=3600)
    assert act.local_start.hour == 8 and act.local_start.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("label", "sport", "sub"),
    [
        ("Run", "running", None),
        ("TrailRun", "running", "trail"),
        ("VirtualRide", "cycling", "virtual_activity"),
        ("Biking", "cycling", None),
        ("stand_up_paddleboarding", "stand_up_paddleboarding", None),
        ("Weight Training", "training", None),
        (None, "other", None),
    ],
)
def test_sport_labels_from_every_source_share_one_vocabulary(
    label: str | None, sport: str, sub: str | None
) -> None:
    assert (normalize_sport(label), sub_sport_from_label(label)) == (sport, sub)


def test_as_dict_gives_the_import_report_keys() -> None:
    row = run().with_changes(avg_hr=150, has_gps=True).as_dict()
    assert row["start"] == "2026-03-01T07:30:00Z" and row["source"] == "a"
    assert set(row) == {"start", "sport", "distance_m", "elapsed_s", "moving_s", "ascent_m",
                        "descent_m", "avg_hr", "max_hr", "has_gps", "source",
                        "summary_source"}  # fmt: skip
