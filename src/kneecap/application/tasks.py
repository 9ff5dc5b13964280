"""Background re-planning: queued by every write to a plan input, run by ``kneecap worker``.

The stored snapshot of the plan (``plans.snapshot``) only matters once a day has passed (the
plan from today on is computed live), so a re-plan waits ``REPLAN_DELAY`` after the write that
queued it and a burst of writes costs one.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from kneecap.application import cache, plans
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User

# A queued re-plan older than this is taken as lost (a worker killed mid-task) and queued again.
REPLAN_STALE = timedelta(minutes=10)
REPLAN_DELAY = timedelta(seconds=30)


@task()
def replan(user_id: int) -> None:
    # Cleared before planning: a write that lands meanwhile queues the next re-plan.
    RunnerProfile.objects.filter(user_id=user_id).update(replan_queued_at=None)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:  # the account may be gone by the time the worker gets here
        return
    plans.snapshot(user, timezone.localdate())


def written(owner: User, *, before_today: bool = True) -> None:
    """After a write to what the plan and the engine read (call inside its transaction):
    the runner's kept values are replaced and a re-plan is queued (``before_today``: see
    ``cache.changed``)."""
    cache.changed(owner.pk, before_today=before_today)
    replan_soon(owner)


def replan_soon(user: User) -> None:
    """Queue ``replan``, at most once per runner. The flag and the task row are written in
    the caller's transaction, so neither can exist without the other."""
    now = timezone.now()
    job = replan
    if default_task_backend.supports_defer:  # the immediate backend runs it now
        job = replan.using(run_after=now + REPLAN_DELAY)
    with transaction.atomic(savepoint=False):
        queued = (
            RunnerProfile.objects.filter(user=user)
            .filter(
                models.Q(replan_queued_at__isnull=True)
                | models.Q(replan_queued_at__lt=now - REPLAN_STALE)
            )
            .update(replan_queued_at=now)
        )
        if queued:
            job.enqueue(user.pk)
