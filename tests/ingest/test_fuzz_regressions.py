"""Every input a fuzzer once crashed the readers with ends as a per-file error now."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneecap.ingest.archive import iter_paths
from kneecap.ingest.results import Status

FOUND = sorted(
    p
    for p in (Path(__file__).resolve().parents[2] / "fuzz" / "regressions").rglob("*")
    if p.is_file()
)


@pytest.mark.parametrize("path", FOUND, ids=[p.name for p in FOUND])
def test_a_fuzzer_find_is_a_clear_error_not_a_crash(path: Path) -> None:
    results = list(iter_paths([path]))
    assert results
    assert all(r.status in (Status.ERROR, Status.SKIPPED) and r.message for r in results)


def test_the_regressions_are_there() -> None:
    assert len(FOUND) >= 4
