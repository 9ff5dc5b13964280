"""Importing activity files into a runner's history: readers in, rows and stored files out.

Crash safety: each original file is written to a temporary name and renamed into place
(content-addressed, so a repeat is harmless) before the rows that point at it are committed
in one transaction per batch. A crash leaves at worst a stored file no row refers to, and
``sweep`` (run when an import starts) removes those and any temporary files. Imports hold a
shared lock on the files folder while they run; the sweep runs only when it can take the lock
alone, so it never touches a file another import is still writing.
"""

from __future__ import annotations

import bisect
import fcntl
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from kneecap.core.activity import SAME_RUN_START_S, same_run
from kneecap.core.activity import Activity as Record
from kneecap.ingest.results import FileResult, Status
from kneecap.web.runs.models import Activity
from kneecap.web.training import revision

BATCH = 200


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    files: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "errors": self.errors,
            "activities": [activity_dict(a) for a in self.activities],
        }


def activity_dict(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "start": a.start.isoformat().replace("+00:00", "Z"),
        "sport": a.sport,
        "distance_m": a.distance_m,
        "elapsed_s": a.elapsed_s,
        "moving_s": a.moving_s,
        "ascent_m": a.ascent_m,
        "descent_m": a.descent_m,
        "avg_hr": a.avg_hr,
        "max_hr": a.max_hr,
        "has_gps": a.has_gps,
        "source": a.source,
    }


class _Known:
    """The owner's activities by start time, to find the same run from another source."""

    def __init__(self, owner: Any) -> None:
        rows = Activity.objects.filter(owner=owner).values_list(
            "start", "distance_m", "source_sha256", "source_index"
        )
        pairs = sorted((start.timestamp(), dist or 0.0) for start, dist, _, _ in rows)
        self.starts = [p[0] for p in pairs]
        self.distances = [p[1] for p in pairs]
        self.files = {(sha, index) for _, _, sha, index in rows if sha}

    def seen(self, record: Record) -> bool:
        if (record.source_sha256, record.session_index) in self.files:
            return True
        t = record.start.timestamp()
        lo = bisect.bisect_left(self.starts, t - SAME_RUN_START_S)
        hi = bisect.bisect_right(self.starts, t + SAME_RUN_START_S)
        return any(same_run(record, _at(self.starts[i], self.distances[i])) for i in range(lo, hi))

    def add(self, record: Record) -> None:
        t = record.start.timestamp()
        i = bisect.bisect(self.starts, t)
        self.starts.insert(i, t)
        self.distances.insert(i, record.distance_m or 0.0)
        self.files.add((record.source_sha256, record.session_index))


def _at(ts: float, distance: float) -> Record:
    """A stored activity reduced to what ``same_run`` compares."""
    return Record(datetime.fromtimestamp(ts, UTC), "running", "", "", distance_m=distance)


def files_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def stored_path(data: bytes, owner_id: int, sha256: str, fmt: str) -> str:
    """Where an original is kept, relative to MEDIA_ROOT: per owner, by content."""
    suffix = ".gz" if data[:2] == b"\x1f\x8b" else ""
    return str(Path("activities") / str(owner_id) / f"{sha256}.{fmt or 'bin'}{suffix}")


def store_file(owner_id: int, data: bytes, sha256: str, fmt: str) -> str:
    """Keep the original as it came (gzipped or not); returns the path relative to
    MEDIA_ROOT. Not compressing here: gzip took three quarters of a whole import."""
    relative = stored_path(data, owner_id, sha256, fmt)
    _write(files_root() / relative, data)
    return relative


def _write(final: Path, data: bytes) -> None:
    if final.exists():
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.parent / f".tmp-{uuid.uuid4().hex}"
    with open(temp, "wb") as fh:
        fh.write(data)
    os.replace(temp, final)  # durable before its rows commit: see _commit's os.sync()


def _row(owner: Any, record: Record, file: str) -> Activity:
    return Activity(
        owner=owner,
        start=record.start,
        utc_offset_s=record.utc_offset_s,
        sport=record.sport[:40],
        name=(record.name or "")[:200],
        distance_m=record.distance_m,
        elapsed_s=record.elapsed_s,
        moving_s=record.moving_s,
        ascent_m=record.ascent_m,
        descent_m=record.descent_m,
        avg_hr=record.avg_hr,
        max_hr=record.max_hr,
        has_gps=record.has_gps,
        device=(record.device or "")[:120],
        source=record.source_format or "file",
        source_sha256=record.source_sha256,
        source_index=record.session_index,
        file=file,
    )


Progress = Callable[[ImportReport, str], None]


@dataclass
class _Batch:
    rows: list[Activity] = field(default_factory=list)
    writes: list[Future[None]] = field(default_factory=list)


def import_results(
    owner: Any, results: Iterable[FileResult], progress: Progress | None = None
) -> ImportReport:
    """Store every new activity; count duplicates, skips and per-file errors.

    Creating thousands of files is the slowest part on a real disk (about 0.5-0.8 ms each
    here, whatever their size), so one thread writes the originals while this one goes on
    reading; a batch's rows are committed once its files are all written, one batch behind.
    """
    report, known = ImportReport(), _Known(owner)
    batches: deque[_Batch] = deque([_Batch()])
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kneecap-store") as writer:
        for result in results:
            report.files += 1
            if result.status is Status.SKIPPED:
                report.skipped += 1
            elif result.status is Status.ERROR:
                report.errors.append({"file": result.name, "error": result.message})
            else:
                _accept(owner, result, known, report, batches[-1], writer)
            if len(batches[-1].rows) >= BATCH:
                batches.append(_Batch())
                while len(batches) > 2:
                    _commit(batches.popleft(), report)
            if progress is not None:
                progress(report, result.name)
        while batches:
            _commit(batches.popleft(), report)
    return report


def _accept(
    owner: Any,
    result: FileResult,
    known: _Known,
    report: ImportReport,
    batch: _Batch,
    writer: ThreadPoolExecutor,
) -> None:
    for record in result.activities:
        if known.seen(record):
            report.duplicates += 1
            continue
        known.add(record)
        file = ""
        if result.data:
            file = stored_path(result.data, owner.pk, record.source_sha256, record.source_format)
            batch.writes.append(writer.submit(_write, files_root() / file, result.data))
        batch.rows.append(_row(owner, record, file))


def _commit(batch: _Batch, report: ImportReport) -> None:
    for write in batch.writes:
        write.result()  # a failed write (disk full) ends the import before its rows exist
    rows = batch.rows
    if not rows:
        return
    os.sync()  # one flush for the batch's stored files, instead of an fsync per file
    try:
        with transaction.atomic():
            created = Activity.objects.bulk_create(rows)
            revision.touch(rows[0].owner_id)  # bulk inserts send no signal
    except IntegrityError:  # another import stored some of these meanwhile: one by one
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
                created.append(row)
            except IntegrityError:
                report.duplicates += 1
    report.imported += len(created)
    report.activities.extend(created)


@contextmanager
def importing() -> Iterator[None]:
    """Hold the shared import lock; first sweep what a crashed import left, if alone."""
    root = files_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".import.lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another import is running: it swept when it started
        else:
            sweep()
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield


def sweep() -> int:
    """Remove temporary files and stored files no activity refers to (call under the lock)."""
    root = files_root() / "activities"
    if not root.is_dir():
        return 0
    referenced = set(Activity.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and str(path.relative_to(files_root())) not in referenced:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
