"""Writing the training log: sessions, check-ins, and what a write moves.

Every write is one transaction that also moves the runner's version (``cache.changed``) and
queues a re-plan (``tasks.replan_soon``). Values arrive as core types, already checked for
their shape by ``kneecap.core.log``; here they are checked against the runner's catalog and
the calendar, then stored through each model's ``from_core``.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from kneecap.application import bulk, safety, tasks
from kneecap.application.catalog import exercise_of
from kneecap.core import log as core
from kneecap.core.log import PAIN_MAX, LogError
from kneecap.core.progression import Missing
from kneecap.db.accounts.users import User
from kneecap.db.training.models import ExerciseLog, MorningCheckin, Pin, SessionLog, SetLog

OLDEST = date(1970, 1, 1)


def check_day(day: date, today: date, *, name: str = "date", ahead: int = 0) -> None:
    if day > today + timedelta(days=ahead):
        raise LogError(name, f"{day} is in the future")
    if day < OLDEST:
        raise LogError(name, f"{day} is too far in the past")


def check_session(owner: User, session: core.SessionLog, today: date) -> None:
    """What core cannot know: the runner's catalog and today's date (a session may be
    dated tomorrow: the runner's day can be ahead of the server's)."""
    core.TrainingLog((session,)).check_catalog(exercise_of(owner))
    check_day(session.date, today, ahead=1)


def client_id_of(raw: Any) -> uuid.UUID | None:
    if raw in (None, ""):
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise LogError("client_id", "must be a UUID") from None


def record_session(
    owner: User, session: core.SessionLog, today: date, client_id: uuid.UUID | None = None
) -> tuple[SessionLog, bool]:
    """Store a session; the same ``client_id`` twice stores it once. Returns (row, created).

    Everything but the writes happens before the transaction: on SQLite writers queue for
    one lock, so a save holds it only for its inserts.
    """
    check_session(owner, session, today)
    if session.date >= today:  # done today: the gate decides; a past session is a record
        safety.check_session(owner, session, today)
    row = SessionLog.from_core(session, owner=owner, client_id=client_id)
    children = _children(session)
    context = safety.trigger_context(owner)
    try:
        with transaction.atomic():
            bulk.insert(SessionLog, [row])
            _fill(row, children)
            _morning(owner, session)
            # a session dated today leaves what is computed as of today alone (its next
            # morning is a check-in of tomorrow)
            tasks.written(owner, before_today=session.date < today)
            if SessionLog.objects.filter(owner=owner, date__gt=session.date).exists():
                safety.note_triggers(owner, today)  # a late record: the whole window again
            else:
                safety.note_session_triggers(owner, session, today, context)
    except IntegrityError:  # this client_id was stored already (an offline re-send)
        existing = SessionLog.objects.filter(owner=owner, client_id=client_id).first()
        if client_id is None or existing is None:
            raise
        return existing, False
    return row, True


def replace_session(
    owner: User, session_id: int, session: core.SessionLog, today: date
) -> SessionLog:
    """An edit: the session as a whole (exercises, sets and its next morning) is replaced."""
    check_session(owner, session, today)
    children = _children(session)
    with transaction.atomic():
        row = SessionLog.objects.select_for_update().get(pk=session_id, owner=owner)
        row.exercises.all().delete()
        fresh = SessionLog.from_core(session, owner=owner, client_id=row.client_id)
        fresh.pk, fresh.created_at = row.pk, row.created_at
        fresh.save()
        _fill(fresh, children)
        if session.pain_next_morning is None:
            MorningCheckin.objects.filter(owner=owner, date=session.morning).delete()
        _morning(owner, session)
        _written(owner, today)
    return fresh


def delete_session(owner: User, session_id: int) -> None:
    with transaction.atomic():
        SessionLog.objects.get(pk=session_id, owner=owner).delete()
        tasks.written(owner)


def record_checkin(owner: User, checkin: core.Checkin, today: date) -> bool:
    """The morning check-in; a second one for the same morning replaces the first.
    Returns whether it is new."""
    check_day(checkin.date, today)
    with transaction.atomic():
        _, created = MorningCheckin.objects.update_or_create(
            owner=owner,
            date=checkin.date,
            defaults=_checkin_fields(MorningCheckin.from_core(checkin)),
        )
        _written(owner, today)
    return bool(created)


def add_rating(
    owner: User, day: date, exercise: str | None, what: Missing, value: int, today: date
) -> None:
    """A rating the pain gate asked for (``Report.missing``, rules 6 and 14): the pain during
    an exercise of the sessions of ``day`` that have none, or the next morning's pain,
    stored as that morning's check-in. Raises LogError naming the field."""
    if not 0 <= value <= PAIN_MAX:
        raise LogError("value", f"{value} is outside 0–{PAIN_MAX}")
    check_day(day, today)
    if what is Missing.PAIN_NEXT_MORNING:
        morning = day + timedelta(days=1)
        if morning > today:
            raise LogError("date", "that morning is still to come")
        if not SessionLog.objects.filter(owner=owner, date=day).exists():
            raise LogError("date", f"no session on {day}")
        record_checkin(owner, core.Checkin(date=morning, pain=value), today)
        return
    if not exercise:
        raise LogError("exercise", "pain during is asked for one exercise: name it")
    with transaction.atomic():
        rated = ExerciseLog.objects.filter(
            session__owner=owner, session__date=day, exercise=exercise, pain_during__isnull=True
        ).update(pain_during=value)
        if not rated:
            raise LogError("exercise", f"no {exercise} on {day} is waiting for a rating")
        _written(owner, today)


def _written(owner: User, today: date, *, before_today: bool = True) -> None:
    """After a write to the log: kept values replaced, a re-plan queued, and any rule-38
    trigger it holds recorded for the gate."""
    tasks.written(owner, before_today=before_today)
    safety.note_triggers(owner, today)


def _checkin_fields(row: MorningCheckin) -> dict[str, Any]:
    return {name: getattr(row, name) for name in MorningCheckin.CORE if name != "date"}


def _morning(owner: User, session: core.SessionLog) -> None:
    """A session's next-morning answers are that morning's check-in (its swelling stays)."""
    morning = session.checkin()
    if morning is None:
        return
    fields = _checkin_fields(MorningCheckin.from_core(morning))
    fields.pop("swelling")
    MorningCheckin.objects.update_or_create(owner=owner, date=morning.date, defaults=fields)


_Children = list[tuple[ExerciseLog, list[SetLog]]]


def _children(session: core.SessionLog) -> _Children:
    """The session's exercises and sets as rows, built before the write."""
    return [
        (
            ExerciseLog.from_core(entry, position=position),
            [SetLog.from_core(done, position=i) for i, done in enumerate(entry.sets)],
        )
        for position, entry in enumerate(session.exercises)
    ]


def _fill(row: SessionLog, children: _Children) -> None:
    """Two inserts whatever the session's size."""
    for exercise, _ in children:
        exercise.session = row
    bulk.insert(ExerciseLog, [exercise for exercise, _ in children])
    for exercise, sets in children:
        for done in sets:
            done.exercise = exercise
    bulk.insert(SetLog, [done for _, sets in children for done in sets])


def pin(owner: User, fixed: core.Pin, by: User) -> Pin:
    """The runner or their coach fixes an exercise's level or dose; the engine keeps to it.
    ``fixed.by`` follows from who pins it."""
    core.TrainingLog(pins=(fixed,)).check_catalog(exercise_of(owner))
    row = Pin.from_core(fixed, owner=owner, pinned_by=by)
    with transaction.atomic():
        Pin.objects.filter(owner=owner, exercise=fixed.exercise).delete()
        row.save()
        tasks.written(owner)
    return row


def unpin(owner: User, slug: str) -> bool:
    """Whether there was a pin to remove: the engine decides again."""
    with transaction.atomic():
        deleted, _ = Pin.objects.filter(owner=owner, exercise=slug).delete()
        if deleted:
            tasks.written(owner)
    return bool(deleted)
