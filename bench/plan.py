"""How long `kneecap plan` takes to generate 4, 16 and 52 weeks (issue 4: 16 weeks well under 1 s).

Run: .venv/bin/python bench/plan.py  (prints a table of medians: the planner alone, and the
whole command in a fresh process, Python start-up included)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kneecap.core.catalog import load_catalog
from kneecap.core.planning import generate_plan
from kneecap.core.profile import Profile, parse_profile

RUNS = 15
PROFILE = {
    "start_date": "2026-03-02",
    "runs": {
        "mon": {"kind": "rest"},
        "tue": {"kind": "quality", "minutes": 60},
        "wed": {"kind": "easy", "minutes": 45},
        "thu": {"kind": "quality", "minutes": 50},
        "fri": {"kind": "rest"},
        "sat": {"kind": "easy", "minutes": 30},
        "sun": {"kind": "long", "minutes": 85},
    },
    "races": [{"date": "2026-06-14", "priority": "A"}, {"date": "2026-10-04", "priority": "B"}],
    "equipment": ["wall", "stairs", "mat", "rail", "heel-block", "band", "dumbbells", "sled"],
    "sessions_per_week": 2,
    "minutes_per_session": 40,
    "experience": "intermediate",
}


def time_plan(profile: Profile) -> tuple[float, int]:
    """Median milliseconds over RUNS plans, catalog loaded as the CLI does; and the sessions."""
    catalog = load_catalog()
    times, sessions = [], 0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        plan = generate_plan(profile, catalog)
        times.append((time.perf_counter() - t0) * 1000)
        sessions = sum(1 for _ in plan.sessions())
    return statistics.median(times), sessions


def main() -> int:
    print(f"kneecap plan generation, median of {RUNS} runs")
    print(f"{'weeks':>5}  {'sessions':>8}  {'planner ms':>10}  {'whole command ms':>16}")
    for weeks in (4, 16, 52):
        data = {**PROFILE, "weeks": weeks}
        ms, sessions = time_plan(parse_profile(data))
        print(f"{weeks:>5}  {sessions:>8}  {ms:>10.1f}  {time_command(data):>16.0f}")
    return 0


def time_command(data: dict[str, object]) -> float:
    """Median milliseconds of `kneecap plan --profile FILE --json`, Python start-up included."""
    kneecap = str(Path(sys.executable).with_name("kneecap"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "profile.json"
        path.write_text(json.dumps(data))
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(
                [kneecap, "plan", "--profile", str(path), "--json"], check=True, capture_output=True
            )
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
