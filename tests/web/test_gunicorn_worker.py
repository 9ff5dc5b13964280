"""The gunicorn worker's accept policy: a free process takes a new connection at once, a busy
one only after a wait that grows with the connections it holds. The load test
(tests/test_load.py) runs it for real behind gunicorn."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn.workers.gthread import ThreadWorker

from kneecap.web import gunicorn_worker
from kneecap.web.gunicorn_worker import BalancedThreadWorker


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A worker without gunicorn's machinery: accepting and listening are recorded."""
    w = BalancedThreadWorker.__new__(BalancedThreadWorker)
    w.cfg = SimpleNamespace(threads=1)
    w.in_flight, w.waiting_since, w.nr_conns = 0, None, 0
    w.accepted, w.listening = [], []
    monkeypatch.setattr(ThreadWorker, "accept", lambda self, listener: self.accepted.append(1))
    monkeypatch.setattr(
        ThreadWorker, "set_accept_enabled", lambda self, on: self.listening.append(on)
    )
    w.now = 100.0
    monkeypatch.setattr(gunicorn_worker.time, "monotonic", lambda: w.now)
    return w


def test_a_free_process_accepts_at_once(worker: Any) -> None:
    worker.nr_conns = 8
    worker.accept(object())
    assert worker.accepted == [1] and worker.listening == []


def test_a_busy_process_stops_listening_and_waits_by_its_connections(worker: Any) -> None:
    worker.in_flight, worker.nr_conns = 1, 5  # 5 connections: a 10 ms wait
    worker.accept(object())
    assert worker.accepted == [] and worker.listening == [False]
    worker.now += 0.005
    worker.set_accept_enabled(True)  # the run loop asks after a finished request: not yet
    assert worker.listening == [False]
    worker.now += 0.006
    worker.set_accept_enabled(True)
    worker.accept(object())
    assert worker.listening == [False, True] and worker.accepted == [1]
    assert worker.waiting_since is None


def test_the_wait_is_bounded_and_a_stale_one_starts_afresh(worker: Any) -> None:
    worker.in_flight, worker.nr_conns = 1, 1000
    worker.accept(object())
    worker.now += gunicorn_worker.WAIT_MAX_S + 0.001
    worker.accept(object())
    assert worker.accepted == [1]
    worker.in_flight, worker.waiting_since = 1, worker.now - 1.0  # another process took it
    worker.accept(object())
    assert worker.accepted == [1] and worker.waiting_since == worker.now


def test_requests_in_flight_are_counted_through_the_pool(worker: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(ThreadWorker, "enqueue_req", lambda self, conn: None)
    monkeypatch.setattr(ThreadWorker, "finish_request", lambda self, conn, fs: None)
    worker.enqueue_req(object())
    worker.enqueue_req(object())
    worker.finish_request(object(), object())
    assert worker.in_flight == 1


def test_the_server_freezes_what_its_first_requests_built() -> None:
    import gc
    import runpy
    from pathlib import Path

    conf = runpy.run_path(
        str(Path(gunicorn_worker.__file__).with_name("gunicorn.conf.py")), run_name="conf"
    )
    worker = SimpleNamespace()
    gc.unfreeze()
    try:
        for _ in range(conf["FREEZE_AFTER"][0] - 1):
            conf["post_request"](worker, None, None, None)
        assert gc.get_freeze_count() == 0
        conf["post_request"](worker, None, None, None)
        assert gc.get_freeze_count() > 0 and worker.kneecap_served == conf["FREEZE_AFTER"][0]
    finally:
        gc.unfreeze()
