"""Write a parsed account into the database (the caller holds the transaction).

Every row gets a new primary key; relations are remapped to the new rows, and references to
other accounts to whoever holds that username here. An archive restores its own account's
data, never access to someone else's: links and notes that would need another runner's
consent, or an account this instance does not have, are skipped or downgraded and reported.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from kneecap.application.portability.archive import stored_name
from kneecap.application.portability.document import Parsed
from kneecap.core.safety import EventKind
from kneecap.db.accounts.models import CoachLink
from kneecap.db.accounts.users import User
from kneecap.db.catalog.models import CustomExercise
from kneecap.db.runs.models import Activity, ImportJob
from kneecap.db.training.models import (
    CoachNote,
    ExerciseLog,
    MorningCheckin,
    OutcomeResponse,
    OutcomeSchedule,
    Pin,
    PlannedSession,
    SafetyEvent,
    SessionLog,
    SetLog,
)

BATCH = 500


class _Accounts:
    """Usernames in the archive → accounts here; the archive's own name → the new account."""

    def __init__(self, old_name: str, user: User) -> None:
        self.old_name, self.user, self.known = old_name, user, dict[str, User | None]()

    def get(self, name: str | None) -> User | None:
        if name is None:
            return None
        if name == self.old_name:
            return self.user
        if name not in self.known:
            others = get_user_model().objects.exclude(pk=self.user.pk)
            self.known[name] = others.filter(username=name).first()
        return self.known[name]


def insert(model: type[models.Model], rows: list[Any]) -> None:
    """Bulk insert keeping the archive's timestamps (auto_now fields would overwrite them)."""
    stamps = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    kept = [[getattr(row, s) for s in stamps] for row in rows]
    model._default_manager.bulk_create(rows, batch_size=BATCH)
    if stamps and rows:
        for row, values in zip(rows, kept, strict=True):
            for stamp, value in zip(stamps, values, strict=True):
                setattr(row, stamp, value)
        model._default_manager.bulk_update(rows, stamps, batch_size=BATCH)


def save(parsed: Parsed) -> tuple[User, list[str]]:
    """Create the account and all its rows; returns it and what was skipped, in words."""
    user = parsed.user
    user.set_unusable_password()  # passwords never travel; reset or claim it (docs/data.md)
    user.save()
    accounts = _Accounts(parsed.old_name, user)
    if parsed.profile is not None:
        parsed.profile.user = user
        insert(type(parsed.profile), [parsed.profile])
    _own(user, accounts, parsed)
    _sessions(user, parsed)
    skipped = _notes(accounts, parsed) + _links(accounts, parsed) + _safety(accounts, parsed)
    _questionnaires(accounts, parsed)
    if parsed.tokens:
        skipped.append(f"{parsed.tokens} API token(s): tokens are secrets, create new ones")
    return user, skipped


def _own(user: User, accounts: _Accounts, parsed: Parsed) -> None:
    for exercise, creator in parsed.custom:
        exercise.created_by = accounts.get(creator)
    for pin, pinner in parsed.pins:
        pin.pinned_by = accounts.get(pinner)
    for activity, name in parsed.activities:
        activity.file = f"activities/{user.pk}/{stored_name(name)}" if name else ""
    simple: list[tuple[type[models.Model], list[Any]]] = [
        (CustomExercise, [x for x, _ in parsed.custom]),
        (Pin, [p for p, _ in parsed.pins]),
        (PlannedSession, parsed.planned),
        (MorningCheckin, parsed.checkins),
        (Activity, [a for a, _ in parsed.activities]),
        (ImportJob, parsed.jobs),
    ]
    for model, rows in simple:
        for row in rows:
            row.owner = user
        insert(model, rows)


def _sessions(user: User, parsed: Parsed) -> None:
    for session, _ in parsed.sessions:
        session.owner = user
    insert(SessionLog, [s for s, _ in parsed.sessions])
    exercises, sets = [], []
    for session, logged in parsed.sessions:
        for exercise, _ in logged:
            exercise.session = session
            exercises.append(exercise)
    insert(ExerciseLog, exercises)
    for _, logged in parsed.sessions:
        for exercise, done in logged:
            for one in done:
                one.exercise = exercise
                sets.append(one)
    insert(SetLog, sets)


def _safety(accounts: _Accounts, parsed: Parsed) -> list[str]:
    """The gate's events as they happened. A clearance counts only with the coach or physio
    who gave it: one whose account this instance does not have is left out (the pause it
    lifted stands again until someone here clears it) and reported."""
    rows, skipped = [], []
    for event, by in parsed.events:
        event.owner, event.by = accounts.user, accounts.get(by)
        if event.kind == EventKind.CLEARED and (event.by is None or event.by == accounts.user):
            skipped.append(f"a clearance by {by or 'nobody named'}: no such coach or physio here")
            continue
        rows.append(event)
    insert(SafetyEvent, rows)
    return skipped


def _questionnaires(accounts: _Accounts, parsed: Parsed) -> None:
    for response in parsed.responses:
        response.owner = accounts.user
    insert(OutcomeResponse, parsed.responses)
    for schedule, by in parsed.schedule:
        schedule.owner, schedule.set_by = accounts.user, accounts.get(by)
    insert(OutcomeSchedule, [s for s, _ in parsed.schedule])


def _notes(accounts: _Accounts, parsed: Parsed) -> list[str]:
    rows, skipped = [], []
    for note, author in parsed.notes:
        found = accounts.get(author)
        if found is None:
            skipped.append(f"a note from {author}: no such account here")
            continue
        note.athlete, note.author = accounts.user, found
        rows.append(note)
    insert(CoachNote, rows)
    # Notes written for other runners would appear on their pages on an archive's word alone.
    for _, athlete in parsed.notes_written:
        skipped.append(f"a note written for {athlete}: it lives in their account, not this one")
    return skipped


def _links(accounts: _Accounts, parsed: Parsed) -> list[str]:
    rows, skipped = [], []
    for link, athlete, coach, inviter in parsed.links:
        found = accounts.get(athlete), accounts.get(coach), accounts.get(inviter)
        sides = [user for user in found if user is not None]
        other = coach if athlete == accounts.old_name else athlete
        if len(sides) < len(found):
            skipped.append(f"the {link.status} {link.role} link with {other}: no such account here")
            continue
        link.athlete, link.coach, link.invited_by = sides
        if link.coach == accounts.user and link.status != CoachLink.Status.REVOKED:
            # Seeing another runner's data needs their consent here, not an archive's claim:
            # the link comes back as an invitation only that runner can accept.
            link.status, link.invited_by = CoachLink.Status.PENDING, accounts.user
            skipped.append(f"the {link.role} link to {other}: back as an invitation to accept")
        rows.append(link)
    insert(CoachLink, rows)
    return skipped
