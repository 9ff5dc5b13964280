"""Validation of exercise data: the shipped TOML files and users' own exercises alike.

Every problem is a :class:`CatalogError` naming the source and the field, e.g.
``tibialis-raise.toml: levels[1].prescription.reps: must be ≥ 1, got -3``. The limits refuse
absurd numbers and oversized text, since custom exercises arrive from web forms and the API.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

_E = TypeVar("_E", bound=StrEnum)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # newline allowed only in long text


class CatalogError(ValueError):
    """An exercise that cannot be used; ``field`` is the dotted path of the wrong value."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        where = f"{field}: " if field else ""
        super().__init__(f"{source}: {where}{problem}")


_Error = Callable[[str, str], CatalogError]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


@dataclass(frozen=True, slots=True)
class Obj:
    """A mapping being read, with its path for error messages; every read is type-checked."""

    data: Mapping[str, Any]
    path: str
    source: str

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> CatalogError:
        return CatalogError(self.source, self.where(key) if key else self.path, problem)

    def only(self, allowed: frozenset[str]) -> None:
        unknown = sorted(str(k) for k in set(self.data) - allowed)
        if unknown:
            raise self.error("", f"unknown field(s): {', '.join(unknown)}")

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise self.error(key, "is required")
        return self.data[key]

    def text(self, key: str, limit: int, *, default: str | None = None, lines: bool = False) -> str:
        if default is not None and key not in self.data:
            return default
        return _text(self.raw(key), self.error, key, limit, lines)

    def texts(self, key: str, limit: int, *, most: int = 20, least: int = 0) -> tuple[str, ...]:
        value = self.raw(key) if least else self.data.get(key, [])
        if not isinstance(value, list):
            raise self.error(key, f"expected a list of text, got {type(value).__name__}")
        if not least <= len(value) <= most:
            raise self.error(key, f"must have {least}–{most} items, got {len(value)}")
        return tuple(
            _text(v, self.error, f"{key}[{i}]", limit, lines=True) for i, v in enumerate(value)
        )

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {value!r}")
        return value

    def whole(self, key: str, lo: int, hi: int) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected a whole number, got {_show(value)}")
        return int(_bounded(value, lo, hi, self.error, key))

    def number(self, key: str, lo: float, hi: float) -> float:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise self.error(key, f"expected a number, got {_show(value)}")
        return float(_bounded(value, lo, hi, self.error, key))

    def choice(self, kind: type[_E], key: str, default: _E | None = None) -> _E:
        if default is not None and key not in self.data:
            return default
        return _choice(kind, self.raw(key), self.error, key)

    def choices(self, kind: type[_E], key: str, *, most: int = 8) -> tuple[_E, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {type(value).__name__}")
        if len(value) > most:
            raise self.error(key, f"must have at most {most} items, got {len(value)}")
        items = tuple(_choice(kind, v, self.error, f"{key}[{i}]") for i, v in enumerate(value))
        if len(set(items)) != len(items):
            raise self.error(key, "lists an item twice")
        return items

    def slug(self, key: str, limit: int = 60) -> str:
        value = self.text(key, limit)
        if not SLUG.match(value):
            raise self.error(key, f"{value!r} must be lowercase letters, digits and hyphens")
        return value

    def child(self, key: str) -> Obj:
        value = self.raw(key)
        if not isinstance(value, Mapping):
            raise self.error(key, f"expected a table/object, got {type(value).__name__}")
        return Obj(value, self.where(key), self.source)

    def children(self, key: str, most: int) -> list[Obj]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {type(value).__name__}")
        if not 1 <= len(value) <= most:
            raise self.error(key, f"must have 1–{most} items, got {len(value)}")
        out: list[Obj] = []
        for i, item in enumerate(value):
            if not isinstance(item, Mapping):
                raise self.error(f"{key}[{i}]", "expected a table/object")
            out.append(Obj(item, self.where(f"{key}[{i}]"), self.source))
        return out


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _choice(kind: type[_E], value: Any, error: _Error, key: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        choices = "|".join(m.value for m in kind)
        raise error(key, f"{_show(value)} is not one of {choices}") from None


def _bounded(value: float, lo: float, hi: float, error: _Error, key: str) -> float:
    if not math.isfinite(value) or value < lo:
        raise error(key, f"must be ≥ {_num(lo)}, got {_num(value)}")
    if value > hi:
        raise error(key, f"must be ≤ {_num(hi)}, got {_num(value)}")
    return value


def _text(value: Any, error: _Error, key: str, limit: int, lines: bool) -> str:
    if not isinstance(value, str):
        raise error(key, f"expected text, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise error(key, "must not be empty")
    if len(text) > limit:
        raise error(key, f"must be at most {limit} characters, got {len(text)}")
    if _CONTROL.search(text) or (not lines and "\n" in text):
        raise error(key, "must be a single line of plain text")
    return text
