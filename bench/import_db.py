"""End-to-end import, database writes included: `kneecap import --json` on synthetic exports.

Builds (from the shared samples, start times shifted so no two are the same run) a
Strava-style export of 3,000 activities and a Garmin-style export of 3,000 plain FIT files,
imports each into a fresh SQLite data dir, and prints a table: wall time, activities per
second, peak memory of the import process, and that a second import adds nothing.

    .venv/bin/python bench/import_db.py [--count 3000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readers import SAMPLES, build_export, build_garmin_export

KNEECAP = str(Path(sys.executable).with_name("kneecap"))
TARGETS_S = {"strava": 20.0, "garmin": 5.0}  # issue 7 §4


def import_once(export: Path, data_dir: Path, workers: int) -> tuple[float, dict[str, object], int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    env["KNEECAP_DATA_DIR"] = str(data_dir)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not SAMPLES.is_dir():
        sys.exit(f"the sample files are not at {SAMPLES}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        exports = {
            "strava": build_export(root / "strava.zip", args.count),
            "garmin": build_garmin_export(root / "garmin.zip", args.count),
        }
        print(
            f"| export ({args.count} activities) | workers | import s | target s | "
            "activities/s | peak MiB | imported | again: imported / duplicates |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for name, export in exports.items():
            data_dir = root / f"data-{name}"
            migrate = {**os.environ, "KNEECAP_DATA_DIR": str(data_dir)}
            subprocess.run([KNEECAP, "migrate"], env=migrate, check=True, capture_output=True)
            took, report, peak = import_once(export, data_dir, args.workers)
            _, again, _ = import_once(export, data_dir, args.workers)
            rate = report["imported"] / took
            print(
                f"| {name} | {args.workers} | {took:.1f} | {TARGETS_S[name]:.0f} | {rate:,.0f} | "
                f"{peak / 1024:.0f} | {report['imported']} | "
                f"{again['imported']} / {again['duplicates']} |"
            )


if __name__ == "__main__":
    main()
