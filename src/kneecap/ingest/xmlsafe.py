"""An expat parser with the dangerous parts of XML switched off.

Activity files never need a DTD, so any DOCTYPE is refused outright; that removes entity
expansion (billion laughs), external entities and external DTD fetches in one rule. Expat
never loads anything from the network or the disk by itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
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


def iso_time(text: str) -> tuple[float, int | None]:
    """Unix seconds of an ISO 8601 time, and its UTC offset when one other than Z is written.

    Raises ``ValueError`` for text that is not a time. Times without a zone are UTC. Track
    files hold thousands of times: datetime's own parser (in C since Python 3.11, "Z"
    included) with the seconds added up from its fields takes about half the time of a
    parse by string slices (1.5 -> 0.8 µs), whose "+02:00" form went through
    ``datetime.timestamp`` (slower than the parse itself).
    """
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return _leap_second(text)
    zone = when.tzinfo
    offset = 0 if zone is None else _OFFSETS.get(zone)
    if offset is None:
        offset = _offset_of(when)
    unix = (
        (when.toordinal() - _EPOCH_DAY) * 86400
        + when.hour * 3600
        + when.minute * 60
        + when.second
        - offset
        + when.microsecond / 1e6
    )
    return unix, None if zone is None or text[-1] == "Z" else offset


def _offset_of(when: datetime) -> int:
    """Seconds east of UTC of an aware time's zone, kept for the next time in that zone."""
    zone, delta = when.tzinfo, when.utcoffset()
    if zone is None or delta is None:
        return 0
    if len(_OFFSETS) > 256:  # offsets may be written to the second: keep a few
        _OFFSETS.clear()
    offset = _OFFSETS[zone] = int(delta.total_seconds())
    return offset


_EPOCH_DAY = date(1970, 1, 1).toordinal()
_OFFSETS: dict[tzinfo, int] = {}


def _leap_second(text: str) -> tuple[float, int | None]:
    """A leap second (":60", which datetime refuses) is the second after ":59"."""
    if len(text) < 19 or text[16:19] != ":60":
        raise ValueError(f"not a time: {text[:40]!r}")
    unix, offset = iso_time(text[:17] + "59" + text[19:])
    return unix + 1, offset


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
