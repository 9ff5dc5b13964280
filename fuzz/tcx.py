"""Fuzz target: the TCX reader (`kneecap.ingest.tcx.read_tcx`) on arbitrary bytes."""

from __future__ import annotations

import atheris
import harness

with atheris.instrument_imports(include=["kneecap"]):
    from kneecap.ingest.tcx import read_tcx


def check(data: bytes) -> None:
    harness.read_or_refuse(read_tcx, data)


if __name__ == "__main__":
    harness.run(check)
