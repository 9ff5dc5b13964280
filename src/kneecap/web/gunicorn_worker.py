"""gunicorn's threaded worker, leaving new connections to a free process when it is busy.

The processes of a gunicorn server share one listening socket, and a kept-alive connection
stays with the process that accepted it. The stock worker accepts whenever it is under
``worker_connections``, so a burst of new connections splits by chance: 16 clients on two
processes ended 14 to 2 (measured: the 14 waited 86 ms a request, the 2 waited 12 ms, and
/today/ had p99 131 ms at 319 requests/s). A busy process here waits 2 ms per connection it
already holds (at most 50 ms) before it takes a new one, so a free or less loaded process
takes it first. Not taking any while busy starved new connections once every process had
kept-alive work (measured: 10 of 16 clients waited the whole run).
"""

from __future__ import annotations

import socket
import time
from concurrent.futures import Future
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

WAIT_PER_CONNECTION_S = 0.002
WAIT_MAX_S = 0.05
# A wait older than this was for a connection another process took: a new one starts afresh.
STALE_S = 0.25


class BalancedThreadWorker(ThreadWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_flight = 0  # requests handed to the thread pool, not finished (main thread)
        self.waiting_since: float | None = None  # a connection is waiting and we are busy

    def _should_wait(self) -> bool:
        if self.in_flight < self.cfg.threads:
            return False
        now = time.monotonic()
        if self.waiting_since is None or now - self.waiting_since > STALE_S:
            self.waiting_since = now
        return now - self.waiting_since < min(WAIT_MAX_S, WAIT_PER_CONNECTION_S * self.nr_conns)

    def accept(self, listener: socket.socket) -> None:
        if self._should_wait():
            super().set_accept_enabled(False)  # the listener would wake every select
            return
        self.waiting_since = None
        super().accept(listener)  # EAGAIN (another process took it) is handled there

    def set_accept_enabled(self, enabled: bool | None) -> None:
        # the run loop asks again after every finished request
        if enabled and self.waiting_since is not None and self._should_wait():
            return
        super().set_accept_enabled(enabled)

    def enqueue_req(self, conn: TConn) -> None:
        self.in_flight += 1
        super().enqueue_req(conn)

    def finish_request(self, conn: TConn, fs: Future[bool]) -> None:
        self.in_flight -= 1
        super().finish_request(conn, fs)
