"""Importing activity files into a runner's history: readers in, rows and stored files out.

Crash safety: the reading processes append each original to a pack of their own, in a
folder the import holds locked while it runs (ingest.store.ImportSpace), before the rows
that point at it (pack, offset, size) are committed, one transaction per batch after a
sync. A crash leaves at worst bytes or a pack no row refers to, and ``sweep`` (run when an
import starts) removes those, files no activity refers to and temporary files. Imports
hold a shared lock on the files folder while they store rows; the sweep runs only when it
can take that lock alone, and leaves every import folder whose lock is held alone, so it
never touches a pack another import (or this one) is still writing or about to refer to.
"""

from __future__ import annotations

import bisect
import fcntl
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from kneecap.application import bulk, tasks
from kneecap.core.activity import SAME_RUN_START_S, same_run
from kneecap.core.activity import Activity as Record
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import Activity
from kneecap.ingest.parallel import iter_parallel
from kneecap.ingest.results import FileResult, Status
from kneecap.ingest.store import LOCK_NAME, PACKS, ContentStore, ImportSpace, Kept, Original, in_use

# Rows are committed in batches of BATCH to BATCH_MAX, at most about once a second (each
# commit waits for its originals' fsync and holds the write lock). The runner's version moves
# once, at the end (``import_results``): moved per batch, the pages read meanwhile recomputed
# after every commit (docs/import.md says what a read during an import shows).
BATCH, BATCH_MAX, COMMIT_EVERY_S = 200, 2000, 1.0
NOTES_MAX = 500  # the report lists this many skipped files and duplicates, then counts
Range = tuple[str, int, int]  # a pack (path under MEDIA_ROOT), an offset and a size in it


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    files: int = 0
    unused: list[Range] = field(default_factory=list)  # originals kept only for duplicates
    # the skipped files and the duplicates, each with why, for the import's report
    notes: list[dict[str, str]] = field(default_factory=list)

    def note(self, kind: str, file: str, reason: str) -> None:
        if len(self.notes) < NOTES_MAX:
            self.notes.append({"kind": kind, "file": file, "error": reason})

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
        "summary_source": a.summary_source,
    }


class _Known:
    """The owner's activities by start time, to find the same run from another source."""

    def __init__(self, owner: User) -> None:
        rows = Activity.objects.filter(owner=owner).values_list(
            "start", "distance_m", "source_sha256", "source_index"
        )
        known = sorted(
            (_at(start, dist, sha, index) for start, dist, sha, index in rows), key=lambda k: k[0]
        )
        self.starts = [k[0] for k in known]
        self.records = [k[1] for k in known]
        self.files = {(sha, index) for _, _, sha, index in rows if sha}

    def seen(self, record: Record) -> bool:
        if (record.source_sha256, record.session_index) in self.files:
            return True
        t = record.start.timestamp()
        lo = bisect.bisect_left(self.starts, t - SAME_RUN_START_S)
        hi = bisect.bisect_right(self.starts, t + SAME_RUN_START_S)
        return any(same_run(record, self.records[i]) for i in range(lo, hi))

    def add(self, record: Record) -> None:
        t = record.start.timestamp()
        i = bisect.bisect(self.starts, t)
        self.starts.insert(i, t)
        self.records.insert(i, record)
        self.files.add((record.source_sha256, record.session_index))


def _at(start: datetime, distance: float | None, sha: str, index: int) -> tuple[float, Record]:
    """A stored activity reduced to what ``same_run`` compares, by start."""
    reduced = Record(start, "running", sha, "", distance_m=distance, session_index=index)
    return start.timestamp(), reduced


def files_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def owner_folder(owner_id: int) -> Path:
    """Where an owner's originals are kept: ``activities/<owner id>/`` under MEDIA_ROOT."""
    return files_root() / "activities" / str(owner_id)


def _relative(owner_id: int, name: str) -> str:
    return f"activities/{owner_id}/{name}"


def store_file(owner_id: int, data: bytes, sha256: str, fmt: str) -> str:
    """Keep an original as a whole file (an account import); its path under MEDIA_ROOT."""
    kept = ContentStore(str(owner_folder(owner_id))).keep(Original(data), sha256, fmt)
    return _relative(owner_id, kept.name)


def original_key(activity: Activity) -> str:
    """What tells kept originals apart: the file, and the range when it is a pack."""
    if activity.file_offset is None:
        return activity.file
    return f"{activity.file}@{activity.file_offset}"


def original_name(activity: Activity) -> str:
    """A file name for the original: as kept for a whole file, else made from its content
    hash and format (a pack holds many)."""
    if activity.file_offset is None:
        return Path(activity.file).name
    return f"{activity.source_sha256}.{activity.source}"


def read_original(activity: Activity) -> bytes:
    """The kept original of an activity, as it was kept (gzip or not); b"" without one."""
    if not activity.file:
        return b""
    with open(files_root() / activity.file, "rb") as handle:
        if activity.file_offset is None:
            return handle.read()
        handle.seek(activity.file_offset)
        return handle.read(activity.file_size or 0)


def _row(owner: User, record: Record, file: str, kept: Kept | None) -> Activity:
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
        summary_source=record.summary_source,
        source_sha256=record.source_sha256,
        source_index=record.session_index,
        file=file,
        file_offset=None if kept is None else kept.offset,
        file_size=None if kept is None or kept.offset is None else kept.size,
    )


Progress = Callable[[ImportReport, str], None]


def import_paths(
    owner: User,
    paths: Iterable[Path | str],
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> ImportReport:
    """Read files, folders and exports into ``owner``'s history on ``workers`` processes."""
    with ImportSpace(files_root()) as space:
        results = iter_parallel(paths, workers=workers, store=space.store)
        return import_read(owner, results, space, progress)


def import_read(
    owner: User, results: Iterable[FileResult], space: ImportSpace, progress: Progress | None = None
) -> ImportReport:
    """Store what readers writing into ``space`` found (``kneecap import`` starts them before
    Django, so that reading and start-up overlap)."""
    with importing():
        report = import_results(owner, results, space.relative, progress)
    if report.unused:
        _when_alone(lambda: _discard(report.unused))
    return report


def import_results(
    owner: User, results: Iterable[FileResult], folder: str, progress: Progress | None = None
) -> ImportReport:
    """Store every new activity; count duplicates, skips and per-file errors.

    The kept originals of each batch of rows are made durable (an fsync per pack, not per
    original) on a thread while the next batch is read: flushing a batch's files blocked
    this loop for ~40 ms, with the readers waiting on it. A batch's rows are committed once
    its flush has ended, one batch behind.
    """
    report, known = ImportReport(), _Known(owner)
    rows: list[Activity] = []
    syncing: deque[tuple[list[Activity], Future[None]]] = deque()
    synced: set[Path] = set()  # folders whose entries were made durable
    closed = time.monotonic()  # when the last batch was closed
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kneecap-sync") as syncer:
        for result in results:
            report.files += 1
            if result.status is Status.SKIPPED:
                report.skipped += 1
                report.note("skipped", result.name, result.message or "not an activity")
            elif result.status is Status.ERROR:
                report.errors.append({"file": result.name, "error": result.message})
            else:
                _accept(owner, result, folder, known, report, rows)
            if len(rows) >= BATCH_MAX or (
                len(rows) >= BATCH and time.monotonic() - closed >= COMMIT_EVERY_S
            ):
                syncing.append((rows, syncer.submit(_durable, rows, synced)))
                rows, closed = [], time.monotonic()
                while len(syncing) > 1:
                    _commit(*syncing.popleft(), report)
            if progress is not None:
                progress(report, result.name)
        syncing.append((rows, syncer.submit(_durable, rows, synced)))
        while syncing:
            _commit(*syncing.popleft(), report)
    if report.imported:
        # Once, at the end: the runner's pages read during an import keep their kept values
        # instead of recomputing them after every batch (issue 15 §3).
        with transaction.atomic():
            tasks.written(owner)
    return report


def _accept(
    owner: User,
    result: FileResult,
    folder: str,
    known: _Known,
    report: ImportReport,
    batch: list[Activity],
) -> None:
    kept = result.kept
    file = f"{folder}/{kept.name}" if kept is not None else ""
    used = False
    for record in result.activities:
        if known.seen(record):
            report.duplicates += 1
            report.note("duplicate", result.name, "this run is already in your history")
            continue
        known.add(record)
        batch.append(_row(owner, record, file, kept))
        used = True
    if kept is not None and kept.offset is not None and not used:
        report.unused.append((file, kept.offset, kept.size))


def _durable(rows: list[Activity], synced: set[Path]) -> None:
    """Flush the files these rows point at, and once the folders that list them: only this
    import's data (``os.sync`` waited for every dirty page of the machine, another
    program's too)."""
    files = {files_root() / row.file for row in rows if row.file}
    for path in sorted(files) + sorted({f.parent for f in files} - synced):
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    synced.update(f.parent for f in files)


def _commit(rows: list[Activity], durable: Future[None], report: ImportReport) -> None:
    durable.result()  # the batch's originals are on disk before any row points at them
    if not rows:
        return
    try:
        with transaction.atomic():
            created = bulk.insert(Activity, rows)
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


def _discard(ranges: list[Range]) -> None:
    """Let go of what this import kept for activities that turned out to be duplicates: a
    pack no row uses is removed, a range no row uses erased (call with the lock held alone)."""
    by_pack: dict[str, list[Range]] = {}
    for item in ranges:
        by_pack.setdefault(item[0], []).append(item)
    for file, unused in by_pack.items():
        used = set(Activity.objects.filter(file=file).values_list("file_offset", flat=True))
        if not used:
            (files_root() / file).unlink(missing_ok=True)
            continue
        for item in unused:
            if item[1] not in used:
                _erase(item)


def delete_activity(activity: Activity) -> None:
    """Delete an activity (call inside a transaction); its original's bytes are erased once
    the deletion has committed."""
    activity.delete()
    transaction.on_commit(lambda: _forget_original(activity))


def _forget_original(row: Activity) -> None:
    """After deleting an activity: erase its bytes in a pack unless another row uses them (a
    multisport file's sessions share theirs). Whole files go with the next sweep."""
    if not (row.file and row.file_offset is not None and row.file_size):
        return
    if not Activity.objects.filter(file=row.file, file_offset=row.file_offset).exists():
        _erase((row.file, row.file_offset, row.file_size))


def _erase(item: Range) -> None:
    """Overwrite a range of a pack with zeros: the original is gone, its neighbours stay."""
    file, offset, size = item
    try:
        fd = os.open(files_root() / file, os.O_WRONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        zeros = bytes(min(size, 1 << 20))
        for at in range(offset, offset + size, len(zeros)):
            os.pwrite(fd, zeros[: offset + size - at], at)
    finally:
        os.close(fd)


def sweep() -> int:
    """Remove what no activity refers to: stored files and temporary files, and the packs of
    imports that are gone (call under the lock, alone). A running import's folder is held."""
    root = files_root()
    referenced = set(Activity.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    whole = root / "activities"
    for path in whole.rglob("*") if whole.is_dir() else ():
        if path.is_file() and str(path.relative_to(root)) not in referenced:
            path.unlink(missing_ok=True)
            removed += 1
    packs = root / PACKS
    for folder in sorted(packs.iterdir()) if packs.is_dir() else ():
        if not folder.is_dir() or in_use(folder):
            continue
        kept = False
        for path in folder.iterdir():
            if path.name == LOCK_NAME:
                continue
            if str(path.relative_to(root)) in referenced:
                kept = True
            else:
                path.unlink(missing_ok=True)
                removed += 1
        if not kept:
            shutil.rmtree(folder, ignore_errors=True)
    return removed
