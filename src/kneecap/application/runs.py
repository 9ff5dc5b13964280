"""Runs logged by hand, corrected or deleted (imports are ``kneecap.application.imports``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from kneecap.application import imports, safety, tasks
from kneecap.application.record import check_day
from kneecap.core.log import RunLog
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import Activity


def add_run(owner: User, run: RunLog, today: date) -> Activity:
    check_day(run.date, today, ahead=1)
    row = Activity.from_run(run, owner=owner)
    with transaction.atomic():
        row.save()
        _written(owner, today)
    return row


def edit_run(owner: User, run_id: int, run: RunLog, today: date) -> Activity:
    check_day(run.date, today, ahead=1)
    with transaction.atomic():
        row = Activity.objects.select_for_update().get(pk=run_id, owner=owner)
        row.apply(run)
        row.save()
        _written(owner, today)
    return row


def delete_run(owner: User, run_id: int) -> None:
    with transaction.atomic():
        imports.delete_activity(Activity.objects.get(pk=run_id, owner=owner))
        tasks.written(owner)


def _written(owner: User, today: date) -> None:
    tasks.written(owner)
    safety.note_triggers(owner, today)  # a run stopped for pain (rule 38)
