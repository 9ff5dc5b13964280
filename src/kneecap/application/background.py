"""Work that ``kneecap worker`` runs on a thread beside its task queue (the watched folder,
the reminder sweep)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def on_thread(name: str, work: Callable[[threading.Event], None]) -> Iterator[threading.Thread]:
    """Run ``work(stop)`` on a daemon thread while the block runs; leaving the block sets
    ``stop`` and waits up to a minute for ``work`` to finish what it is doing."""
    stop = threading.Event()
    # a daemon: never keeps a stopping worker alive past the join below
    thread = threading.Thread(target=work, args=(stop,), name=name, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=60)
