"""Reading an export on several cores: files are read in worker processes, results come back
in order through a bounded window, so memory stays flat however large the export is."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path

from kneecap.ingest.archive import Entry, iter_paths, plan, read_entry
from kneecap.ingest.limits import DEFAULT_LIMITS, Limits
from kneecap.ingest.results import FileResult
from kneecap.ingest.store import ContentStore

_Batch = list[Entry | FileResult]


def _read_batch(
    batch: _Batch, limits: Limits, store: ContentStore | None, parent: int
) -> list[FileResult]:
    results = []
    for item in batch:
        if os.getppid() != parent:  # the importer died: keep nothing it cannot refer to
            break
        results.append(item if isinstance(item, FileResult) else read_entry(item, limits, store))
    return results


def _planned(paths: Iterable[Path | str], limits: Limits) -> Iterator[Entry | FileResult]:
    for path in paths:
        yield from plan(path, limits)


def iter_parallel(
    paths: Iterable[Path | str],
    *,
    workers: int = 2,
    limits: Limits = DEFAULT_LIMITS,
    store: ContentStore | None = None,
    batch_size: int = 8,
    start_method: str = "spawn",
) -> Iterator[FileResult]:
    """Like ``iter_paths``, with the reading spread over ``workers`` processes.

    Results arrive in the same order as ``iter_paths`` gives them. At most ``4 × workers``
    batches are in flight. ``spawn`` keeps workers independent of the caller's threads and
    open connections (safe from a web server). ``workers <= 1`` reads in this process. The
    workers keep the originals in ``store`` themselves: only the summaries come back.
    """
    if workers <= 1:
        yield from iter_paths(paths, limits, store)
        return
    pool = _Pool(workers, multiprocessing.get_context(start_method), limits, store)
    pending: deque[tuple[Future[list[FileResult]], _Batch]] = deque()
    try:
        batch: _Batch = []
        for item in _planned(paths, limits):
            batch.append(item)
            if len(batch) >= batch_size:
                pending.append((pool.submit(batch), batch))
                batch = []
                while len(pending) >= 4 * workers:
                    yield from _collect(*pending.popleft())
        if batch:
            pending.append((pool.submit(batch), batch))
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        pool.close()


class _Pool:
    """Worker processes, replaced if one dies so that the rest of the import goes on."""

    def __init__(
        self, workers: int, context: BaseContext, limits: Limits, store: ContentStore | None
    ) -> None:
        self.workers, self.context, self.limits, self.store = workers, context, limits, store
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context)

    def submit(self, batch: _Batch) -> Future[list[FileResult]]:
        args = (batch, self.limits, self.store, os.getpid())
        try:
            return self.executor.submit(_read_batch, *args)
        except BrokenProcessPool:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()
            return self.executor.submit(_read_batch, *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _collect(future: Future[list[FileResult]], batch: _Batch) -> list[FileResult]:
    try:
        return future.result()
    except BrokenProcessPool:
        # A worker died (killed, out of memory): report its files; the caller may retry them.
        return _failed(batch, "the reading process stopped unexpectedly")
    except Exception as err:  # a slip in a worker must not end the whole import
        return _failed(batch, f"could not be read ({type(err).__name__})")


def _failed(batch: _Batch, message: str) -> list[FileResult]:
    return [
        item if isinstance(item, FileResult) else FileResult.error(item.display, message)
        for item in batch
    ]
