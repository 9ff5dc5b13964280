"""A small writer for FIT files: a 14-byte header, definition and data messages, the CRCs.

Only what kneecap writes is supported: little-endian messages with integer and string fields,
no compressed timestamps and no developer fields (so protocol 1.0 is enough).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from kneecap.ingest.crc import fit_crc

PROTOCOL_VERSION = 0x10  # 1.0
PROFILE_VERSION = 21171  # 21.171, in which every type value written here is defined
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
MAX_STRING_BYTES = 254  # a field is at most 255 bytes, the last one the terminating NUL


class BaseType(NamedTuple):
    code: int
    fmt: str  # struct code, little-endian


ENUM = BaseType(0x00, "B")
UINT16 = BaseType(0x84, "H")
UINT32 = BaseType(0x86, "I")
STRING = BaseType(0x07, "s")


@dataclass(frozen=True, slots=True)
class Field:
    num: int
    base: BaseType
    value: int | str

    def encode(self) -> bytes:
        if isinstance(self.value, str):
            return _text(self.value) + b"\0"
        return struct.pack("<" + self.base.fmt, self.value)


def _text(value: str) -> bytes:
    """UTF-8, cut to the field limit without splitting a character."""
    raw = value.encode("utf-8")[:MAX_STRING_BYTES]
    return raw.decode("utf-8", errors="ignore").encode("utf-8")


def fit_time(moment: datetime) -> int:
    """Seconds since the FIT epoch (1989-12-31 00:00 UTC)."""
    return int((moment - FIT_EPOCH).total_seconds())


class FitWriter:
    """Collects messages; each global message gets its own local type, defined again only
    when the fields (or a string's length) change."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._locals: dict[int, int] = {}
        self._layouts: dict[int, tuple[tuple[int, int, int], ...]] = {}

    def message(self, global_num: int, fields: list[Field]) -> None:
        local = self._locals.setdefault(global_num, len(self._locals))
        if local > 15:
            raise ValueError("a FIT file has 16 local message types")
        payloads = [f.encode() for f in fields]
        layout = tuple((f.num, len(p), f.base.code) for f, p in zip(fields, payloads, strict=True))
        if self._layouts.get(local) != layout:
            self._layouts[local] = layout
            self._data += struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(layout))
            for entry in layout:
                self._data += struct.pack("<BBB", *entry)
        self._data.append(local)
        for payload in payloads:
            self._data += payload

    def to_bytes(self) -> bytes:
        """The whole file: header with its CRC, the messages, then the file CRC."""
        header = struct.pack(
            "<BBHI4s", 14, PROTOCOL_VERSION, PROFILE_VERSION, len(self._data), b".FIT"
        )
        header += struct.pack("<H", fit_crc(header))
        body = header + bytes(self._data)
        return body + struct.pack("<H", fit_crc(body))
