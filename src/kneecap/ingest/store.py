"""Keeping each activity file's original: appended to a pack, or as a file of its own.

The reading process keeps what it read, so that an export's bytes never travel between
processes (the 377 MB of a 3,000-file Garmin export used to be pickled back to the importer,
which then wrote them). An import keeps its originals in packs: each reading process appends
what it reads to one pack file of its own, and a record points at its original by pack,
offset and size. Creating a file costs about 0.5 ms of kernel time on the disks measured here
(whatever its size: an empty one too), 1.5 s for 3,000 originals against 0.1 s to append
them to one file. Whole files, named by content, remain for single originals (an account
import). A crash leaves at worst bytes no record points at; whoever owns the folder sweeps
files no record refers to and erases ranges it no longer needs.
"""

from __future__ import annotations

import fcntl
import os
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

TEMP_PREFIX = ".tmp-"
PACK_SUFFIX = ".pack"
PACKS = "packs"  # under the files folder: one folder per import
LOCK_NAME = ".lock"


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
class Kept:
    """Where an original was kept: a file in the store's folder, and the range in it."""

    name: str
    offset: int | None  # None: the whole file
    size: int


class Store(Protocol):
    def keep(self, original: Original, sha256: str, fmt: str) -> Kept: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ContentStore:
    """A folder of whole originals, each named ``<sha256>.<format>`` (``.gz`` added when the
    kept bytes are gzip): the same file twice is one file."""

    folder: str

    def keep(self, original: Original, sha256: str, fmt: str) -> Kept:
        name = f"{sha256}.{fmt or 'bin'}{'.gz' if original.gzip else ''}"
        final = Path(self.folder) / name
        chunks = original.chunks()
        if not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = final.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
            with open(temp, "wb") as handle:
                handle.writelines(chunks)
            os.replace(temp, final)  # whole or absent: never half-written under its name
        return Kept(name, None, sum(map(len, chunks)))

    def close(self) -> None:
        pass


@dataclass(slots=True)
class _Pack:
    fd: int
    name: str
    size: int


# The pack each process is appending to, by folder: a store crosses to the reading
# processes pickled, so the open file is kept here, in the process that writes it.
_packs: dict[str, _Pack] = {}


@dataclass(frozen=True, slots=True)
class PackStore:
    """Originals appended to one pack per process (``<random>.pack`` in ``folder``)."""

    folder: str

    def keep(self, original: Original, sha256: str, fmt: str) -> Kept:
        pack = _packs.get(self.folder)
        if pack is None:
            os.makedirs(self.folder, exist_ok=True)
            name = f"{uuid.uuid4().hex}{PACK_SUFFIX}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC
            pack = _packs[self.folder] = _Pack(
                os.open(Path(self.folder, name), flags, 0o600), name, 0
            )
        chunks = original.chunks()
        size = sum(map(len, chunks))
        try:
            _write_all(pack.fd, chunks)
        except OSError:
            self.close()  # the pack's end is unknown now: the next original starts a new one
            raise
        offset, pack.size = pack.size, pack.size + size
        return Kept(pack.name, offset, size)

    def close(self) -> None:
        """Stop appending to this process's pack (a later import starts a new one)."""
        pack = _packs.pop(self.folder, None)
        if pack is not None:
            os.close(pack.fd)


def _write_all(fd: int, chunks: tuple[bytes, ...]) -> None:
    """One ``writev`` for a gzip's header, stream and trailer (three writes were three system
    calls per original); what a short write leaves is written in turn."""
    done = os.writev(fd, chunks)
    for chunk in chunks:
        if done >= len(chunk):
            done -= len(chunk)
            continue
        view = memoryview(chunk)[done:]
        done = 0
        while view:
            view = view[os.write(fd, view) :]


class ImportSpace:
    """A folder of one import's own for its packs, ``packs/<id>/``, locked while it lives.

    Reading can then start before anything else is known (the runner, the database), as
    ``kneecap import`` does while Django starts: a sweep leaves a folder alone as long as its
    lock is held, by the importing process or the readers it forked (an open file each, so
    the kernel releases it when they are gone, crashed or not), and only then clears the
    packs no record uses.
    """

    def __init__(self, files_root: Path) -> None:
        self.id = uuid.uuid4().hex
        self.relative = f"{PACKS}/{self.id}"
        self.folder = files_root / PACKS / self.id
        self.store = PackStore(str(self.folder))
        self._lock: int | None = None

    def __enter__(self) -> ImportSpace:
        self.folder.mkdir(parents=True)
        self._lock = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()  # this process's pack, when it read itself
        if self._lock is not None:
            os.close(self._lock)


def in_use(folder: Path) -> bool:
    """Whether an import still holds its folder (this process's own included)."""
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
