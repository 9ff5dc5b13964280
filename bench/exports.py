"""How long the exports take for a 16-week plan: the .ics feed, the PDF, one FIT workout.

Run: .venv/bin/python bench/exports.py  (prints medians and sizes; the web views call these
on every request, so each should stay well under a second)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kneecap.core.catalog import load_catalog
from kneecap.core.planning import generate_plan
from kneecap.core.profile import parse_profile
from kneecap.export import plan_to_ics, plan_to_pdf, session_to_fit_workout

RUNS = 9
STATIC = Path(__file__).resolve().parents[1] / "src" / "kneecap" / "web" / "static"
PROFILE = {
    "start_date": "2026-03-02",
    "weeks": 16,
    "runs": {
        "tue": {"kind": "quality", "minutes": 60},
        "wed": {"kind": "easy", "minutes": 45},
        "thu": {"kind": "quality", "minutes": 50},
        "sat": {"kind": "easy", "minutes": 30},
        "sun": {"kind": "long", "minutes": 85},
    },
    "races": [{"date": "2026-06-14", "priority": "A"}],
    "equipment": ["wall", "stairs", "mat", "rail", "heel-block", "band", "dumbbells", "sled"],
    "sessions_per_week": 3,
    "minutes_per_session": 40,
}


def median_ms(make: Callable[[], bytes]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(make())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def main() -> None:
    catalog = load_catalog()
    plan = generate_plan(parse_profile(PROFILE), catalog)
    sessions = list(plan.sessions())
    now = datetime(2026, 3, 1, tzinfo=UTC)
    cases: dict[str, Callable[[], bytes]] = {
        "ics": lambda: plan_to_ics(
            plan, catalog, calendar_name="bench", uid_domain="bench.example", now=now
        ),
        "pdf": lambda: plan_to_pdf(plan, catalog, title="bench", static_root=STATIC),
        "fit": lambda: session_to_fit_workout(sessions[0], catalog, name="bench"),
    }
    print(f"16 weeks, {len(sessions)} sessions; median of {RUNS} runs")
    for name, make in cases.items():
        ms, size = median_ms(make)
        print(f"{name:4} {ms:8.1f} ms {size:9,d} bytes")


if __name__ == "__main__":
    main()
