"""Whole exports: a Strava bulk export, a Garmin Connect export, any zip or folder of files.

Work is split in two steps so that it can run on several cores:

* ``plan`` walks folders and zip directories (nested zips included) and yields one ``Entry``
  per candidate file, or a ready ``FileResult`` for what is refused or skipped by its name;
* ``read_entry`` reads one entry's bytes and runs the readers.

Nothing is ever extracted to disk: entries are read into memory, so names that try to leave
the archive (zip slip) cannot do harm; they are still reported, as are symbolic links.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import struct
import tempfile
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from isal import isal_zlib

from kneecap.core.activity import Activity, normalize_sport, sub_sport_from_label
from kneecap.ingest.errors import (
    CorruptFile,
    IngestError,
    LimitExceeded,
    NotAnActivity,
    UnsafeInput,
    UnsupportedFile,
)
from kneecap.ingest.limits import DEFAULT_LIMITS, Limits
from kneecap.ingest.reader import Format, InflateError, read_bytes, sniff
from kneecap.ingest.results import FileResult
from kneecap.ingest.store import Original, Store

# Files an export carries besides activities; skipped by name, without reading them.
_NOT_ACTIVITY_SUFFIXES = frozenset(
    [".json", ".csv", ".txt", ".html", ".htm", ".pdf", ".md", ".db",
     ".jpg", ".jpeg", ".png", ".gif", ".heic", ".webp", ".mp4", ".mov"]
)  # fmt: skip
_STRAVA_CSV = "activities.csv"
_SPOOL_IN_MEMORY = 16 * 1024 * 1024  # nested archives above this are copied to a temp file


@dataclass(frozen=True, slots=True)
class StravaInfo:
    """What Strava's activities.csv says about one file: the title and the sport."""

    name: str | None
    activity_type: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One file to read: a path on disk, or a chain of names through nested zip files."""

    root: str  # a file on disk (a zip when ``chain`` is not empty)
    chain: tuple[str, ...] = ()
    display: str = ""
    strava: StravaInfo | None = None


def plan(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Entry | FileResult]:
    """The entries of a file, folder or archive, in a stable order."""
    path = Path(path)
    try:
        mode = path.lstat().st_mode
    except OSError as err:
        yield FileResult.error(str(path), f"cannot be opened ({err.strerror})")
        return
    if stat.S_ISLNK(mode):
        yield FileResult.error(str(path), "a symbolic link, not followed")
    elif stat.S_ISDIR(mode):
        yield from _plan_folder(path, limits)
    elif stat.S_ISREG(mode) and _is_zip_file(path):
        yield from _plan_zip_file(path, limits)
    elif stat.S_ISREG(mode):
        yield Entry(str(path), display=str(path))
    else:
        yield FileResult.error(str(path), "not a regular file")


def _is_zip_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return sniff(handle.read(4)) is Format.ZIP
    except OSError:
        return False


def _plan_folder(folder: Path, limits: Limits) -> Iterator[Entry | FileResult]:
    strava = _strava_from_folder(folder, limits)
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        for link in [d for d in dirnames if (base / d).is_symlink()]:
            dirnames.remove(link)
            yield FileResult.error(str(base / link), "a symbolic link, not followed")
        for filename in sorted(filenames):
            path = base / filename
            relative = path.relative_to(folder).as_posix()
            if strava is not None and relative == strava[0]:
                continue  # the index itself
            skip = _skip_by_name(filename)
            if path.is_symlink():
                yield FileResult.error(str(path), "a symbolic link, not followed")
            elif skip:
                yield FileResult.skipped(str(path), skip)
            elif _is_zip_file(path):
                yield from _plan_zip_file(path, limits)
            else:
                info = strava[1].get(_strip_root(relative, strava[0])) if strava else None
                yield Entry(str(path), display=str(path), strava=info)


def _strava_from_folder(folder: Path, limits: Limits) -> tuple[str, dict[str, StravaInfo]] | None:
    for candidate in [folder / _STRAVA_CSV, *sorted(folder.glob(f"*/{_STRAVA_CSV}"))]:
        if candidate.is_file() and not candidate.is_symlink():
            if candidate.stat().st_size > limits.max_file_bytes:
                return None
            relative = candidate.relative_to(folder).as_posix()
            try:
                return relative, _parse_strava_csv(candidate.read_bytes())
            except OSError:
                return None
    return None


def _skip_by_name(name: str) -> str | None:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in _NOT_ACTIVITY_SUFFIXES:
        return f"not an activity file ({suffix})"
    if name.startswith(".") or name.lower() in ("thumbs.db", "desktop.ini"):
        return "a hidden or system file"
    return None


def _strip_root(relative: str, csv_path: str) -> str:
    """The path as activities.csv writes it ("activities/123.fit.gz")."""
    prefix = csv_path[: -len(_STRAVA_CSV)]
    return relative[len(prefix) :] if relative.startswith(prefix) else relative


def _parse_strava_csv(raw: bytes) -> dict[str, StravaInfo]:
    """Filename → title and type, from Strava's activities.csv (columns found by name).

    A damaged index only loses the titles: the files themselves are still read.
    """
    try:
        return _strava_rows(csv.reader(io.StringIO(raw.decode("utf-8-sig", "replace"))))
    except csv.Error:
        return {}


def _strava_rows(rows: Iterator[list[str]]) -> dict[str, StravaInfo]:
    header = next(rows, [])
    columns = {name: i for i, name in reversed(list(enumerate(header)))}  # first one wins
    file_col = columns.get("Filename")
    if file_col is None:
        return {}
    name_col, type_col = columns.get("Activity Name"), columns.get("Activity Type")
    out: dict[str, StravaInfo] = {}
    for row in rows:
        if len(row) <= file_col or not row[file_col]:
            continue
        out[row[file_col].strip()] = StravaInfo(
            name=_cell(row, name_col), activity_type=_cell(row, type_col)
        )
    return out


def _cell(row: list[str], col: int | None) -> str | None:
    return row[col].strip() or None if col is not None and col < len(row) else None


# --- zip archives -------------------------------------------------------------------------


def _plan_zip_file(path: Path, limits: Limits) -> Iterator[Entry | FileResult]:
    try:
        with path.open("rb") as handle:
            _check_entry_count(handle, limits)
            with zipfile.ZipFile(handle) as archive:
                yield from _plan_zip(archive, str(path), (), str(path), 1, limits, [0])
    except IngestError as err:
        yield FileResult.error(str(path), str(err))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as err:
        yield FileResult.error(str(path), f"a damaged zip archive ({_plain(err)})")


def _plan_zip(
    archive: zipfile.ZipFile,
    root: str,
    chain: tuple[str, ...],
    display: str,
    depth: int,
    limits: Limits,
    total: list[int],
) -> Iterator[Entry | FileResult]:
    """Entries of one (possibly nested) zip; ``total`` counts bytes announced so far."""
    infos = [i for i in archive.infolist() if not i.filename.endswith("/")]  # is_dir() raises on ""
    if len(infos) > limits.max_entries:
        raise LimitExceeded(f"more than {limits.max_entries:,} entries in one archive")
    strava = _strava_from_zip(archive, infos, limits)
    for info in infos:
        name = f"{display}/{info.filename}"
        if strava is not None and info.filename == strava[0]:
            continue
        refused = _refuse_entry(info, limits)
        total[0] += info.file_size
        if total[0] > limits.max_total_bytes:
            raise LimitExceeded(
                f"the archive expands to more than {limits.max_total_bytes:,} bytes"
            )
        if refused:
            yield FileResult.error(name, refused)
        elif skip := _skip_by_name(PurePosixPath(info.filename).name):
            yield FileResult.skipped(name, skip)
        elif info.filename.lower().endswith(".zip"):
            yield from _plan_nested(archive, info, root, chain, name, depth, limits, total)
        else:
            meta = strava[1].get(_strip_root(info.filename, strava[0])) if strava else None
            yield Entry(root, (*chain, info.filename), name, meta)


def _plan_nested(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    root: str,
    chain: tuple[str, ...],
    name: str,
    depth: int,
    limits: Limits,
    total: list[int],
) -> Iterator[Entry | FileResult]:
    if depth >= limits.max_depth:
        yield FileResult.error(name, f"archives nested more than {limits.max_depth} deep")
        return
    try:
        inner = _open_nested(archive, info, limits)
        try:
            entries = list(
                _plan_zip(inner, root, (*chain, info.filename), name, depth + 1, limits, total)
            )
        finally:
            _close(inner)
    except IngestError as err:
        yield FileResult.error(name, str(err))
        return
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as err:
        yield FileResult.error(name, f"a damaged zip archive ({_plain(err)})")
        return
    yield from entries


def _open_nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits
) -> zipfile.ZipFile:
    """A zip inside a zip, copied out once: small ones stay in memory, large ones go to an
    unnamed temporary file that the system deletes even if kneecap is killed."""
    if info.file_size > limits.max_nested_archive_bytes:
        raise LimitExceeded(
            f"a nested archive larger than {limits.max_nested_archive_bytes:,} bytes"
        )
    window = _stored_window(archive, info)
    if window is not None:  # stored without compression: read in place, nothing copied
        _check_entry_count(window, limits)
        return zipfile.ZipFile(window)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 - see _close
    try:
        _copy_member(archive, info, spool, limits.max_nested_archive_bytes)
        _check_entry_count(spool, limits)  # type: ignore[arg-type]
        return zipfile.ZipFile(spool)
    except BaseException:
        spool.close()
        raise


class _Window(io.RawIOBase):
    """A read-only view of ``length`` bytes of a file from ``start``, with its own position."""

    def __init__(self, path: str, start: int, length: int) -> None:
        self.handle = open(path, "rb")  # noqa: SIM115 - closed with the window
        self.start, self.length, self.pos = start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.length}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def readinto(self, buffer: Any) -> int:
        want = max(0, min(len(buffer), self.length - self.pos))
        self.handle.seek(self.start + self.pos)
        got = self.handle.readinto(memoryview(buffer)[:want]) or 0
        self.pos += got
        return got

    def close(self) -> None:
        self.handle.close()
        super().close()


def _stored_window(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> io.BufferedReader | None:
    """An uncompressed entry of an archive on disk, as a file of its own (no copy)."""
    path = archive.filename
    if info.compress_type != zipfile.ZIP_STORED or not path or not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise CorruptFile("a damaged zip archive (bad local header)")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    start = info.header_offset + 30 + name_length + extra_length
    return io.BufferedReader(_Window(path, start, info.compress_size))


def _copy_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: IO[bytes], limit: int
) -> None:
    """Copy one entry in bounded chunks, never more than ``limit`` bytes."""
    copied = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                copied += len(chunk)
                if copied > limit:
                    raise LimitExceeded(f"an archive entry larger than {limit:,} bytes")
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        raise CorruptFile(f"a damaged archive entry ({_plain(err)})") from None
    except NotImplementedError:
        raise UnsupportedFile("an archive entry compressed in an unsupported way") from None
    except RuntimeError as err:  # zipfile's "password required"
        raise UnsafeInput(f"an archive entry that cannot be opened ({err})") from None
    out.seek(0)


def _close(archive: zipfile.ZipFile) -> None:
    """Close a zip and, for a nested one, the temporary copy it reads from."""
    spool = archive.fp
    archive.close()
    if spool is not None:
        spool.close()


def _strava_from_zip(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits
) -> tuple[str, dict[str, StravaInfo]] | None:
    for info in infos:
        parts = PurePosixPath(info.filename).parts
        if parts and parts[-1] == _STRAVA_CSV and len(parts) <= 2:
            if _refuse_entry(info, limits):
                return None
            try:
                return info.filename, _parse_strava_csv(
                    _read_member(archive, info, limits.max_file_bytes)
                )
            except IngestError:
                return None
    return None


def _refuse_entry(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    """Why an entry is refused before reading it, or None."""
    name = info.filename.replace("\\", "/")
    if not name:
        return "an entry without a name"
    parts = name.split("/")
    if name.startswith("/") or ".." in parts or (len(name) > 1 and name[1] == ":"):
        return "an unsafe path inside the archive (it points outside it)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link inside the archive, not followed"
    if info.flag_bits & 0x1:
        return "an encrypted entry"
    if info.file_size > limits.max_file_bytes and not name.lower().endswith(".zip"):
        return f"larger than the {limits.max_file_bytes:,}-byte limit for one file"
    if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
        1, info.compress_size
    ):
        return "compressed more than any real file is (a zip bomb?)"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The bytes of one entry, never more than ``limit``, its CRC checked."""
    return _member_original(archive, info, limit).data


def _member_original(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> Original:
    """One entry's bytes, with its deflate stream when that can be kept as it came."""
    if info.file_size > limit:
        raise LimitExceeded(f"an archive entry larger than {limit:,} bytes")
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1:
        fast = _inflate_member(archive, info)
        if fast is not None:
            data, deflated = fast
            if data[:2] == b"\x1f\x8b":  # a .gz inside the zip: kept as the gzip it is
                return Original(data)
            return Original(data, deflated, info.CRC)
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        raise CorruptFile(f"a damaged archive entry ({_plain(err)})") from None
    except NotImplementedError:
        raise UnsupportedFile("an archive entry compressed in an unsupported way") from None
    except RuntimeError as err:  # zipfile's "password required"
        raise UnsafeInput(f"an archive entry that cannot be opened ({err})") from None
    if len(data) > limit:
        raise LimitExceeded(f"an archive entry larger than {limit:,} bytes")
    return Original(data)


_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")  # signature, flags, name and extra lengths


def _inflate_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, bytes] | None:
    """A deflated entry inflated by ISA-L, 2.2x faster than zipfile's zlib on FIT members (a
    third of a reading process's time on a Garmin export), with its deflate stream; or None
    for anything unusual: zipfile, the reference, then reads the entry and words the error."""
    handle = archive.fp
    if handle is None:
        return None
    try:
        handle.seek(info.header_offset)
        signature, flags, name_size, extra_size = _LOCAL_HEADER.unpack(handle.read(30))
        name = handle.read(name_size).decode("utf-8" if flags & 0x800 else "cp437")
        if signature != b"PK\x03\x04" or flags & 0x60 or name != info.orig_filename:
            return None  # zipfile's checks of the local header, before it inflates
        handle.seek(extra_size, io.SEEK_CUR)
        deflated = handle.read(info.compress_size)
        inflater = isal_zlib.decompressobj(-15)
        data = inflater.decompress(deflated, info.file_size + 1)
    except (struct.error, UnicodeDecodeError, InflateError, OSError):
        return None
    if not inflater.eof or len(data) != info.file_size or isal_zlib.crc32(data) != info.CRC:
        return None
    return data, deflated


def _check_entry_count(handle: BinaryIO, limits: Limits) -> None:
    """Refuse archives with too many entries before zipfile loads their whole directory."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    tail_size = min(size, 65_536 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        handle.seek(0)
        return  # zipfile will report the damage
    count, directory_size = struct.unpack_from("<HI", tail, at + 10)
    if count == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        count, directory_size = _zip64_counts(handle, tail, at - 20)
    handle.seek(0)
    # No real directory needs over 1 KiB per allowed entry (names are short).
    if count > limits.max_entries or directory_size > 1024 * limits.max_entries:
        raise LimitExceeded(f"more than {limits.max_entries:,} entries in one archive")


def _zip64_counts(handle: BinaryIO, tail: bytes, locator: int) -> tuple[int, int]:
    """Entry count and directory size from the zip64 end record the locator points to."""
    (record_at,) = struct.unpack_from("<Q", tail, locator + 8)
    handle.seek(record_at)
    record = handle.read(56)
    if len(record) < 56 or record[:4] != b"PK\x06\x06":
        return 0, 0  # zipfile will report the damage
    count, directory_size = struct.unpack_from("<QQ", record, 32)
    return int(count), int(directory_size)


def _plain(err: BaseException) -> str:
    return str(err).splitlines()[0][:120] if str(err) else type(err).__name__


# --- reading entries ----------------------------------------------------------------------


class _ArchiveCache(threading.local):
    """Open archives kept between entries, the last few only, one set per thread (an
    archive's file position is not shared between threads)."""

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self.open: OrderedDict[tuple[str, tuple[str, ...]], zipfile.ZipFile] = OrderedDict()

    def get(self, root: str, chain: tuple[str, ...], limits: Limits) -> zipfile.ZipFile:
        key = (root, chain)
        found = self.open.get(key)
        if found is not None:
            self.open.move_to_end(key)
            return found
        if chain:
            parent = self.get(root, chain[:-1], limits)
            archive = _open_nested(parent, parent.getinfo(chain[-1]), limits)
        else:
            archive = zipfile.ZipFile(root)
        self.open[key] = archive
        while len(self.open) > self.size + len(chain):
            _close(self.open.popitem(last=False)[1])
        return archive

    def close(self) -> None:
        while self.open:
            _close(self.open.popitem()[1])


_cache = _ArchiveCache()


def read_entry(
    entry: Entry, limits: Limits = DEFAULT_LIMITS, store: Store | None = None
) -> FileResult:
    """Read one planned entry, keeping its original in ``store`` if it holds activities;
    always a result, never an exception."""
    try:
        original = _entry_original(entry, limits)
        activities = read_bytes(original.data, entry.display, limits=limits)
    except NotAnActivity as err:
        return FileResult.skipped(entry.display, str(err))
    except IngestError as err:
        return FileResult.error(entry.display, str(err))
    except (
        OSError,
        zipfile.BadZipFile,
        EOFError,
        KeyError,
        ValueError,
        NotImplementedError,
    ) as err:
        return FileResult.error(entry.display, f"cannot be read ({_plain(err)})")
    if entry.strava is not None:
        activities = [_with_strava(a, entry.strava) for a in activities]
    if store is None:
        return FileResult.ok(entry.display, activities)
    first = activities[0]  # every activity of a file shares its hash and format
    try:
        kept = store.keep(original, first.source_sha256, first.source_format)
    except OSError as err:
        return FileResult.error(entry.display, f"the original could not be kept ({_plain(err)})")
    return FileResult.ok(entry.display, activities, kept)


def _entry_original(entry: Entry, limits: Limits) -> Original:
    if not entry.chain:
        path = Path(entry.root)
        if path.stat().st_size > limits.max_file_bytes:
            raise LimitExceeded(
                f"larger than the {limits.max_file_bytes:,}-byte limit for one file"
            )
        return Original(path.read_bytes())
    archive = _cache.get(entry.root, entry.chain[:-1], limits)
    return _member_original(archive, archive.getinfo(entry.chain[-1]), limits.max_file_bytes)


def _with_strava(activity: Activity, info: StravaInfo) -> Activity:
    changes: dict[str, object] = {}
    if info.name:
        changes["name"] = info.name
    if info.activity_type:
        changes["sport"] = normalize_sport(info.activity_type)
        changes["sub_sport"] = sub_sport_from_label(info.activity_type) or activity.sub_sport
    return activity.with_changes(**changes)


def iter_archive(
    path: Path | str, limits: Limits = DEFAULT_LIMITS, store: Store | None = None
) -> Generator[FileResult]:
    """One result per file found under ``path`` (a file, a folder or a zip), in order, each
    activity file's original kept in ``store`` when one is given.

    Bad files become error results and the walk goes on; memory stays bounded by the limits.
    """
    return iter_paths([path], limits, store)


def iter_paths(
    paths: Iterable[Path | str],
    limits: Limits = DEFAULT_LIMITS,
    store: Store | None = None,
) -> Generator[FileResult]:
    """``iter_archive`` over several paths in turn, into one store (closed at the end:
    closing it after each path started a new pack per file)."""
    try:
        for path in paths:
            yield from _walk(path, limits, store)
    finally:
        if store is not None:
            store.close()


def _walk(path: Path | str, limits: Limits, store: Store | None) -> Iterator[FileResult]:
    try:
        for item in plan(path, limits):
            yield item if isinstance(item, FileResult) else read_entry(item, limits, store)
    finally:
        _cache.close()  # a long-lived process must not keep archives open after an import
