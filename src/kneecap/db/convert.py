"""Values between a model's columns and a core type's fields, by the core field's spec.

A column carries the name of the core field it stores (``kneecap.core.log``): these two
functions are the whole mapping. Choices are stored as their text ("" for not given).
"""

from __future__ import annotations

from typing import Any

from kneecap.core.log import Kind, Spec


def db_value(spec: Spec, value: Any) -> Any:
    """A core field's value as its column stores it."""
    if spec.kind is Kind.CHOICE:
        return "" if value is None else value.value
    return value


def core_value(spec: Spec, value: Any) -> Any:
    """A column's value as the core field holds it."""
    if spec.kind is Kind.CHOICE:
        return spec.choices(value) if value and spec.choices is not None else None
    if spec.kind is Kind.NUMBER and value is not None:
        return float(value)
    return value
