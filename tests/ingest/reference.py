"""The reference suite's data (tests/data/reference.json, built by make_reference.py) and
the comparison of a reader's activities with it, shared by the test and bench/readers.py.

Tolerances: start 1 s; distance 0.5 % (at least 0.5 m: kneecap's haversine and gpxpy's
formula differ by about 0.1 %); elapsed 1 s; moving time 1 s where the file gives it
(session, activity timer, laps) and 2 % (at least 2 s) where it comes from the moving-time
rule over track points or records; average heart rate 1 bpm; the number of activities
exactly.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from kneecap.core.activity import Activity

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
REFERENCE = DATA / "reference.json"
SHARED = REPO.parent / "shared" / "data" / "activities"


@cache
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text())
    return data


def path_of(name: str) -> Path | None:
    """Where a reference file is on this machine: shipped in tests/data, or in ../shared."""
    for where in reference()[name]["where"]:
        folder = DATA if where == "tests/data" else SHARED / where.split("/", 1)[1]
        if (folder / name).is_file():
            return folder / name
    return None


def _close(key: str, mine: float | None, ref: float | None, rule: bool) -> bool:
    if mine is None or ref is None:
        return mine is None and ref is None
    if key == "distance_m":
        return abs(mine - ref) <= max(0.5, 0.005 * abs(ref))
    if key == "moving_s" and rule:
        return abs(mine - ref) <= max(2.0, 0.02 * abs(ref))
    return abs(mine - ref) <= 1


def problems(acts: list[Activity], name: str) -> list[str]:
    """How a reader's activities differ from the reference (nothing when they agree)."""
    expected = reference()[name]["activities"]
    if len(acts) != len(expected):
        return [f"{len(acts)} activities, the reference has {len(expected)}"]
    found = []
    for i, (act, ref) in enumerate(zip(acts, expected, strict=True)):
        start = datetime.fromisoformat(ref["start"].replace("Z", "+00:00"))
        if abs((act.start - start).total_seconds()) > 1:
            found.append(f"#{i} start {act.start.isoformat()} != {ref['start']}")
        for key in ("distance_m", "elapsed_s", "moving_s", "avg_hr"):
            rule = "rule" in ref["sources"][key]["from"]
            if not _close(key, getattr(act, key), ref[key], rule):
                found.append(f"#{i} {key} {getattr(act, key)} != {ref[key]}")
    return found
