"""Logging answers without re-planning: one queued re-plan per runner, run by the worker."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kneecap.application import tasks
from kneecap.application.runner import monday
from kneecap.application.tasks import replan
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.training.models import PlannedSession
from tests.web.conftest import client_for
from tests.web.ownership import PROFILE
from tests.web.test_training_log import post, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner(alice: Any) -> Any:
    RunnerProfile.objects.create(user=alice, data=PROFILE, onboarded_at=timezone.now())
    return alice


def save_session(client: Any) -> Any:
    return post(client, session(client_id=str(uuid.uuid4())))


def queued() -> list[Any]:
    return list(DBTaskResult.objects.filter(status="READY", task_path__endswith=".replan"))


def run_queued() -> None:
    for row in queued():
        replan.call(*row.args_kwargs["args"])
        row.delete()  # as the worker would mark it done


def test_a_burst_of_saves_queues_one_replan_and_the_worker_stores_the_plan(runner: Any) -> None:
    client = client_for(runner)
    assert all(save_session(client).status_code == 201 for _ in range(3))
    assert len(queued()) == 1 and not PlannedSession.objects.filter(owner=runner).exists()
    delay = queued()[0].run_after - RunnerProfile.objects.get(user=runner).replan_queued_at
    assert delay == tasks.REPLAN_DELAY  # the worker waits for the burst to end

    run_queued()
    stored = PlannedSession.objects.filter(owner=runner, date__gte=timezone.localdate())
    assert stored.exists()
    assert RunnerProfile.objects.get(user=runner).replan_queued_at is None

    assert save_session(client).status_code == 201  # the flag is clear: the next save queues
    assert len(queued()) == 1


def test_a_replan_lost_with_its_worker_is_queued_again_after_a_while(runner: Any) -> None:
    client = client_for(runner)
    save_session(client)
    DBTaskResult.objects.all().delete()  # the worker died with it
    RunnerProfile.objects.filter(user=runner).update(
        replan_queued_at=timezone.now() - tasks.REPLAN_STALE - timedelta(seconds=1)
    )
    save_session(client)
    assert len(queued()) == 1


def test_a_refused_save_queues_nothing(runner: Any) -> None:
    client = client_for(runner)
    response = post(client, session(date="2099-01-01"))
    assert response.status_code == 422
    assert not queued() and RunnerProfile.objects.get(user=runner).replan_queued_at is None


def test_the_replan_of_a_deleted_account_does_nothing(runner: Any) -> None:
    save_session(client_for(runner))
    (row,) = queued()
    runner.delete()
    replan.call(*row.args_kwargs["args"])
    assert not PlannedSession.objects.exists()


def test_the_coach_dashboard_counts_the_plan_the_worker_stores(runner: Any, bob: Any) -> None:
    from kneecap.application.athletes import summarize

    today = timezone.localdate()
    assert summarize(runner, today).adherence.planned_6w == 0
    save_session(client_for(runner))
    counts = summarize(runner, today).adherence
    assert counts.done_6w == 1 and counts.planned_6w == 0
    run_queued()  # the snapshot moves the version: the kept summary counts what it stored
    week_end = monday(today) + timedelta(days=6)
    stored = PlannedSession.objects.filter(owner=runner, date__range=(today, week_end)).count()
    assert summarize(runner, today).adherence.planned_6w == stored > 0
