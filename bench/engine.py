"""How long the progression engine takes to replay a runner's whole history (issue 13 §3:
five years, about 520 sessions of 4 exercises, in 10 ms or less in-process).

Run: .venv/bin/python bench/engine.py [--repeat N]

The log is made as ``bench/seed_history.py`` seeds the load test's runner, without a
database: two strength sessions a week of four exercises, and a morning check-in after each.
It prints, per history length: the sessions and exercise entries, the time to parse the
log from its JSON shape (``parse_log``, once per request when the log comes from a file or
the API), and the replay (``progress`` on the parsed log), each the best of many runs in one
process (the shared host's speed changes from second to second, so the replay runs N times
spread over a few seconds); and the host's speed (``sum(range(100))`` in µs, as the other
benches report it) before and after.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import timeit
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from seed_history import PROFILE, STRENGTH_DAYS, _days, session_payload  # bench/ is on the path

from kneecap.core.catalog import load_catalog
from kneecap.core.log import TrainingLog, parse_log
from kneecap.core.profile import parse_profile
from kneecap.core.progression import context_from_profile, progress

TODAY = date(2026, 3, 2)  # a Monday; fixed so every run replays the same history
YEARS = (1, 2, 5)


def history(years: int, today: date = TODAY) -> dict[str, Any]:
    """``years`` of sessions ending yesterday, with the next morning's check-in of each."""
    first = today - timedelta(days=365 * years)
    rng = random.Random(9)
    sessions = [session_payload(d, rng) for d in _days(first, today, STRENGTH_DAYS)]
    checkins = [
        {"date": (date.fromisoformat(s["date"]) + timedelta(days=1)).isoformat(), "pain": 0}
        | {"stiffness": 1}
        for s in sessions
        if date.fromisoformat(s["date"]) + timedelta(days=1) < today
    ]
    return {"sessions": sessions, "checkins": checkins}


def best_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)


def core_speed() -> float:
    """Microseconds for ``sum(range(100))``, best of 5."""
    return min(timeit.Timer("sum(range(100))").repeat(5, 100_000)) / 100_000 * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="replays per figure (best kept)")
    parser.add_argument("--parses", type=int, default=10, help="parses per figure (best kept)")
    args = parser.parse_args()
    catalog = load_catalog()
    start = TODAY - timedelta(days=5 * 365)
    profile = parse_profile({**PROFILE, "start_date": start.isoformat()})
    speed = core_speed()
    print(f"Progression engine, in-process: parse best of {args.parses}, replay of {args.repeat}")
    print(f"Host: {os.cpu_count()} cores, load average {_load()}, `sum(range(100))` {speed:.2f} µs")
    print()
    print("| years | sessions | entries | parse ms | replay ms |")
    print("|---:|---:|---:|---:|---:|")
    for years in YEARS:
        data = history(years)
        log: TrainingLog = parse_log(data)
        ctx = context_from_profile(profile, TODAY, pins=log.pins)
        parse = best_ms(lambda data=data: parse_log(data), args.parses)
        replay = best_ms(lambda log=log, ctx=ctx: progress(catalog.get, log, ctx), args.repeat)
        entries = sum(len(s.exercises) for s in log.sessions)
        print(f"| {years} | {len(log.sessions)} | {entries} | {parse:.1f} | {replay:.1f} |")
    print(f"\nHost speed after the run: `sum(range(100))` {core_speed():.2f} µs")
    return 0


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
