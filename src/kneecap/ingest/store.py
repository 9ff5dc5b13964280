"""Keeping each activity file's original in a folder, named by its content.

The reading process keeps what it read, so that an export's bytes never travel between
processes (the 377 MB of a 3,000-file Garmin export used to be pickled back to the importer,
which then wrote them). Files are named ``<sha256>.<format>`` (``.gz`` added when the kept
bytes are gzip), the sha256 being that of the activity file itself: the same file twice is
one file. Each is written under a temporary name and renamed into place, so a crash leaves a
temporary file or a whole one, never a half-written original; whoever owns the folder sweeps
what no record refers to.
"""

from __future__ import annotations

import os
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path

TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True, slots=True)
class Original:
    """What to keep of one file: its bytes, or a gzip container around a raw deflate stream
    (a zip member, kept compressed as it came instead of inflated or compressed again)."""

    data: bytes
    deflated: bytes | None = None  # the member's raw deflate stream
    crc32: int = 0  # of ``data``, from the zip directory (checked when it was inflated)

    @property
    def gzip(self) -> bool:
        return self.deflated is not None or self.data[:2] == b"\x1f\x8b"

    def chunks(self) -> tuple[bytes, ...]:
        if self.deflated is None:
            return (self.data,)
        # RFC 1952: magic, deflate, no flags, no time, no extra flags, unknown OS; then the
        # stream, the CRC-32 and the size modulo 2^32 (zip and gzip share both).
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        trailer = struct.pack("<II", self.crc32, len(self.data) & 0xFFFFFFFF)
        return header, self.deflated, trailer


@dataclass(frozen=True, slots=True)
class ContentStore:
    """A folder of originals; picklable, so reading processes get it with their work."""

    folder: str

    def keep(self, original: Original, sha256: str, fmt: str) -> tuple[str, bool]:
        """The file's name in the folder, and whether this call wrote it."""
        name = f"{sha256}.{fmt or 'bin'}{'.gz' if original.gzip else ''}"
        final = Path(self.folder) / name
        if final.exists():
            return name, False
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        with open(temp, "wb") as handle:
            handle.writelines(original.chunks())
        os.replace(temp, final)  # made durable by the importer before rows point at it
        return name, True
