"""Background re-planning, queued by ``plans.replan_soon`` and run by ``kneecap worker``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from kneecap.application import plans
from kneecap.db.accounts.models import CoachLink, RunnerProfile


@task()
def replan(user_id: int) -> None:
    # Cleared before planning: a write that lands meanwhile queues the next re-plan.
    RunnerProfile.objects.filter(user_id=user_id).update(replan_queued_at=None)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:  # the account may be gone by the time the worker gets here
        return
    today = timezone.localdate()
    plans.snapshot(user, today)
    # The coach's card of this runner is kept under the snapshot just stored: computed here,
    # not by the first dashboard request after it, which held both web processes of the load
    # test for a whole engine replay (dashboard p99 at 16 clients: 133 ms).
    if CoachLink.objects.filter(athlete=user, status=CoachLink.Status.ACTIVE).exists():
        from kneecap.application.athletes import summarize

        summarize(user, today)
