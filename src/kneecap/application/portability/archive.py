"""The account archive as a zip: ``kneecap.json`` plus the original activity files.

Reading treats the archive as hostile: only ``kneecap.json`` and flat ``files/NAME`` entries
are allowed (no folders, so no path can climb out), sizes are capped before anything is
unpacked, and files are streamed in chunks, never read whole.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from kneecap.application.portability.records import PortabilityError

DOCUMENT = "kneecap.json"
FILE_NAME = re.compile(r"files/[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    archive_bytes: int = 64 << 30
    entries: int = 200_000
    document_bytes: int = 64 << 20
    file_bytes: int = 256 << 20
    total_bytes: int = 32 << 30
    ratio: int = 200  # a zip bomb compresses far better than any activity file


LIMITS = Limits()
Source = bytes | str | Path


def stored_name(name: str) -> str:
    """Where an archive file lives in a runner's folder: gzipped, as the importer keeps it."""
    return name.removeprefix("files/") + ".gz"


def archive_name(stored: str, taken: set[str]) -> str:
    """A safe, unique ``files/`` name for a stored original (``X.fit.gz`` → ``files/X.fit``)."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(stored).name.removesuffix(".gz"))[:180]
    base = base if base[:1].isalnum() else f"f{base}"
    name, n = f"files/{base}", 1
    while name in taken:
        n += 1
        name = f"files/{n}-{base}"
    taken.add(name)
    return name


# Writing ----------------------------------------------------------------------------------


def _entry(name: str, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def add_file(zf: zipfile.ZipFile, name: str, kept: bytes, when: datetime) -> tuple[str, int]:
    """One kept original into the archive, un-gzipped in chunks; its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    raw = io.BytesIO(kept)
    src: Any = gzip.GzipFile(fileobj=raw) if kept[:2] == b"\x1f\x8b" else raw
    with src, zf.open(_entry(name, when), "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return digest.hexdigest(), size


def add_document(zf: zipfile.ZipFile, doc: dict[str, Any], when: datetime) -> None:
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False)
    zf.writestr(_entry(DOCUMENT, when), text.encode())


# Reading ----------------------------------------------------------------------------------


@contextmanager
def open_archive(source: Source, limits: Limits = LIMITS) -> Iterator[zipfile.ZipFile]:
    """The zip, once its listing has passed every check."""
    try:
        size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
        if size > limits.archive_bytes:
            raise PortabilityError(f"the archive is larger than {limits.archive_bytes} bytes")
        zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PortabilityError(f"cannot open the archive as a zip: {exc}") from None
    with zf:
        check_listing(zf, limits)
        yield zf


def check_listing(zf: zipfile.ZipFile, limits: Limits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.entries:
        raise PortabilityError(f"the archive has more than {limits.entries} entries")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise PortabilityError("the archive names the same entry twice")
    for info in infos:
        _check_entry(info, limits)
    if sum(info.file_size for info in infos) > limits.total_bytes:
        raise PortabilityError(f"the archive unpacks to more than {limits.total_bytes} bytes")
    if DOCUMENT not in names:
        raise PortabilityError(f"no {DOCUMENT} inside: this is not a kneecap account archive")


def _check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    shown = repr(name[:80])
    if name != DOCUMENT and not FILE_NAME.fullmatch(name):
        raise PortabilityError(f"unexpected entry {shown}: only {DOCUMENT} and files/NAME belong")
    if info.flag_bits & 0x1:
        raise PortabilityError(f"entry {shown} is encrypted")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise PortabilityError(f"entry {shown} is a symbolic link")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PortabilityError(f"entry {shown} uses an unsupported compression method")
    cap = limits.document_bytes if name == DOCUMENT else limits.file_bytes
    if info.file_size > cap:
        raise PortabilityError(f"entry {shown} is larger than {cap} bytes")
    if info.file_size > CHUNK and info.file_size > limits.ratio * max(info.compress_size, 1):
        raise PortabilityError(f"entry {shown} is compressed suspiciously well (a zip bomb?)")


def read_document(zf: zipfile.ZipFile, limits: Limits = LIMITS) -> Any:
    try:
        with zf.open(DOCUMENT) as fh:
            raw = fh.read(limits.document_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise PortabilityError(f"{DOCUMENT} is damaged: {exc}") from None
    if len(raw) > limits.document_bytes:
        raise PortabilityError(f"{DOCUMENT} is larger than {limits.document_bytes} bytes")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise PortabilityError(f"{DOCUMENT} is not valid JSON: {str(exc)[:120]}") from None


def check_contents(zf: zipfile.ZipFile, manifest: dict[str, tuple[str, int]]) -> None:
    """The archive holds exactly the document and the files its manifest lists."""
    listed = set(zf.namelist()) - {DOCUMENT}
    if extra := sorted(listed - manifest.keys()):
        raise PortabilityError(f"{extra[0]!r} is in the archive but not in the manifest")
    if missing := sorted(manifest.keys() - listed):
        raise PortabilityError(f"{missing[0]!r} is in the manifest but not in the archive")


def stage_file(zf: zipfile.ZipFile, name: str, expected: tuple[str, int], dest: Path) -> None:
    """Unpack one file gzipped into ``dest``, refusing it unless hash and size match."""
    digest, size = hashlib.sha256(), 0
    try:
        with zf.open(name) as src, open(dest, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            _sync(raw)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise PortabilityError(f"{name} is damaged: {exc}") from None
    if (digest.hexdigest(), size) != expected:
        raise PortabilityError(f"{name} does not match the SHA-256 and size in the manifest")


def _sync(fh: IO[bytes]) -> None:
    fh.flush()
    os.fsync(fh.fileno())
