"""Fuzz target: the GPX reader (`kneecap.ingest.gpx.read_gpx`) on arbitrary bytes."""

from __future__ import annotations

import atheris
import harness

with atheris.instrument_imports(include=["kneecap"]):
    from kneecap.ingest.gpx import read_gpx


def check(data: bytes) -> None:
    harness.read_or_refuse(read_gpx, data)


if __name__ == "__main__":
    harness.run(check)
