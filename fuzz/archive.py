"""Fuzz target: whole exports (``kneecap.ingest.archive.iter_archive``) from arbitrary zip bytes.

``iter_archive`` promises one ``FileResult`` per file and never an exception, whatever the
archive holds: nested zips, bombs, damaged directories, odd names. Each input is written to one
scratch file (nothing is ever extracted) and walked to the end under small limits, so that a
bomb is judged in milliseconds and memory stays bounded.
"""

from __future__ import annotations

import os
import tempfile

import atheris
import harness

with atheris.instrument_imports(include=["kneecap"]):
    from kneecap.ingest.archive import iter_archive
    from kneecap.ingest.limits import Limits, MiB
    from kneecap.ingest.results import FileResult

LIMITS = Limits(
    max_file_bytes=4 * MiB,
    max_total_bytes=32 * MiB,
    max_nested_archive_bytes=8 * MiB,
    max_entries=2_000,
    ratio_floor_bytes=64 * 1024,
)
SCRATCH = os.path.join(tempfile.mkdtemp(prefix="kneecap-fuzz-"), "export.zip")


def check(data: bytes) -> None:
    with open(SCRATCH, "wb") as fh:
        fh.write(data)
    for result in iter_archive(SCRATCH, LIMITS):
        if not isinstance(result, FileResult):
            raise AssertionError("iter_archive yielded something other than a FileResult")


if __name__ == "__main__":
    harness.run(check)
