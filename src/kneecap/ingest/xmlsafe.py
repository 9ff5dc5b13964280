"""An expat parser with the dangerous parts of XML switched off.

Activity files never need a DTD, so any DOCTYPE is refused outright; that removes entity
expansion (billion laughs), external entities and external DTD fetches in one rule. Expat
never loads anything from the network or the disk by itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.parsers import expat

from kneecap.ingest.errors import CorruptFile, UnsafeInput


def _refuse_doctype(*_: Any) -> None:
    raise UnsafeInput("XML with a DOCTYPE (DTD) is refused: activity files never need one")


def _refuse_entity(*_: Any) -> None:
    raise UnsafeInput("XML entity declarations are refused")


def _refuse_external(*_: Any) -> int:
    raise UnsafeInput("XML external entities are refused")


def make_parser() -> Any:
    """A non-namespace expat parser that raises ``UnsafeInput`` on any DTD or entity."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    return parser


def parse(parser: Any, data: bytes, kind: str) -> None:
    """Feed the whole document; malformed XML becomes ``CorruptFile``."""
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        raise CorruptFile(f"the {kind} file is not well-formed XML ({_describe(err)})") from None
    except (LookupError, ValueError) as err:  # ValueError: encodings expat cannot take
        raise CorruptFile(f"the {kind} file has an unusable text encoding ({err})") from None
    except RecursionError:
        raise CorruptFile(f"the {kind} file nests too deeply") from None


def _describe(err: expat.ExpatError) -> str:
    return f"{expat.ErrorString(err.code)} at line {err.lineno}"


_DAY_CACHE: dict[str, float] = {}


def iso_time(text: str) -> tuple[float, int | None]:
    """Unix seconds of an ISO 8601 time, and its UTC offset when one other than Z is written.

    Raises ``ValueError`` for text that is not a time. Times without a zone are UTC. The usual
    "2024-05-01T06:30:00Z" form (optionally with a fraction) takes a fast path: track files
    hold thousands of them.
    """
    if len(text) >= 20 and text[-1] == "Z" and text[10] == "T" and text[13] == ":" == text[16]:
        day = _DAY_CACHE.get(text[:10])
        if day is None:
            day = datetime.fromisoformat(text[:10]).replace(tzinfo=UTC).timestamp()
            if len(_DAY_CACHE) > 4096:
                _DAY_CACHE.clear()
            _DAY_CACHE[text[:10]] = day
        hours, minutes, seconds = int(text[11:13]), int(text[14:16]), float(text[17:-1])
        if 0 <= hours < 24 and 0 <= minutes < 60 and 0 <= seconds < 61 and text[17].isdigit():
            return day + hours * 3600 + minutes * 60 + seconds, None
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC).timestamp(), None
    offset = None if text.endswith(("Z", "z")) else when.utcoffset()
    return when.timestamp(), None if offset is None else int(offset.total_seconds())


def floats(texts: Sequence[str | None]) -> list[float | None]:
    """Numbers from element texts, None where missing or unreadable (one bulk pass)."""
    try:
        values = [float(t) if t else None for t in texts]
    except ValueError:
        values = [_float_or_none(t) for t in texts]
    return [v if v is None or math.isfinite(v) else None for v in values]


def _float_or_none(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def times(texts: Sequence[str | None]) -> tuple[list[float | None], int | None]:
    """Unix seconds for each text (None when missing or unreadable) and the first UTC offset."""
    out: list[float | None] = []
    offset: int | None = None
    for text in texts:
        if not text:
            out.append(None)
            continue
        try:
            unix, found = iso_time(text.strip())
        except ValueError:
            out.append(None)
            continue
        if offset is None:
            offset = found
        out.append(unix)
    return out, offset
