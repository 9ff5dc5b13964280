"""A per-runner stamp that moves with every input of the progression engine, and a cache on it.

The engine replays the whole training log (years of sessions) to decide each exercise's next
step, and Today, the plan, the coach dashboard and the progress pages all ask for it. Its
inputs are the profile, the log, check-ins, pins, custom exercises and runs; a write to any
of them moves the runner's stamp (``RunnerProfile.updated_at``) in the same transaction, so
a report cached under (runner, day, stamp) is never stale, in one process or across many:
the key changes, nothing has to be invalidated, and a local-memory cache is only a memo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from kneecap.web.accounts.models import RunnerProfile

T = TypeVar("T")
KEEP_S = 24 * 3600  # a day's key is useless the next day


def touch(owner_id: int | None) -> None:
    """Move the stamp: call it inside the transaction of a write the signals do not see."""
    if owner_id is not None:
        RunnerProfile.objects.filter(user_id=owner_id).update(updated_at=timezone.now())


def memo(kind: str, stored: RunnerProfile, today: date, compute: Callable[[], T]) -> T:
    """``compute()`` once per runner, day and stamp (shared when the cache is)."""
    key = f"kneecap:{kind}:{stored.user_id}:{today.isoformat()}:{stored.updated_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEEP_S)
    return found


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
