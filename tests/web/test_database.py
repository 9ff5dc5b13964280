from __future__ import annotations

import os
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler
from django.utils import timezone

from kneecap import config
from kneecap.application import cache
from kneecap.db.accounts.models import RunnerProfile

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


def _runner(alice: Any) -> Any:
    RunnerProfile.objects.create(user=alice, data={}, onboarded_at=timezone.now())
    return alice


def test_a_kept_value_is_computed_once_per_version(alice: Any) -> None:
    runner, today, calls = _runner(alice), date.today(), []

    def compute() -> list[str]:
        calls.append(1)
        return ["report"]

    first = cache.kept(runner, "t", today, compute)
    assert cache.kept(runner, "t", today, compute) is first  # the object itself: no pickling
    cache.changed(runner.pk)
    assert cache.kept(runner, "t", today, compute) == ["report"] and len(calls) == 2
    assert cache.kept(runner, "t", today + timedelta(days=1), compute) and len(calls) == 3


def test_a_kept_none_is_computed_once(alice: Any) -> None:
    """No check-in due, no plan: None is a value, not a miss."""
    runner, calls = _runner(alice), []
    for _ in range(3):
        assert cache.kept(runner, "none", date.today(), lambda: calls.append(1)) is None
    assert len(calls) == 1


def test_nothing_is_kept_for_a_runner_without_a_profile(alice: Any) -> None:
    calls: list[int] = []
    for _ in range(2):
        cache.kept(alice, "x", date.today(), lambda: calls.append(1))
    assert len(calls) == 2


def test_every_write_of_the_application_moves_the_version(alice: Any) -> None:
    """One mechanism, no signals: the use cases move the version in their transaction."""
    from kneecap.application import record
    from kneecap.core import log as core

    runner, today = _runner(alice), timezone.localdate()
    seen = {cache.version_of(runner)}
    record.record_checkin(runner, core.Checkin(today, 1), today)
    seen.add(cache.version_of(runner))
    record.record_session(runner, core.SessionLog(today - timedelta(days=1)), today)
    seen.add(cache.version_of(runner))
    assert len(seen) == 3


def test_a_filter_of_any_shape_makes_a_valid_key(alice: Any) -> None:
    runner = _runner(alice)
    odd = "runs:\x00 \n" + "x" * 3000
    assert cache.kept(runner, odd, date.today(), lambda: 7) == 7


def test_a_session_saved_today_keeps_the_report_and_an_earlier_one_replaces_it(
    alice: Any,
) -> None:
    """The report is as of today: it reads sessions before today only, so a day's saves cost
    no replay (the load test saves sessions dated today)."""
    from kneecap.application import record
    from kneecap.application.progress import report_for
    from kneecap.core import log as core

    runner, today = _runner(alice), timezone.localdate()
    first = report_for(runner, today)
    record.record_session(runner, core.SessionLog(today), today)
    assert report_for(runner, today) is first
    record.record_session(runner, core.SessionLog(today - timedelta(days=1)), today)
    assert report_for(runner, today) is not first
