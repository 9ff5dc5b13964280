"""Run every fuzz target for a bounded time: ``python fuzz/run.py --seconds 60 [target…]``.

Each target runs in its own process under libFuzzer with a per-input time limit and a memory
ceiling; the working corpus (what the fuzzer learnt) and any crashing input go under
``var/fuzz/``. Exits non-zero when a target found a crash, a hang or a memory blow-up.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from harness import REPO
from seeds import write_seeds

TARGETS = ("fit", "gpx", "tcx", "archive")
WORK = REPO / "var" / "fuzz"


def fuzz(target: str, seconds: int, seeds: str, timeout: int, rss_mb: int) -> int:
    corpus, crashes = WORK / "corpus" / target, WORK / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(REPO / "fuzz" / f"{target}.py"),
        str(corpus),  # first folder: new inputs are added here
        seeds,
        f"-max_total_time={seconds}",
        f"-timeout={timeout}",  # one input taking longer is a hang
        f"-rss_limit_mb={rss_mb}",  # the process growing past this is a memory blow-up
        f"-malloc_limit_mb={rss_mb}",
        f"-artifact_prefix={crashes}/{target}-",
        "-print_final_stats=1",
    ]
    started = time.monotonic()
    code = subprocess.run(command, check=False).returncode  # noqa: S603
    print(f"== {target}: exit {code} after {time.monotonic() - started:.0f} s")  # noqa: T201
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("targets", nargs="*", help=f"some of {', '.join(TARGETS)} (default all)")
    parser.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    parser.add_argument("--timeout", type=int, default=5, help="seconds for one input")
    parser.add_argument("--rss-mb", type=int, default=1024, help="memory ceiling per target")
    args = parser.parse_args()
    if unknown := set(args.targets) - set(TARGETS):
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    seeds = write_seeds(WORK / "seeds")
    failed = [
        t
        for t in args.targets or TARGETS
        if fuzz(t, args.seconds, str(seeds[t]), args.timeout, args.rss_mb) != 0
    ]
    if failed:
        print(f"fuzzing found problems in: {', '.join(failed)} (inputs in {WORK / 'crashes'})")  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
