"""The runner's own exercises: add, change and delete (the shipped ones are never edited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kneecap.application import tasks
from kneecap.core.catalog import (
    CatalogError,
    Origin,
    exercise_from_dict,
    exercise_to_dict,
    load_catalog,
)
from kneecap.db.accounts.users import User
from kneecap.db.catalog.models import CustomExercise


def save_custom(
    owner: User, data: dict[str, Any], *, author: User, replacing: str | None = None
) -> CustomExercise:
    """Validate and store; raises CatalogError naming the field, and saves nothing then."""
    exercise = exercise_from_dict(data, str(data.get("slug") or "exercise")[:60], Origin.CUSTOM)
    if exercise.slug in load_catalog():
        raise CatalogError(
            exercise.slug, "slug", "is a shipped exercise: copy it under a new slug to customise"
        )
    stored = exercise_to_dict(exercise)
    with transaction.atomic():
        taken = CustomExercise.objects.filter(owner=owner, slug=exercise.slug)
        if replacing is not None:
            taken = taken.exclude(slug=replacing)
        if taken.exists():
            raise CatalogError(exercise.slug, "slug", "you already have an exercise with it")
        if replacing is None:
            row = CustomExercise.objects.create(
                owner=owner, slug=exercise.slug, data=stored, created_by=author
            )
        else:
            row = CustomExercise.objects.select_for_update().get(owner=owner, slug=replacing)
            row.slug, row.data = exercise.slug, stored
            row.save(update_fields=["slug", "data", "updated_at"])
        tasks.written(owner)
        return row


def delete_custom(owner: User, slug: str) -> bool:
    """Whether there was such an exercise to delete."""
    with transaction.atomic():
        deleted, _ = CustomExercise.objects.filter(owner=owner, slug=slug).delete()
        if deleted:
            tasks.written(owner)
    return bool(deleted)
