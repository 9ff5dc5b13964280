"""A per-runner stamp that moves with every input of the progression engine, and a cache on it.

The engine replays the whole training log (years of sessions) to decide each exercise's next
step, and Today, the plan, the coach dashboard and the progress pages all ask for it. Its
inputs are the profile, the log, check-ins, pins, custom exercises and runs; a write to any
of them moves the runner's stamp (``RunnerProfile.updated_at``) in the same transaction, so
a report cached under (runner, day, stamp) is never stale, in one process or across many:
the key changes and nothing has to be invalidated.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from kneecap.web.accounts.models import RunnerProfile

T = TypeVar("T")
KEEP_S = 24 * 3600  # a day's key is useless the next day
FLIGHT_STRIPES = 64
FLIGHT_WAIT_S = 10.0
_held = threading.local()  # the stripes each thread holds


def touch(owner_id: int | None) -> None:
    """Move the stamp: call it inside the transaction of a write the signals do not see."""
    if owner_id is not None:
        RunnerProfile.objects.filter(user_id=owner_id).update(updated_at=timezone.now())


def memo(kind: str, stored: RunnerProfile, today: date, compute: Callable[[], T]) -> T:
    """``compute()`` once per runner, day and stamp, for every process sharing the cache."""
    key = f"kneecap:{kind}:{stored.user_id}:{today.isoformat()}:{stored.updated_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        with one_at_a_time(key):
            found = cache.get(key)  # computed while this one waited
            if found is None:
                found = compute()
                cache.set(key, found, KEEP_S)
    return found


@functools.cache
def _flight_dir() -> Path:
    """Lock files on this machine's own disk, one folder per instance: the data dir may be a
    volume shared by several machines, where locks are slow or not kept."""
    instance = hashlib.blake2b(str(settings.DATA_DIR).encode(), digest_size=6).hexdigest()
    folder = Path(tempfile.gettempdir()) / f"kneecap-{instance}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@contextmanager
def one_at_a_time(key: str) -> Iterator[None]:
    """Requests of this machine that miss the same key wait for the first one's value.

    Without it, every request arriving after a write recomputes the same report at once: 16
    clients on a cold 5-year report took 1.1 s each instead of 0.15 s. An exclusive ``flock``
    on one of ``FLIGHT_STRIPES`` lock files (a key's hash picks it) serialises threads and
    processes alike and is released by the kernel if a process dies; after ``FLIGHT_WAIT_S``
    a waiter computes anyway, so a stuck request cannot hold the others. A computation that
    needs another kept value (the plan needs the report) may land on a stripe its own thread
    holds: that one is not locked twice (a second ``flock`` would wait on itself).
    """
    stripe = int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) % FLIGHT_STRIPES
    held: set[int] = _held.__dict__.setdefault("stripes", set())
    if stripe in held:
        yield
        return
    path = _flight_dir() / f"flight-{stripe:02d}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    held.add(stripe)
    try:
        deadline = time.monotonic() + FLIGHT_WAIT_S
        while time.monotonic() < deadline:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                time.sleep(0.002)
        yield
    finally:
        held.discard(stripe)
        os.close(fd)  # releases the lock


def kept(owner: Any, kind: str, today: date, compute: Callable[[], T]) -> T:
    """A page part or summary of ``owner``'s data, kept under their stamp and the time of
    their last plan snapshot (which the worker stores after the write that moved the stamp).

    ``kind`` must name everything else the value depends on (page, filters, viewer). A runner
    without a profile has no stamp yet, so nothing is kept for them.
    """
    stored = RunnerProfile.objects.filter(user=owner).first()
    if stored is None:
        return compute()
    planned = stored.planned_at.timestamp() if stored.planned_at else 0
    return memo(f"kept:{kind}:{planned}", stored, today, compute)


def _owner_of(instance: Any) -> int | None:
    from kneecap.web.training.models import ExerciseLog, SessionLog

    if isinstance(instance, ExerciseLog):
        if ExerciseLog.session.is_cached(instance):  # type: ignore[attr-defined]
            return int(instance.session.owner_id)
        owner = SessionLog.objects.filter(pk=instance.session_id).values_list("owner_id")
        return next(iter(owner.first() or ()), None)
    return int(instance.owner_id)


def _moved(sender: Any, instance: Any, **_: Any) -> None:
    touch(_owner_of(instance))


def connect() -> None:
    """Called once from the training app's ``ready``."""
    from kneecap.web.catalog.models import CustomExercise
    from kneecap.web.runs.models import Activity
    from kneecap.web.training.models import ExerciseLog, MorningCheckin, Pin, SessionLog

    for model in (SessionLog, ExerciseLog, MorningCheckin, Pin, CustomExercise, Activity):
        for signal in (post_save, post_delete):
            signal.connect(_moved, sender=model, dispatch_uid=f"kneecap-stamp-{model.__name__}")
