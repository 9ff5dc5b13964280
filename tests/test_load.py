"""The load test in its reduced form: every endpoint answers under load and during an import.

Timing is not asserted here (CI machines vary); ``make load`` runs the full form and
bench/load_results.md holds its numbers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


def test_the_reduced_load_run_has_no_errors() -> None:
    on_postgres = os.environ.get("KNEECAP_DATABASE_URL", "").startswith("postgres")
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), "--quick"]
        + (["--postgres"] if on_postgres else []),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = done.stdout.split("| endpoint |", 1)[1]
    assert "| log a set | 4 |" in table and "| reads during import | 4 |" in table
    assert "errors 0, exit 0" in done.stdout
