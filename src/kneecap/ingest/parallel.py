"""Reading an export on several cores: files are read in worker processes, results come back
in order through a bounded window, so memory stays flat however large the export is."""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kneecap.ingest.archive import Entry, iter_paths, plan, read_entry
from kneecap.ingest.limits import DEFAULT_LIMITS, Limits
from kneecap.ingest.results import FileResult
from kneecap.ingest.store import Store

_Batch = list[Entry | FileResult]
READER_NICENESS = 10


def _read_batch(
    batch: _Batch, limits: Limits, store: Store | None, parent: int
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


def default_workers() -> int:
    """Two reading processes where there are two cores (1.8x one on a Strava-style export)."""
    return min(2, os.cpu_count() or 1)


def iter_parallel(
    paths: Iterable[Path | str],
    *,
    workers: int = 2,
    limits: Limits = DEFAULT_LIMITS,
    store: Store | None = None,
    batch_size: int = 32,
    pool: ReadingPool | None = None,
) -> Iterator[FileResult]:
    """Like ``iter_paths``, with the reading spread over ``workers`` processes (or those of
    ``pool``, started earlier by the caller, who then closes it).

    Results arrive in the same order as ``iter_paths`` gives them. At most ``4 × workers``
    batches are in flight. ``workers <= 1`` without a pool reads in this process. The
    workers keep the originals in ``store`` themselves: only the summaries come back.
    """
    if pool is None and workers <= 1:
        yield from iter_paths(paths, limits, store)
        return
    own = pool is None
    reading = ReadingPool(workers) if pool is None else pool
    pending: deque[tuple[Future[list[FileResult]], _Batch]] = deque()
    try:
        batch: _Batch = []
        for item in _planned(paths, limits):
            batch.append(item)
            if len(batch) >= batch_size:
                pending.append((reading.submit(batch, limits, store), batch))
                batch = []
                while len(pending) >= 4 * reading.workers:
                    yield from _collect(*pending.popleft())
        if batch:
            pending.append((reading.submit(batch, limits, store), batch))
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        if own:
            reading.close()


class ReadingPool:
    """Reading processes, started at once and replaced if one dies, so that the rest of an
    import goes on.

    ``spawn`` starts each from scratch (0.3 s of CPU here), independent of the caller's
    threads and open connections: safe from a web server. ``fork`` copies the caller, ready
    at once: ``kneecap import`` forks before it starts anything else (no thread, no
    connection yet) so that the readers can start reading while Django sets up. A reader
    replaced later is always spawned.
    """

    def __init__(self, workers: int, start_method: str = "spawn") -> None:
        self.workers, self.context = workers, multiprocessing.get_context(start_method)
        self.executor = self._new()
        self.context = multiprocessing.get_context("spawn")  # for replacements

    def _new(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=self.context, initializer=_yield_cpu
        )
        executor.submit(_ready)  # spawns every process now; each imports the readers
        return executor

    def submit(
        self, batch: _Batch, limits: Limits, store: Store | None
    ) -> Future[list[FileResult]]:
        args = (batch, limits, store, os.getpid())
        try:
            return self.executor.submit(_read_batch, *args)
        except BrokenProcessPool:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()
            return self.executor.submit(_read_batch, *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ReadingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def read_ahead(results: Iterator[FileResult], limit: int = 4096) -> Iterator[Iterator[FileResult]]:
    """``results``, consumed on a thread from now on, up to ``limit`` ahead of the caller:
    the reading goes on while the caller starts up. Leaving the block stops the thread."""
    ready: queue.Queue[FileResult | _Done] = queue.Queue(limit)
    stop = threading.Event()

    def produce() -> None:
        done = _Done()
        try:
            for result in results:
                if not _put(ready, result, stop):
                    break
        except BaseException as err:  # handed to the caller, who raises it
            done = _Done(err)
        finally:
            getattr(results, "close", lambda: None)()  # a generator's own clean-up
        _put(ready, done, stop)

    def consume() -> Iterator[FileResult]:
        while not isinstance(item := ready.get(), _Done):
            yield item
        if item.error is not None:
            raise item.error

    thread = threading.Thread(target=produce, name="kneecap-read-ahead", daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        thread.join()


def _put(
    ready: queue.Queue[FileResult | _Done], item: FileResult | _Done, stop: threading.Event
) -> bool:
    """Queue ``item`` unless the consumer has left; whether it was queued."""
    while not stop.is_set():
        try:
            ready.put(item, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False


@dataclass(frozen=True, slots=True)
class _Done:
    error: BaseException | None = None


def _yield_cpu() -> None:
    """Readers run at a lower priority: an import never starves the pages being served (on
    an otherwise idle machine it changes nothing)."""
    os.nice(READER_NICENESS)


def _ready() -> None:
    """Nothing: unpickling this function in a new process imports the readers."""


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
