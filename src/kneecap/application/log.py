"""The training log between the database and core: record, edit, read back as core values.

Every write goes through core's parser (``kneecap.core.log``), so the web form, the guided
session's offline queue, the API and ``kneecap log`` refuse the same impossible values with
the same messages, and each write is one transaction.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from kneecap.application import bulk, plans
from kneecap.application import cache as revision
from kneecap.application.catalog import exercise_of
from kneecap.core.log import LogError, TrainingLog, parse_log
from kneecap.core.log import SessionLog as CoreSession
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.training.models import ExerciseLog, MorningCheckin, Pin, SessionLog, SetLog

OLDEST = date(1970, 1, 1)
SET_FIELDS = ("reps", "hold_s", "distance_m", "duration_s", "load_kg")


def parse_session(owner: Any, payload: Any, today: date) -> CoreSession:
    """One session from its JSON shape (as in ``kneecap progress --log``), fully checked."""
    if not isinstance(payload, dict):
        raise LogError("", "expected a session object")
    body = {k: v for k, v in payload.items() if k != "client_id"}
    log = parse_log({"sessions": [body]})
    log.check_catalog(exercise_of(owner))
    session = log.sessions[0]
    if session.date > today + timedelta(days=1):
        raise LogError("date", f"{session.date} is in the future")
    if session.date < OLDEST:
        raise LogError("date", f"{session.date} is too far in the past")
    return session


def client_id_of(payload: Any) -> uuid.UUID | None:
    raw = payload.get("client_id") if isinstance(payload, dict) else None
    if raw in (None, ""):
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise LogError("client_id", "must be a UUID") from None


def record_session(owner: Any, payload: Any, today: date) -> tuple[SessionLog, bool]:
    """Store a session and queue the re-plan; the same ``client_id`` twice stores it once.
    Returns (row, created).

    Everything but the writes happens before the transaction: on SQLite writers queue for
    one lock, so a save holds it only for its inserts (the payload check, the rows built
    and a lookup for an earlier copy held it for a third of the save).
    """
    session = parse_session(owner, payload, today)
    client_id = client_id_of(payload)
    row = SessionLog(
        owner=owner,
        date=session.date,
        client_id=client_id,
        pain_after=session.pain_after,
        notes=session.notes,
    )
    children = _children(session)
    try:
        with transaction.atomic():
            bulk.insert(SessionLog, [row])  # no signal: the stamp moves last, below
            _fill(row, session, children)
            # Last, because on PostgreSQL moving the stamp locks the runner's profile row
            # until the commit and saves of one runner queue on it: taken first, the lock
            # was held through every insert (logging a set at 16 clients: 133/s).
            revision.touch(owner.pk)
            plans.replan_soon(owner)
    except IntegrityError:  # this client_id was stored already (an offline re-send)
        existing = SessionLog.objects.filter(owner=owner, client_id=client_id).first()
        if client_id is None or existing is None:
            raise
        return existing, False
    return row, True


def replace_session(row: SessionLog, payload: Any, today: date) -> SessionLog:
    """An edit: the session's exercises and sets are replaced as a whole, atomically."""
    session = parse_session(row.owner, payload, today)
    children = _children(session)
    with transaction.atomic():
        row.exercises.all().delete()
        row.date, row.pain_after, row.notes = session.date, session.pain_after, session.notes
        row.save()
        _fill(row, session, children)
    return row


_Children = list[tuple[ExerciseLog, list[SetLog]]]


def _children(session: CoreSession) -> _Children:
    """The session's exercises and sets as rows, built before the write."""
    return [
        (
            ExerciseLog(
                position=position,
                exercise=entry.exercise,
                level=entry.level,
                pain_during=entry.pain_during,
                pain_location=entry.pain_location.value,
                rpe=None if entry.rpe is None else round(entry.rpe),
            ),
            [
                SetLog(
                    position=i,
                    side=s.side.value if s.side else "",
                    **{k: getattr(s, k) for k in SET_FIELDS},
                )
                for i, s in enumerate(entry.sets)
            ],
        )
        for position, entry in enumerate(session.exercises)
    ]


def _fill(row: SessionLog, session: CoreSession, children: _Children) -> None:
    """The session's exercises and sets: two inserts whatever its size. They send no signals;
    the caller moves the engine's stamp in the same transaction."""
    for exercise, _ in children:
        exercise.session = row
    bulk.insert(ExerciseLog, [exercise for exercise, _ in children])
    for exercise, sets in children:
        for done in sets:
            done.exercise = exercise
    bulk.insert(SetLog, [done for _, sets in children for done in sets])
    if session.pain_next_morning is not None:
        record_checkin(
            row.owner,
            session.date + timedelta(days=1),
            session.pain_next_morning,
            session.stiffness_next_morning or 0,
            session.swelling,
        )


def record_checkin(owner: Any, day: date, pain: int, stiffness: int, swelling: bool) -> None:
    for name, value in (("pain", pain), ("stiffness", stiffness)):
        if not 0 <= value <= 10:
            raise LogError(name, f"{value} is outside 0–10")
    MorningCheckin.objects.update_or_create(
        owner=owner, date=day, defaults={"pain": pain, "stiffness": stiffness, "swelling": swelling}
    )


def session_payload(
    row: SessionLog, checkins: dict[date, MorningCheckin] | None = None
) -> dict[str, Any]:
    """A stored session in the log's JSON shape (for editing, the API and core).

    ``checkins`` (by date) saves a query per session when a whole log is read.
    """
    next_day = row.date + timedelta(days=1)
    if checkins is None:
        morning = MorningCheckin.objects.filter(owner=row.owner, date=next_day).first()
    else:
        morning = checkins.get(next_day)
    return {
        "date": row.date.isoformat(),
        "pain_after": row.pain_after,
        "pain_next_morning": morning.pain if morning else None,
        "stiffness_next_morning": morning.stiffness if morning else None,
        "swelling": bool(morning and morning.swelling),
        "notes": row.notes,
        "exercises": [_exercise_payload(e) for e in row.exercises.all()],
    }


def _exercise_payload(e: ExerciseLog) -> dict[str, Any]:
    return {
        "exercise": e.exercise,
        "level": e.level,
        "pain_during": e.pain_during,
        "pain_location": e.pain_location or "joint",
        "rpe": e.rpe,
        "sets": [
            {
                **{k: getattr(s, k) for k in SET_FIELDS if getattr(s, k) is not None},
                **({"side": s.side} if s.side else {}),
            }
            for s in e.sets.all()
        ],
    }


def training_log(owner: Any) -> TrainingLog:
    """The whole log as core sees it, with pins and the baseline morning pain."""
    sessions = _log_payloads(owner)
    profile = RunnerProfile.objects.filter(user=owner).first()
    pins = [
        {
            "exercise": p.exercise,
            "level": p.level or None,
            "prescription": p.prescription or None,
            "by": "coach" if p.pinned_by_id not in (None, owner.pk) else "runner",
        }
        for p in Pin.objects.filter(owner=owner)
    ]
    return parse_log(
        {
            "sessions": sessions,
            "baseline_morning_pain": profile.baseline_morning_pain if profile else 0,
            "pins": pins,
        }
    )


def _log_payloads(owner: Any) -> list[dict[str, Any]]:
    """Every session as ``session_payload`` shapes it, from four flat queries.

    Plain rows instead of model instances: for years of sessions (thousands of sets) building
    and prefetching ORM objects cost more than the progression engine itself.
    """
    sets: dict[int, list[dict[str, Any]]] = {}
    set_rows = SetLog.objects.filter(exercise__session__owner=owner).order_by("position", "id")
    for exercise_id, side, *values in set_rows.values_list("exercise_id", "side", *SET_FIELDS):
        done = {k: v for k, v in zip(SET_FIELDS, values, strict=True) if v is not None}
        sets.setdefault(exercise_id, []).append({**done, **({"side": side} if side else {})})
    exercises: dict[int, list[dict[str, Any]]] = {}
    entries = ExerciseLog.objects.filter(session__owner=owner).order_by("position", "id")
    for pk, session_id, slug, level, pain, where, rpe in entries.values_list(
        "id", "session_id", "exercise", "level", "pain_during", "pain_location", "rpe"
    ):
        exercises.setdefault(session_id, []).append(
            {
                "exercise": slug,
                "level": level,
                "pain_during": pain,
                "pain_location": where or "joint",
                "rpe": rpe,
                "sets": sets.get(pk, []),
            }
        )
    mornings = MorningCheckin.objects.filter(owner=owner).values_list(
        "date", "pain", "stiffness", "swelling"
    )
    checkins = {day: (pain, stiff, swollen) for day, pain, stiff, swollen in mornings}
    rows = SessionLog.objects.filter(owner=owner).order_by("date", "id")
    return [
        _payload(pk, day, pain_after, notes, checkins.get(day + timedelta(days=1)), exercises)
        for pk, day, pain_after, notes in rows.values_list("id", "date", "pain_after", "notes")
    ]


def _payload(
    pk: int,
    day: date,
    pain_after: int | None,
    notes: str,
    morning: tuple[int, int, bool] | None,
    exercises: dict[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "pain_after": pain_after,
        "pain_next_morning": morning[0] if morning else None,
        "stiffness_next_morning": morning[1] if morning else None,
        "swelling": bool(morning and morning[2]),
        "notes": notes,
        "exercises": exercises.get(pk, []),
    }
