"""Rows to plain JSON values and back, with the checks an untrusted archive needs.

Each exported row keeps its model's own fields (minus secrets and server paths); relations
to other accounts travel as usernames. Loading type-checks every value before Django sees it,
then runs the model's own validation, so a hostile document fails with a message that names
the record and the field instead of reaching the database.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models

from kneecap.db.accounts.models import ApiToken, RunnerProfile
from kneecap.db.runs.models import Activity, ImportJob

M = TypeVar("M", bound=models.Model)


class PortabilityError(ValueError):
    """The archive cannot be used; the message says why in one line."""


USER_FIELDS = ("username", "email", "first_name", "last_name", "date_joined", "last_login")
# Secrets, server paths and relations never travel as plain fields.
EXCLUDED: dict[type[models.Model], frozenset[str]] = {
    RunnerProfile: frozenset(
        {"calendar_token_hash", "replan_queued_at", "version", "base_version"}
    ),
    ApiToken: frozenset({"token_hash", "prefix"}),
    ImportJob: frozenset({"upload"}),
    Activity: frozenset({"file", "file_offset", "file_size"}),
}


def plain_fields(model: type[models.Model]) -> list[Any]:
    if model is get_user_model():
        return [model._meta.get_field(name) for name in USER_FIELDS]
    skip = EXCLUDED.get(model, frozenset())
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.is_relation and f.name not in skip
    ]


def to_json(value: Any) -> Any:
    if isinstance(value, date | datetime | time):  # datetime is a date: all have isoformat
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def dump(obj: models.Model, **extra: Any) -> dict[str, Any]:
    """The row's plain fields as JSON values, plus the caller's relation fields."""
    row = {f.name: to_json(f.value_from_object(obj)) for f in plain_fields(obj._meta.model)}
    row.update(extra)
    return row


def _type_ok(field: Any, value: Any) -> bool:
    if value is None:
        return bool(field.null)
    if isinstance(field, models.JSONField):
        return True
    if isinstance(field, models.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, models.IntegerField):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(field, models.FloatField):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(field, models.DateTimeField):
        return isinstance(value, str) and _aware(value)
    return isinstance(value, str)


def _aware(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return True  # not a datetime at all: the field's own parser names the problem


def expect_object(raw: Any, where: str, keys: set[str]) -> dict[str, Any]:
    """``raw`` is an object with exactly ``keys``."""
    if not isinstance(raw, dict):
        raise PortabilityError(f"{where}: expected an object")
    missing, unknown = keys - raw.keys(), raw.keys() - keys
    if missing:
        raise PortabilityError(f"{where}: missing {', '.join(sorted(missing))}")
    if unknown:
        raise PortabilityError(f"{where}: unexpected {', '.join(sorted(map(str, unknown)))}")
    return raw


def expect_list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise PortabilityError(f"{where}: expected a list")
    return raw


def expect_name(raw: Any, where: str, *, optional: bool = False) -> str | None:
    """A username reference (or null when ``optional``)."""
    if raw is None and optional:
        return None
    if not isinstance(raw, str) or not 0 < len(raw) <= 150:
        raise PortabilityError(f"{where}: expected a username")
    return raw


def build(model: type[M], raw: Any, where: str, relations: set[str]) -> M:
    """An unsaved, validated row from ``raw``; keys in ``relations`` are the caller's."""
    fields = plain_fields(model)
    data = expect_object(raw, where, {f.name for f in fields} | relations)
    for field in fields:
        if not _type_ok(field, data[field.name]):
            raise PortabilityError(f"{where}.{field.name}: unexpected value {data[field.name]!r}")
    obj = model(**{f.attname: data[f.name] for f in fields})
    others = [f.name for f in model._meta.fields if f not in fields]  # relations, secrets
    try:
        obj.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PortabilityError(f"{where}.{field}: {' '.join(messages)}") from None
    return obj
