"""One activity file from bytes: content sniffing, bounded gunzip, dispatch to the readers.

Everything a reader can raise leaves here as an ``IngestError`` subclass: the readers are
written to raise nothing else, and a last guard turns any slip into ``CorruptFile`` so that one
odd file can never stop an import (issue 7 §6).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from enum import StrEnum
from typing import cast

from isal import isal_zlib

from kneecap.core.activity import Activity
from kneecap.ingest.errors import CorruptFile, IngestError, LimitExceeded, UnsupportedFile
from kneecap.ingest.fit import read_fit
from kneecap.ingest.gpx import read_gpx
from kneecap.ingest.limits import DEFAULT_LIMITS, Limits
from kneecap.ingest.tcx import read_tcx


class Format(StrEnum):
    FIT = "fit"
    GPX = "gpx"
    TCX = "tcx"
    GZIP = "gzip"
    ZIP = "zip"
    UNKNOWN = "unknown"


# isal's stubs type its exception class as an instance; ``except`` needs the class.
InflateError = cast(type[Exception], isal_zlib.error)
_XML_ROOT = re.compile(rb"<(?:[\w.-]+:)?(gpx|TrainingCenterDatabase)[\s>/]")
_READERS: dict[Format, Callable[[bytes, str, str], list[Activity]]] = {
    Format.FIT: read_fit,
    Format.GPX: read_gpx,
    Format.TCX: read_tcx,
}


def sniff(head: bytes) -> Format:
    """The format of a file from its first bytes (4 KiB is plenty), whatever its name."""
    if head[:2] == b"\x1f\x8b":
        return Format.GZIP
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return Format.ZIP
    if len(head) >= 12 and head[0] in (12, 14) and head[8:12] == b".FIT":
        return Format.FIT
    text = head[:4096]
    if text[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at it as UTF-8 to sniff
        text = text.decode("utf-16", "ignore").encode()
    found = _XML_ROOT.search(text)
    if found:
        return Format.GPX if found.group(1) == b"gpx" else Format.TCX
    return Format.UNKNOWN


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data (all members) to at most ``limit`` bytes (ISA-L's inflate: 2.2x
    zlib's on activity files)."""
    out = bytearray()
    rest = data
    try:
        while rest[:2] == b"\x1f\x8b":
            inflater = isal_zlib.decompressobj(wbits=31)
            out += inflater.decompress(rest, limit + 1 - len(out))
            if len(out) > limit:
                raise LimitExceeded(f"decompresses to more than {limit:,} bytes")
            if not inflater.eof:
                raise CorruptFile("the gzip data is cut short")
            rest = inflater.unused_data
    except InflateError as err:
        raise CorruptFile(f"the gzip data is damaged ({err})") from None
    return bytes(out)


def read_bytes(data: bytes, name: str, *, limits: Limits = DEFAULT_LIMITS) -> list[Activity]:
    """The activities in one file's bytes (gzipped or not); raises only ``IngestError``.

    ``NotAnActivity`` (a subclass) means the file is valid but holds no activity.
    """
    if len(data) > limits.max_file_bytes:
        raise LimitExceeded(f"larger than the {limits.max_file_bytes:,}-byte limit for one file")
    kind = sniff(data[:4096])
    if kind is Format.GZIP:
        data = gunzip(data, limits.max_file_bytes)
        kind = sniff(data[:4096])
    reader = _READERS.get(kind)
    if reader is None:
        what = "an archive inside a compressed file" if kind is Format.ZIP else "FIT, GPX or TCX"
        raise UnsupportedFile(f"not {what}" if kind is not Format.ZIP else what)
    sha = hashlib.sha256(data).hexdigest()
    try:
        return reader(data, name, sha)
    except IngestError:
        raise
    except RecursionError:
        raise CorruptFile(f"the {kind.value.upper()} file nests too deeply") from None
    except Exception as err:  # the last guard of issue 7 §6
        raise CorruptFile(
            f"the {kind.value.upper()} file could not be read ({type(err).__name__})"
        ) from None
