"""Activity file readers (FIT, GPX, TCX, gzipped or not) and export archives. No Django.

The API the import command and the web upload build on:

* ``read_bytes(data, name)`` → ``list[Activity]`` for one file's bytes; raises only
  ``IngestError`` (``NotAnActivity`` for valid files that hold no activity);
* ``iter_archive(path)`` / ``iter_paths(paths)`` → one ``FileResult`` per file found in a
  file, a folder or a zip (Strava and Garmin exports included), in a stable order;
* ``iter_parallel(paths, workers=2)`` → the same results, read in worker processes;
* ``Limits`` / ``DEFAULT_LIMITS`` bound sizes, counts, ratios and nesting.
"""

from __future__ import annotations

from kneecap.ingest.archive import iter_archive, iter_paths
from kneecap.ingest.errors import (
    CorruptFile,
    IngestError,
    LimitExceeded,
    NotAnActivity,
    UnsafeInput,
    UnsupportedFile,
)
from kneecap.ingest.limits import DEFAULT_LIMITS, Limits
from kneecap.ingest.parallel import iter_parallel
from kneecap.ingest.reader import Format, read_bytes, sniff
from kneecap.ingest.results import FileResult, Status

__all__ = [
    "DEFAULT_LIMITS",
    "CorruptFile",
    "FileResult",
    "Format",
    "IngestError",
    "LimitExceeded",
    "Limits",
    "NotAnActivity",
    "Status",
    "UnsafeInput",
    "UnsupportedFile",
    "iter_archive",
    "iter_parallel",
    "iter_paths",
    "read_bytes",
    "sniff",
]
