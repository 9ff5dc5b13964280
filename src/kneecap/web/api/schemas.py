"""API schemas derived from core's field definitions (``kneecap.core.log``), never retyped.

Each logged type's fields become a pydantic model with the same names, types, meanings and
bounds (shown in the OpenAPI document). Unknown keys are refused by name. Bounds are left
to core's own checks, so the API, the web app and the CLI refuse a value with the same words.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, create_model

from kneecap.core import log as core

_PLAIN: dict[core.Kind, type[Any]] = {
    core.Kind.WHOLE: int,
    core.Kind.NUMBER: float,
    core.Kind.FLAG: bool,
    core.Kind.TEXT: str,
    core.Kind.SLUG: str,
    core.Kind.DATE: date,
}


def _no_nul(text: str) -> str:
    if "\x00" in text:  # PostgreSQL cannot store it; say which field rather than fail later
        raise ValueError("contains a NUL character")
    return text


Text = Annotated[str, AfterValidator(_no_nul)]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


def schema_of(
    cls: type[Any],
    name: str,
    *,
    lists: dict[str, type[Any]] | None = None,
    extra: dict[str, Any] | None = None,
    optional: tuple[str, ...] = (),
    base: type[Schema] = Strict,
) -> type[Schema]:
    """A schema named ``name`` with every field of ``cls``; ``lists`` gives the item schema of
    each list field, ``extra`` more fields as ``name: (type, FieldInfo)``, ``optional`` the
    required fields this endpoint fills in when left out."""
    fields: dict[str, Any] = {}
    for field, spec in core.specs(cls):
        kind = _type(spec, (lists or {}).get(field))
        required = spec.required and field not in optional
        default = ... if required else core.field_default(cls, field)
        if default == () and spec.kind is core.Kind.LIST:
            default = []
        fields[field] = (
            kind if required else kind | None,
            Field(default, description=spec.doc, json_schema_extra=_bounds(spec)),
        )
    fields.update(extra or {})
    model: type[Schema] = create_model(name, __base__=base, **fields)
    return model


def _type(spec: core.Spec, item: type[Any] | None) -> Any:
    if spec.kind is core.Kind.LIST:
        # ``item`` is a schema made at run time: to mypy a value, not a type
        return list[item] if item is not None else list[Any]  # type: ignore[valid-type]
    if spec.kind is core.Kind.CHOICE and spec.choices is not None:
        return Literal[tuple(c.value for c in spec.choices)]
    return _PLAIN[spec.kind]


def _bounds(spec: core.Spec) -> dict[str, Any] | None:
    if spec.kind in (core.Kind.WHOLE, core.Kind.NUMBER):
        return {"minimum": spec.lo, "maximum": spec.hi}
    if spec.kind is core.Kind.TEXT:
        return {"maxLength": spec.hi}
    return None


def body(payload: Schema) -> dict[str, Any]:
    """A validated request body as core's JSON shape (what ``core.from_json`` reads): the
    keys the client sent, a null included, and no others."""
    return payload.model_dump(mode="json", exclude_unset=True)
