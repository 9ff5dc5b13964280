"""The catalog a user sees: the shipped exercises plus their own, all validated by core."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from kneecap.application import cache
from kneecap.core.catalog import (
    Catalog,
    CatalogError,
    Exercise,
    Origin,
    exercise_from_dict,
    load_catalog,
)
from kneecap.db.accounts.users import User
from kneecap.db.catalog.models import CustomExercise


def custom_exercises(owner: User) -> list[Exercise]:
    rows = CustomExercise.objects.filter(owner=owner).order_by("slug")
    return [_custom(row) for row in rows]


def _custom(row: CustomExercise) -> Exercise:
    return exercise_from_dict(row.data, f"custom:{row.slug}", Origin.CUSTOM)


def exercise_of(owner: User) -> Callable[[str], Exercise]:
    """A lookup of one exercise by slug, for checking what a write names: a shipped one from
    memory, a custom one (never a shipped slug) from the database. Writes move the stamp the
    kept catalog hangs on, so going through ``catalog_for`` rebuilt and stored it each time."""
    shipped = load_catalog()

    def get(slug: str) -> Exercise:
        if slug in shipped:
            return shipped.get(slug)
        row = CustomExercise.objects.filter(owner=owner, slug=slug).first()
        if row is None:
            raise KeyError(f"no exercise {slug!r}")
        return _custom(row)

    return get


def catalog_for(owner: User) -> Catalog:
    """Kept under the owner's base version, which their custom exercises move (~0.7 ms a
    page); a session saved today leaves it alone."""
    return cache.kept_base(
        owner,
        "catalog",
        timezone.localdate(),
        lambda: Catalog([*load_catalog(), *custom_exercises(owner)]),
    )


def parse_text(text: str) -> dict[str, Any]:
    """An exercise typed as JSON (starts with ``{``) or TOML; errors name the problem."""
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError("exercise", "", f"cannot read it: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError("exercise", "", "expected an object")
    return data
