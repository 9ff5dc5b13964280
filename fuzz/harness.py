"""What every fuzz target shares: the contract check and the libFuzzer run.

The contract (issue 9 §1): a reader given any bytes either returns activities or raises an
``IngestError`` subclass; any other exception is a crash. Hangs and memory blow-ups are caught
by libFuzzer itself, with the per-input ``-timeout`` and the ``-rss_limit_mb`` that
``fuzz/run.py`` passes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]  # kneecap, and tests/ for the seed generators


def run(check: Callable[[bytes], None]) -> None:
    """Fuzz ``check`` with the arguments libFuzzer was given (corpus dirs, -max_total_time…)."""
    import atheris

    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


def read_or_refuse(reader: Callable[[bytes, str, str], list[object]], data: bytes) -> None:
    """Call one reader directly (not through ``read_bytes``, whose last guard hides slips)."""
    from kneecap.core.activity import Activity
    from kneecap.ingest.errors import IngestError

    try:
        result = reader(data, "fuzz", "")
    except IngestError:
        return
    if not all(isinstance(a, Activity) for a in result):
        raise AssertionError("a reader returned something other than activities")
