"""One recorded activity (a run, a ride, a swim…) as kneecap stores it, and duplicate detection.

The readers in ``kneecap.ingest`` produce these from FIT, GPX and TCX files; the web layer
stores them and the load view reads them. Times are UTC-aware; distances in metres.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

# What counts as a run, for the planner, the load view and the safety gate alike: every
# activity whose sport is running, whatever its sub-sport (trail, treadmill, track, virtual).
# Walks, hikes and multisport transitions are activities of their own kind, never runs.
RUNNING = "running"


def is_run(sport: str) -> bool:
    return sport == RUNNING


# Issue 7 §3: the same run seen twice (a watch file and its Strava copy).
SAME_RUN_START_S = 60.0
SAME_RUN_DISTANCE_FRACTION = 0.02


@dataclass(frozen=True, slots=True)
class Activity:
    """The summary of one activity; ``None`` means the file did not record that value."""

    start: datetime  # UTC, timezone-aware
    sport: str  # normalised by ``normalize_sport`` ("running", "cycling", "other"…)
    source_sha256: str  # hash of the activity file's bytes (after gunzip)
    source_name: str  # the file name, or "archive.zip/inner/path.fit.gz"
    distance_m: float | None = None
    elapsed_s: float | None = None  # wall-clock time from start to end
    moving_s: float | None = None  # timer / moving time, pauses excluded
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    has_gps: bool = False
    sub_sport: str | None = None  # "treadmill", "trail", "indoor_cycling"…
    utc_offset_s: int | None = None  # local offset at the start, when the file tells it
    device: str | None = None
    name: str | None = None  # a title given by the user (Strava's activity name)
    source_format: str = ""  # "fit", "gpx" or "tcx"
    session_index: int = 0  # position within a multisport file (one Activity per session)
    # Where the summary came from, for the import report: "session" (a FIT session message),
    # "records" (FIT records: no session, or a session that stopped before them), "laps"
    # (FIT or TCX laps) or "track" (GPX or TCX track points). docs/import.md tells more.
    summary_source: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("Activity.start must be timezone-aware")

    @property
    def local_start(self) -> datetime:
        """The start in the runner's local time when known, otherwise in UTC."""
        if self.utc_offset_s is None:
            return self.start
        return self.start.astimezone(timezone(timedelta(seconds=self.utc_offset_s)))

    def as_dict(self) -> dict[str, Any]:
        """The keys of ``kneecap import --json`` and ``kneecap runs --json`` (issue 7), less
        the database id; the start is ISO 8601 in UTC."""
        return {
            "start": self.start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "sport": self.sport,
            "distance_m": self.distance_m,
            "elapsed_s": self.elapsed_s,
            "moving_s": self.moving_s,
            "ascent_m": self.ascent_m,
            "descent_m": self.descent_m,
            "avg_hr": self.avg_hr,
            "max_hr": self.max_hr,
            "has_gps": self.has_gps,
            "source": self.source_name,
            "summary_source": self.summary_source,
        }

    def with_changes(self, **changes: object) -> Activity:
        return replace(self, **changes)  # type: ignore[arg-type]


def same_run(a: Activity, b: Activity) -> bool:
    """True when two records describe one run: start within 60 s, distance within 2 %.

    Two sessions of one file are two activities whatever their times: a multisport file's
    ride and run may start a minute apart, both without distance.
    """
    if a.source_sha256 and a.source_sha256 == b.source_sha256:
        return a.session_index == b.session_index
    if abs((a.start - b.start).total_seconds()) > SAME_RUN_START_S:
        return False
    da, db = a.distance_m or 0.0, b.distance_m or 0.0
    return abs(da - db) <= SAME_RUN_DISTANCE_FRACTION * max(da, db)


def dedupe(activities: Iterable[Activity]) -> list[Activity]:
    """The activities without repeats; the first of each group of ``same_run`` wins.

    Sorted by start, each activity is only compared with those that started within the
    previous 60 s, so this stays fast for a whole history.
    """
    kept: list[Activity] = []
    for act in sorted(activities, key=lambda a: a.start):
        if not any(same_run(k, act) for k in _recent(kept, act)):
            kept.append(act)
    return kept


def _recent(kept: list[Activity], act: Activity) -> Iterator[Activity]:
    """The kept activities that started at most 60 s before ``act`` (newest first)."""
    for earlier in reversed(kept):
        if (act.start - earlier.start).total_seconds() > SAME_RUN_START_S:
            return
        yield earlier


_SPORT_ALIASES = {
    "run": "running",
    "trailrun": "running",
    "virtualrun": "running",
    "treadmill": "running",
    "ride": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "virtualride": "cycling",
    "ebikeride": "e_biking",
    "mountainbikeride": "cycling",
    "gravelride": "cycling",
    "walk": "walking",
    "hike": "hiking",
    "swim": "swimming",
    "rowing": "rowing",
    "nordicski": "cross_country_skiing",
    "alpineski": "alpine_skiing",
    "backcountryski": "alpine_skiing",
    "weighttraining": "training",
    "workout": "training",
    "crossfit": "training",
    "yoga": "training",
    "generic": "other",
    "": "other",
}
_SUB_SPORT_FROM_NAME = {
    "trailrun": "trail",
    "virtualrun": "virtual_activity",
    "treadmill": "treadmill",
    "virtualride": "virtual_activity",
    "mountainbikeride": "mountain",
    "gravelride": "gravel_cycling",
}


def normalize_sport(raw: str | None) -> str:
    """kneecap's sport name for a FIT, TCX or Strava sport label ("Run" → "running")."""
    key = re.sub(r"[^a-z0-9]", "", (raw or "").lower())
    if key in _SPORT_ALIASES:
        return _SPORT_ALIASES[key]
    return re.sub(r"[^a-z0-9]+", "_", (raw or "").strip().lower()).strip("_") or "other"


def sub_sport_from_label(raw: str | None) -> str | None:
    """The sub-sport a label implies ("TrailRun" → "trail"), or None."""
    return _SUB_SPORT_FROM_NAME.get(re.sub(r"[^a-z0-9]", "", (raw or "").lower()))
