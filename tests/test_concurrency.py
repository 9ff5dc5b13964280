"""Sixteen processes logging sessions and runs at once: no "database is locked", nothing lost.

Each writer is a separate interpreter (``spawn``) configured only by ``KNEECAP_*`` variables,
as gunicorn workers or terminal commands would be. The helpers here also serve test_backup.py.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

PROCESSES = 16
WRITES = 12  # per process: 12 sessions (2 exercises × 3 sets each) and 12 runs
SPAWN = multiprocessing.get_context("spawn")
ADMIN_URL = os.environ.get(
    "KNEECAP_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
TAGS = uuid.UUID("6f1c5a52-5d0e-4a43-9d3e-0b7f3c2a9e10")


def instance_env(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The environment of a kneecap instance on ``data_dir`` (SQLite unless a URL is given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KNEECAP_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="kneecap.web.settings", KNEECAP_DATA_DIR=str(data_dir))
    if database_url:
        env["KNEECAP_DATABASE_URL"] = database_url
    return env


def enter(env: dict[str, str]) -> None:
    """In a spawned process: become that instance."""
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()


def call(env: dict[str, str], func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` in a fresh spawned process that has entered the instance."""
    with SPAWN.Pool(1) as pool:
        return pool.apply(_entered, (env, func, args))


def _entered(env: dict[str, str], func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    enter(env)
    return func(*args)


def prepare() -> int:
    """Create the schema and one runner; the runner's id."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return int(get_user_model().objects.create_user("runner", password=None).pk)


def write_session(owner_id: int, tag: str, i: int) -> None:
    from django.db import transaction

    from kneecap.db.training.models import ExerciseLog, SessionLog, SetLog

    with transaction.atomic():
        session = SessionLog.objects.create(
            owner_id=owner_id,
            date=date(2026, 1, 1) + timedelta(days=i),
            client_id=uuid.uuid5(TAGS, f"{tag}-{i}"),
            minutes=25,
            rpe=5,
            notes=tag,
        )
        for position, slug in enumerate(("spanish-squat", "step-down")):
            exercise = ExerciseLog.objects.create(
                session=session, position=position, exercise=slug, level="base"
            )
            SetLog.objects.bulk_create(
                SetLog(exercise=exercise, position=k, reps=10) for k in range(3)
            )


def write_run(owner_id: int, tag: str, i: int) -> None:
    from kneecap.db.runs.models import Activity

    Activity.objects.create(
        owner_id=owner_id,
        start=datetime(2026, 1, 1, 6, tzinfo=UTC) + timedelta(hours=i),
        name=tag,
        distance_m=8000.0,
        elapsed_s=2700.0,
        source="manual",
    )


def write_both(owner_id: int, tag: str, i: int, errors: list[str]) -> None:
    """One session and one run, each its own transaction; failures are recorded, not retried."""
    for write in (write_session, write_run):
        try:
            write(owner_id, tag, i)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")


def burst_writer(env: dict[str, str], tag: str, barrier: Any, outcomes: Any) -> None:
    """The first writer creates the instance and counts at the end; all write in between."""
    enter(env)
    first = tag == writer_tag(0)
    if first:
        prepare()
    barrier.wait(timeout=120)  # every process is set up: now all write at once
    from django.contrib.auth import get_user_model

    owner_id = get_user_model().objects.get(username="runner").pk
    errors: list[str] = []
    for i in range(WRITES):
        write_both(owner_id, tag, i, errors)
    barrier.wait(timeout=120)  # every write is done
    outcomes.put((tag, errors, tally() if first else None))


def writer_tag(n: int) -> str:
    return f"writer-{n:02d}"


def tally() -> dict[str, tuple[int, int, int, int]]:
    """Per writer tag: sessions, exercises, sets and runs stored."""
    from django.db.models import Count

    from kneecap.db.runs.models import Activity
    from kneecap.db.training.models import ExerciseLog, SessionLog, SetLog

    def by(queryset: Any, field: str) -> dict[str, int]:
        rows = queryset.values(field).annotate(n=Count("id")).values_list(field, "n")
        return dict(rows.order_by())

    sessions = by(SessionLog.objects, "notes")
    exercises = by(ExerciseLog.objects, "session__notes")
    sets = by(SetLog.objects, "exercise__session__notes")
    runs = by(Activity.objects, "name")
    tags = set(sessions) | set(runs)
    return {
        t: (sessions.get(t, 0), exercises.get(t, 0), sets.get(t, 0), runs.get(t, 0)) for t in tags
    }


@contextmanager
def scratch_postgres() -> Iterator[str]:
    """A throw-away ``kneecap_bk_*`` database on the test server; skips when none answers."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        pytest.skip("PostgreSQL is not reachable")
    name = f"kneecap_bk_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def instance(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """An empty instance on a file SQLite database or on a scratch PostgreSQL database."""
    if request.param == "sqlite":
        yield instance_env(tmp_path / "data")
        return
    with scratch_postgres() as url:
        yield instance_env(tmp_path / "data", url)


def run_burst(env: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Each writer's errors, and what the database holds afterwards."""
    barrier, outcomes = SPAWN.Barrier(PROCESSES), SPAWN.Queue()
    workers = [
        SPAWN.Process(target=burst_writer, args=(env, writer_tag(n), barrier, outcomes))
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [outcomes.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    stored = next(counts for _, _, counts in results if counts is not None)
    return {tag: errors for tag, errors, _ in results}, stored


@pytest.mark.instances
def test_sixteen_writers_at_once_lose_nothing_and_never_see_a_lock(
    instance: dict[str, str],
) -> None:
    errors, stored = run_burst(instance)
    assert len(errors) == PROCESSES
    assert not [e for errs in errors.values() for e in errs if "locked" in e]
    assert all(not errs for errs in errors.values()), errors
    expected = (WRITES, 2 * WRITES, 6 * WRITES, WRITES)
    assert stored == dict.fromkeys(errors, expected)
