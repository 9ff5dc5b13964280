"""Importing activity files into a runner's history: readers in, rows and stored files out.

Crash safety: the reading processes keep each original in the owner's folder under its
content hash, written to a temporary name and renamed into place (ingest.store), before
the rows that point at it are committed, one transaction per batch after a sync. A crash
leaves at worst a stored file no row refers to, and ``sweep`` (run when an import starts)
removes those and any temporary files. Imports hold a shared lock on the files folder while
they run; the sweep runs only when it can take the lock alone, so it never touches a file
another import is still writing or about to refer to.
"""

from __future__ import annotations

import bisect
import fcntl
import os
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
from kneecap.ingest.parallel import iter_parallel
from kneecap.ingest.results import FileResult, Status
from kneecap.ingest.store import ContentStore, Original
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
    unused: list[str] = field(default_factory=list)  # originals kept only for duplicates

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


def owner_store(owner_id: int) -> ContentStore:
    """Where an owner's originals are kept: ``activities/<owner id>/`` under MEDIA_ROOT."""
    return ContentStore(str(files_root() / "activities" / str(owner_id)))


def _relative(owner_id: int, name: str) -> str:
    return f"activities/{owner_id}/{name}"


def store_file(owner_id: int, data: bytes, sha256: str, fmt: str) -> str:
    """Keep an original as it is (an account import, a backup); its path under MEDIA_ROOT."""
    name, _ = owner_store(owner_id).keep(Original(data), sha256, fmt)
    return _relative(owner_id, name)


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


def reading_processes() -> int:
    """Two reading processes where there are two cores: 1.8x one on a Strava export."""
    return min(2, os.cpu_count() or 1)


def import_paths(
    owner: Any,
    paths: Iterable[Path | str],
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> ImportReport:
    """Read files, folders and exports (on ``workers`` processes) into ``owner``'s history."""
    results = iter_parallel(paths, workers=workers, store=owner_store(owner.pk))
    with importing():
        report = import_results(owner, results, progress)
    if report.unused:
        _when_alone(lambda: _discard(report.unused))
    return report


def import_results(
    owner: Any, results: Iterable[FileResult], progress: Progress | None = None
) -> ImportReport:
    """Store every new activity; count duplicates, skips and per-file errors.

    The kept originals of each batch of rows are made durable by one sync (instead of an
    fsync per file), run on a thread while the next batch is read: a sync flushing a batch's
    files blocked this loop for ~40 ms, with the readers waiting on it. A batch's rows are
    committed once its sync has ended, one batch behind.
    """
    report, known = ImportReport(), _Known(owner)
    rows: list[Activity] = []
    syncing: deque[tuple[list[Activity], Future[None]]] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kneecap-sync") as syncer:
        for result in results:
            report.files += 1
            if result.status is Status.SKIPPED:
                report.skipped += 1
            elif result.status is Status.ERROR:
                report.errors.append({"file": result.name, "error": result.message})
            else:
                _accept(owner, result, known, report, rows)
            if len(rows) >= BATCH:
                syncing.append((rows, syncer.submit(os.sync)))
                rows = []
                while len(syncing) > 1:
                    _commit(*syncing.popleft(), report)
            if progress is not None:
                progress(report, result.name)
        syncing.append((rows, syncer.submit(os.sync)))
        while syncing:
            _commit(*syncing.popleft(), report)
    return report


def _accept(
    owner: Any, result: FileResult, known: _Known, report: ImportReport, batch: list[Activity]
) -> None:
    file = _relative(owner.pk, result.stored) if result.stored else ""
    used = False
    for record in result.activities:
        if known.seen(record):
            report.duplicates += 1
            continue
        known.add(record)
        batch.append(_row(owner, record, file))
        used = True
    if result.created and not used:
        report.unused.append(file)


def _commit(rows: list[Activity], durable: Future[None], report: ImportReport) -> None:
    durable.result()  # the batch's originals are on disk before any row points at them
    if not rows:
        return
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
    _when_alone(sweep)
    with _lock_file() as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield


@contextmanager
def _lock_file() -> Iterator[Any]:
    root = files_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".import.lock", "a+b") as lock:
        yield lock


def _when_alone(work: Callable[[], object]) -> None:
    """Run ``work`` if no import is running (else a running or later import will)."""
    with _lock_file() as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        work()


def _discard(files: list[str]) -> None:
    """Remove originals this import kept for activities that turned out to be duplicates,
    unless a row refers to them after all (call with the lock held alone)."""
    unique = sorted(set(files))
    referenced: set[str] = set()
    for at in range(0, len(unique), 500):  # SQLite bounds the number of query parameters
        rows = Activity.objects.filter(file__in=unique[at : at + 500])
        referenced.update(rows.values_list("file", flat=True))
    for file in set(unique) - referenced:
        (files_root() / file).unlink(missing_ok=True)


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
