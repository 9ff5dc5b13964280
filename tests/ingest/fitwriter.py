"""A tiny FIT encoder for tests: definitions, data messages, compressed timestamps, developer
fields, chaining and checksums, so fixtures are built in code instead of stored."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from kneecap.ingest.crc import crc_slow, fit_crc

FIT_EPOCH = 631_065_600
ENUM, UINT8, SINT8, UINT16, SINT16, UINT32, SINT32, STRING, BYTE = (
    0x00, 0x02, 0x01, 0x84, 0x83, 0x86, 0x85, 0x07, 0x0D,
)  # fmt: skip
_CODES = {ENUM: "B", UINT8: "B", SINT8: "b", UINT16: "H", SINT16: "h", UINT32: "I", SINT32: "i"}


@dataclass
class FitBuilder:
    big_endian: bool = False
    body: bytearray = field(default_factory=bytearray)
    defs: dict[int, tuple[str, list[tuple[int, int, int]], int]] = field(default_factory=dict)

    def define(
        self,
        local: int,
        gnum: int,
        fields: list[tuple[int, int, int]],  # (field number, base type, size)
        dev_fields: list[tuple[int, int, int]] = (),  # type: ignore[assignment]
    ) -> FitBuilder:
        order = ">" if self.big_endian else "<"
        header = 0x40 | local | (0x20 if dev_fields else 0)
        self.body += bytes([header, 0, int(self.big_endian)]) + struct.pack(order + "H", gnum)
        self.body.append(len(fields))
        for num, base, size in fields:
            self.body += bytes([num, size, base])
        if dev_fields:
            self.body.append(len(dev_fields))
            for num, size, index in dev_fields:
                self.body += bytes([num, size, index])
        self.defs[local] = (order, fields, sum(size for _, size, _ in dev_fields))
        return self

    def data(
        self,
        local: int,
        values: list[object],
        *,
        time_offset: int | None = None,
        dev: bytes | None = None,
    ) -> FitBuilder:
        """A data message; ``time_offset`` (0-31) writes a compressed timestamp header, ``dev``
        the developer fields' bytes (any bytes of the right length when not given)."""
        order, fields, dev_size = self.defs[local]
        if time_offset is None:
            self.body.append(local)
        else:
            self.body.append(0x80 | (local << 5) | (time_offset & 0x1F))
        for (_, base, size), value in zip(fields, values, strict=True):
            if base == STRING:
                self.body += str(value).encode().ljust(size, b"\0")[:size]
            elif isinstance(value, bytes):
                self.body += value
            else:
                self.body += struct.pack(order + _CODES[base], value)
        self.body += bytes(range(dev_size)) if dev is None else dev
        return self

    def build(self, header_size: int = 14) -> bytes:
        header = bytearray([header_size, 0x20]) + struct.pack("<HI", 2132, len(self.body))
        header += b".FIT"
        if header_size == 14:
            header += struct.pack("<H", crc_slow(bytes(header)))
        data = bytes(header) + bytes(self.body)
        return data + struct.pack("<H", fit_crc(data))


def fit_time(iso_unix: int) -> int:
    """FIT seconds for a Unix time."""
    return iso_unix - FIT_EPOCH


FILE_ID_FIELDS = [(0, ENUM, 1), (1, UINT16, 2), (2, UINT16, 2), (4, UINT32, 4)]
RECORD_FIELDS = [(253, UINT32, 4), (0, SINT32, 4), (1, SINT32, 4), (5, UINT32, 4), (3, UINT8, 1)]
SESSION_FIELDS = [
    (253, UINT32, 4),
    (2, UINT32, 4),
    (3, SINT32, 4),
    (5, ENUM, 1),
    (6, ENUM, 1),
    (7, UINT32, 4),
    (8, UINT32, 4),
    (9, UINT32, 4),
    (16, UINT8, 1),
    (17, UINT8, 1),
    (22, UINT16, 2),
    (23, UINT16, 2),
]
INVALID_SINT32 = 0x7FFFFFFF


def semicircles(degrees: float) -> int:
    return round(degrees * 2**31 / 180)


def activity(
    start_unix: int = 1_700_000_000,
    *,
    points: int = 30,
    sessions: list[tuple[int, int, float]] | None = None,  # (sport, offset s, distance m)
    file_type: int = 4,
    gps: bool = True,
    with_session: bool = True,
    big_endian: bool = False,
) -> bytes:
    """A plausible run: one record a second, 3 m/s, heart rate rising from 120."""
    b = FitBuilder(big_endian=big_endian)
    t0 = fit_time(start_unix)
    b.define(0, 0, FILE_ID_FIELDS).data(0, [file_type, 1, 2697, t0])
    b.define(1, 20, RECORD_FIELDS)
    for i in range(points):
        lat = semicircles(48.0 + i * 1e-5) if gps else INVALID_SINT32
        lon = semicircles(2.0) if gps else INVALID_SINT32
        b.data(1, [t0 + i, lat, lon, i * 300, 120 + i % 40])
    if with_session:
        b.define(2, 18, SESSION_FIELDS)
        for sport, offset, distance in sessions or [(1, 0, (points - 1) * 3.0)]:
            start_lat = semicircles(48.0) if gps else INVALID_SINT32
            b.data(
                2,
                [t0 + offset + points, t0 + offset, start_lat, sport, 0, points * 1000,
                 (points - 2) * 1000, round(distance * 100), 140, 159, 12, 11],
            )  # fmt: skip
    b.define(3, 34, [(253, UINT32, 4), (5, UINT32, 4)]).data(3, [t0 + points, t0 + points + 3600])
    return b.build()
