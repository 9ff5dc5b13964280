"""End-to-end import, database writes included: `kneecap import --json` on synthetic exports.

Builds (from the shared samples, start times shifted so no two are the same run) a
Strava-style export of 3,000 activities and a Garmin-style export of 3,000 plain FIT files,
imports each into a fresh SQLite data dir, and prints a table: wall time (the best of
``--repeat`` imports, each into a fresh data dir), activities per second, peak memory of the
import process, and that a second import adds nothing. The host's speed per core
(``python -m timeit "sum(range(100))"``) and its load are printed before and after.

    .venv/bin/python bench/import_db.py [--count 3000] [--workers 2] [--repeat 1]
        [--only strava|garmin] [--exports DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readers import SAMPLES, build_export, build_garmin_export

KNEECAP = str(Path(sys.executable).with_name("kneecap"))
TARGETS_S = {"strava": 10.0, "garmin": 3.0}  # issue 15 §3


def import_once(export: Path, data_dir: Path, workers: int) -> tuple[float, dict[str, object], int]:
    env = instance_env(data_dir)
    command = [
        "/usr/bin/time",
        "-f",
        "%M",
        KNEECAP,
        "import",
        str(export),
        "--json",
        "--workers",
        str(workers),
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    took = time.perf_counter() - start
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return took, json.loads(done.stdout), peak_kib


def instance_env(data_dir: Path) -> dict[str, str]:
    """The environment of an installed kneecap: its own data dir, and its bytecode cached (a
    run with PYTHONDONTWRITEBYTECODE compiled every module again: +0.6 s of start-up)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["KNEECAP_DATA_DIR"] = str(data_dir)
    return env


def host() -> str:
    """This core's speed now and the machine's load (other work shares it)."""
    best = min(timeit.repeat("sum(range(100))", number=200_000, repeat=5)) / 200_000
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"`sum(range(100))` {best * 1e6:.2f} µs, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="imports of each; the best kept")
    parser.add_argument("--only", choices=sorted(TARGETS_S), action="append")
    parser.add_argument(
        "--exports", type=Path, help="keep the built exports in this folder (else temporary)"
    )
    args = parser.parse_args()
    if not SAMPLES.is_dir():
        sys.exit(f"the sample files are not at {SAMPLES}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = args.exports or root
        folder.mkdir(parents=True, exist_ok=True)
        builders = {"strava": build_export, "garmin": build_garmin_export}
        exports = {
            name: builders[name](folder / f"{name}-{args.count}.zip", args.count)
            for name in args.only or sorted(TARGETS_S, reverse=True)
        }
        print(f"Before: {host()}\n")
        print(
            f"| export ({args.count} activities) | workers | import s | target s | "
            "activities/s | peak MiB | imported | again: imported / duplicates |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for name, export in exports.items():
            best: tuple[float, dict[str, object], int] | None = None
            for attempt in range(args.repeat):
                data_dir = root / f"data-{name}-{attempt}"
                subprocess.run(
                    [KNEECAP, "migrate"],
                    env=instance_env(data_dir),
                    check=True,
                    capture_output=True,
                )
                took, report, peak = import_once(export, data_dir, args.workers)
                print(f"<!-- {name} #{attempt + 1}: {took:.2f} s -->", flush=True)
                if best is None or took < best[0]:
                    best = (took, report, peak)
            assert best is not None
            took, report, peak = best
            _, again, _ = import_once(export, data_dir, args.workers)
            imported = report["imported"]
            assert isinstance(imported, int)
            print(
                f"| {name} | {args.workers} | {took:.1f} | {TARGETS_S[name]:.0f} | "
                f"{imported / took:,.0f} | {peak / 1024:.0f} | {imported} | "
                f"{again['imported']} / {again['duplicates']} |",
                flush=True,
            )
        print(f"\nAfter: {host()}")


if __name__ == "__main__":
    main()
