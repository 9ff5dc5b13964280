from __future__ import annotations

import os
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.utils import ConnectionHandler
from django.utils import timezone

from kneecap.application import cache as revision
from kneecap.web import config

pytestmark = pytest.mark.django_db


def test_it_runs_on_the_database_the_environment_names() -> None:
    url = os.environ.get("KNEECAP_DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
def test_it_turns_on_foreign_keys_on_sqlite() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def _opened(settings_dict: dict[str, Any]) -> Any:
    return ConnectionHandler({"default": dict(settings_dict)})["default"]


def test_sqlite_writers_queue_and_commit_or_rollback_lets_the_next_one_in(tmp_path: Path) -> None:
    """kneecap.web.sqlite: a transaction holds the writers' lock file from BEGIN to its end."""
    settings_dict = config.sqlite(tmp_path / "queue.sqlite3")
    first = _opened(settings_dict)
    first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert first._writer_fd is not None
    waited: list[float] = []

    def second_writer() -> None:
        second = _opened(settings_dict)
        started = time.monotonic()
        second.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        waited.append(time.monotonic() - started)
        second.rollback()
        second.set_autocommit(True)
        assert second._writer_fd is None
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    assert not waited  # still queued behind the open transaction
    first.commit()
    first.set_autocommit(True)
    assert first._writer_fd is None
    thread.join(timeout=10)
    assert waited and waited[0] >= 0.3
    first.close()


def test_requests_missing_the_same_report_compute_it_once() -> None:
    cache.clear()
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        time.sleep(0.2)  # long enough for the others to miss the cache too
        return "report"

    stored = SimpleNamespace(user_id=1, updated_at=timezone.now())
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(revision.memo("t", stored, date.today(), compute))  # type: ignore[arg-type]
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results == ["report"] * 4 and len(calls) == 1


def test_a_kept_value_computed_inside_another_does_not_wait_on_its_own_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The plan needs the report: both keys on one stripe must not wait FLIGHT_WAIT_S."""
    cache.clear()
    monkeypatch.setattr(revision, "FLIGHT_STRIPES", 1)
    monkeypatch.setattr(revision, "FLIGHT_WAIT_S", 30.0)
    stored = SimpleNamespace(user_id=1, updated_at=timezone.now())
    today = date.today()

    def outer() -> str:
        return "plan from " + revision.memo("inner", stored, today, lambda: "report")  # type: ignore[arg-type]

    started = time.monotonic()
    assert revision.memo("outer", stored, today, outer) == "plan from report"  # type: ignore[arg-type]
    assert time.monotonic() - started < 5


def test_a_kept_none_is_computed_once() -> None:
    """No check-in due, no plan: None is a value, not a miss."""
    cache.clear()
    calls: list[int] = []
    stored = SimpleNamespace(user_id=1, updated_at=timezone.now())

    def compute() -> None:
        calls.append(1)

    for _ in range(3):
        assert revision.memo("none", stored, date.today(), compute) is None  # type: ignore[arg-type]
    assert len(calls) == 1


def test_a_process_serves_a_value_it_read_without_the_shared_cache() -> None:
    """A key names one stamp, so its value never changes: the process keeps what it read."""
    cache.clear()
    stored = SimpleNamespace(user_id=1, updated_at=timezone.now())
    today = date.today()
    first = revision.memo("page", stored, today, lambda: ["rendered"])  # type: ignore[arg-type]
    cache.clear()  # another machine's cache, say: this process still has it
    again = revision.memo("page", stored, today, lambda: ["other"])  # type: ignore[arg-type]
    assert again is first
    moved = SimpleNamespace(user_id=1, updated_at=timezone.now() + timedelta(seconds=1))
    assert revision.memo("page", moved, today, lambda: ["new"]) == ["new"]  # type: ignore[arg-type]


def test_the_process_keeps_only_the_latest_values() -> None:
    recent = revision._Recent(2)
    for key in "abc":
        recent.put(key, key.upper())
    assert recent.get("a") is revision._MISSING
    assert (recent.get("b"), recent.get("c")) == ("B", "C")
