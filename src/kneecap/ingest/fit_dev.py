"""Developer fields: values that a Connect IQ app (a swim or rowing app, a power meter's)
writes next to the native ones, described by ``field_description`` messages.

A description may say which native field its values stand for (``native_mesg_num`` and
``native_field_num``); otherwise its name and units tell. kneecap reads a developer field
only where the native one is missing or zero: an indoor rowing app that writes
``total_distance = 0`` and its real distance as a developer field is read as the runner's
watch shows it.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Any

# field_description message fields
_INDEX, _NUMBER, _BASE_TYPE, _NAME, _SCALE, _OFFSET, _UNITS, _MESG, _FIELD = (
    0, 1, 2, 3, 6, 7, 8, 14, 15,
)  # fmt: skip
# base type (low 5 bits) -> struct code, invalid value (None: NaN is the invalid float)
_NUMERIC: dict[int, tuple[str, float | None]] = {
    0x00: ("B", 0xFF), 0x01: ("b", 0x7F), 0x02: ("B", 0xFF), 0x03: ("h", 0x7FFF),
    0x04: ("H", 0xFFFF), 0x05: ("i", 0x7FFFFFFF), 0x06: ("I", 0xFFFFFFFF),
    0x08: ("f", None), 0x09: ("d", None), 0x0A: ("B", 0), 0x0B: ("H", 0), 0x0C: ("I", 0),
    0x0E: ("q", 0x7FFFFFFFFFFFFFFF), 0x0F: ("Q", 0xFFFFFFFFFFFFFFFF), 0x10: ("Q", 0),
}  # fmt: skip
_METRES_PER_UNIT = {"m": 1.0, "meter": 1.0, "meters": 1.0, "metres": 1.0, "km": 1000.0,
                    "mi": 1609.344, "miles": 1609.344}  # fmt: skip
_DISTANCE_NAMES = {"distance", "total_distance", "totaldistance", "total distance"}
_HEART_RATE_NAMES = {"heart rate", "heart_rate", "heartrate", "hr"}


@dataclass(frozen=True, slots=True)
class DevField:
    base_type: int
    name: str
    units: str
    scale: float
    offset: float
    mesg: int | None  # the message it belongs to, and the native field it stands for,
    native: int | None  # when the app says

    def number(self, raw: bytes, big: bool) -> float | None:
        """The field's value in its units, None when invalid or not a number."""
        code = _NUMERIC.get(self.base_type & 0x1F)
        if code is None or struct.calcsize(code[0]) != len(raw):
            return None
        (value,) = struct.unpack((">" if big else "<") + code[0], raw)
        if value == code[1] or not math.isfinite(value):
            return None
        return float(value) / self.scale - self.offset


def descriptions(messages: list[dict[int, Any]], dev_key: int) -> dict[int, DevField]:
    """The developer fields described in a file, by the key its messages store them under
    (``dev_key + (developer data index << 8) + field number``)."""
    out: dict[int, DevField] = {}
    for m in messages:
        if _INDEX not in m or _NUMBER not in m or _BASE_TYPE not in m:
            continue
        out[dev_key + (m[_INDEX] << 8) + m[_NUMBER]] = DevField(
            base_type=m[_BASE_TYPE],
            name=_text(m.get(_NAME)),
            units=_text(m.get(_UNITS)),
            scale=float(m.get(_SCALE) or 1),
            offset=float(m.get(_OFFSET) or 0),
            mesg=m.get(_MESG),
            native=m.get(_FIELD),
        )
    return out


def _text(raw: object) -> str:
    if not isinstance(raw, bytes):
        return ""
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip().lower()


def distance_key(fields: dict[int, DevField], keys: object, mesg: int, native: int) -> int | None:
    """The key of the developer field that holds a distance in metres for ``(mesg, native)``,
    among ``keys`` (those a message has)."""
    return _find(fields, keys, mesg, native, _DISTANCE_NAMES, set(_METRES_PER_UNIT))


def heart_rate_key(fields: dict[int, DevField], keys: object, mesg: int, native: int) -> int | None:
    return _find(fields, keys, mesg, native, _HEART_RATE_NAMES, {"bpm", ""})


def metres(field: DevField, value: float) -> float:
    return value * _METRES_PER_UNIT.get(field.units, 1.0)


def _find(
    fields: dict[int, DevField],
    keys: object,
    mesg: int,
    native: int,
    names: set[str],
    units: set[str],
) -> int | None:
    candidates = [k for k in fields if k in keys]  # type: ignore[operator]
    for key in candidates:  # the app says which native field it stands for
        if (fields[key].mesg, fields[key].native) == (mesg, native):
            return key
    for key in candidates:
        f = fields[key]
        if f.native is None and f.mesg in (None, mesg) and f.name in names and f.units in units:
            return key
    return None
