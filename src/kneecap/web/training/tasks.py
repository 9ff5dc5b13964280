"""Background re-planning, queued by ``plans.replan_soon`` and run by ``kneecap worker``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from kneecap.web.accounts.models import RunnerProfile
from kneecap.web.training import plans


@task()
def replan(user_id: int) -> None:
    # Cleared before planning: a write that lands meanwhile queues the next re-plan.
    RunnerProfile.objects.filter(user_id=user_id).update(replan_queued_at=None)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:  # the account may be gone by the time the worker gets here
        plans.snapshot(user, timezone.localdate())
