"""Fuzz target: the FIT reader (`kneecap.ingest.fit.read_fit`) on arbitrary bytes.

Random bytes almost never pass a FIT file's two checksums, so every other input is first
re-wrapped with correct sizes and checksums around its body: the message walker then sees
the damage instead of the checksum test refusing it at the door.
"""

from __future__ import annotations

import atheris
import harness

with atheris.instrument_imports(include=["kneecap"]):
    from kneecap.ingest.fit import read_fit

from tests.ingest.fitwriter import FitBuilder


def rewrapped(data: bytes) -> bytes:
    """``data`` as it is when its first byte is even, else its FIT body with valid checksums."""
    if not data or data[0] % 2 == 0:
        return data
    builder = FitBuilder()
    builder.body = bytearray(data[14:-2] if data[8:12] == b".FIT" else data[1:])
    return builder.build()


def check(data: bytes) -> None:
    harness.read_or_refuse(read_fit, rewrapped(data))


if __name__ == "__main__":
    harness.run(check)
