"""kneecap.application.bulk.insert stores what bulk_create stores, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import models

from kneecap.application import bulk
from kneecap.application import imports as importer
from kneecap.core.activity import Activity as Record
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import ExerciseLog, SessionLog, SetLog
from kneecap.ingest.store import Kept

pytestmark = pytest.mark.django_db

SKIP = {"id", "owner_id", "session_id", "exercise_id", "created_at", "updated_at"}
SKIP |= {"source_sha256"}  # unique per row here


def stored(model: type[models.Model], pks: list[int]) -> set[tuple[Any, ...]]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIP]
    return set(model._default_manager.filter(pk__in=pks).values_list(*fields))


def both(model: type[models.Model], make: Any) -> None:
    mine, theirs = (
        bulk.insert(model, [make(0), make(1)]),
        model._default_manager.bulk_create([make(0), make(1)]),
    )
    assert all(row.pk and not row._state.adding for row in mine)
    assert stored(model, [r.pk for r in mine]) == stored(model, [r.pk for r in theirs])
    assert len(stored(model, [r.pk for r in mine])) == 2


def test_activities(alice: Any) -> None:
    made = itertools.count()

    def make(i: int) -> Activity:
        record = Record(
            datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC), "running", f"{next(made):064x}", "x",
            distance_m=10_012.5 + i, elapsed_s=3600.25, moving_s=3500.0, ascent_m=12.0,
            descent_m=None, avg_hr=151, max_hr=None, has_gps=True, device="Garmin fenix 5",
            name="Tempo", utc_offset_s=7200, source_format="fit", session_index=1,
        )  # fmt: skip
        return importer._row(alice, record, "packs/1/p.pack", Kept("p.pack", 1 << 33, 4096))

    both(Activity, make)
    assert (
        Activity.objects.filter(start=datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)).count()
        == 4
    )


def test_sessions_exercises_and_sets(alice: Any) -> None:
    session = SessionLog.objects.create(owner=alice, date=date(2026, 3, 1))
    both(
        SessionLog,
        lambda i: SessionLog(owner=alice, date=date(2026, 4, 1 + i), pain_after=2, notes="ok"),
    )
    both(
        ExerciseLog,
        lambda i: ExerciseLog(
            session=session, position=i, exercise="stairs", level="flights", pain_during=1
        ),
    )
    exercise = ExerciseLog.objects.first()
    both(SetLog, lambda i: SetLog(exercise=exercise, position=i, reps=8, hold_s=2.5, side="left"))


def test_many_rows_are_split_within_the_databases_parameter_limit(alice: Any) -> None:
    session = SessionLog.objects.create(owner=alice, date=date(2026, 3, 1))
    rows = [
        ExerciseLog(session=session, position=i % 30000, exercise="x", level="y")
        for i in range(5000)
    ]
    assert len({r.pk for r in bulk.insert(ExerciseLog, rows)}) == 5000
