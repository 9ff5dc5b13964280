"""One-archive backups of a kneecap instance, and restoring them (docs/backup.md).

The archive is a zip holding a consistent copy of the database (SQLite's online backup API,
or ``pg_dump`` in custom format taken inside an exported snapshot), the stored activity files,
the secret key and ``manifest.json``: versions, the row count of every table in that same
snapshot, and the size and sha256 of every other member. Restoring treats the archive as
hostile: the manifest is the only list of what may be extracted, and every byte is checked
against it before anything in the data dir changes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from kneecap import __version__, config

FORMAT = "kneecap-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database/kneecap.sqlite3", "postgresql": "database/kneecap.pgdump"}
KEY_MEMBER = "secret_key"
FILES_PREFIX = "files/"
CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 64 << 20
MAX_MEMBERS = 2_000_000
MAX_NAME = 1024
# Django-only keys in DATABASES OPTIONS that libpq would not understand.
_DJANGO_PG_OPTIONS = {"isolation_level", "assume_role", "server_side_binding", "pool"}

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


class BackupError(Exception):
    """A backup or restore cannot go on; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    vendor: str
    version: str
    path: Path
    row_counts: dict[str, int]


def _quiet(done: int, total: int) -> None:
    """Default progress callback: report nothing."""


# --- backup ---------------------------------------------------------------------------------


def create(dest: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """Write the archive to ``dest`` atomically (temp file, fsync, rename); return the manifest."""
    dest = dest.resolve()
    if dest.parent.is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError("write the backup outside the data dir's files folder")
    staging = Path(tempfile.mkdtemp(prefix=".kneecap-backup-", dir=dest.parent))
    part = dest.parent / f".{dest.name}.{uuid.uuid4().hex}.part"
    try:
        # While the shared lock is held no import sweeps files away, so every file the
        # snapshot refers to stays on disk until it is archived (files land before rows).
        with _files_lock(fcntl.LOCK_SH):
            snapshot = _snapshot(staging)
            members = _members(snapshot)
            manifest = _write_zip(part, members, snapshot, progress)
        os.replace(part, dest)
        _fsync_dir(dest.parent)
    finally:
        part.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


@contextmanager
def _files_lock(mode: int) -> Iterator[None]:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".import.lock", "a+b") as lock:  # the importer's lock (runs/importer.py)
        fcntl.flock(lock, mode)
        yield


def _snapshot(staging: Path) -> Snapshot:
    if connection.vendor == "sqlite":
        return _sqlite_snapshot(staging)
    if connection.vendor == "postgresql":
        return _pg_snapshot(staging)
    raise BackupError(f"cannot back up a {connection.vendor} database")


def _sqlite_snapshot(staging: Path) -> Snapshot:
    """One backup step copies every page under a single read lock: a consistent copy."""
    target = staging / "kneecap.sqlite3"
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the database copy fails SQLite's integrity check: {check}")
        counts = _count_rows(copy.cursor(), _sqlite_tables(copy.cursor()), _quote)
    finally:
        copy.close()
        source.close()
    return Snapshot("sqlite", sqlite3.sqlite_version, target, counts)


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor: Any, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - quoted catalog name
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_snapshot(staging: Path) -> Snapshot:
    """Count rows and run pg_dump inside one exported snapshot, so both see the same data."""
    target = staging / "kneecap.pgdump"
    tool = _pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, version = cursor.fetchone()
        counts = _count_rows(cursor, _pg_tables(cursor), connection.ops.quote_name)
        _run_pg(
            [tool, "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
            "pg_dump",
        )
    return Snapshot("postgresql", version, target, counts)


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools "
            "(Debian: apt install postgresql-client)"
        )
    return path


def _run_pg(command: list[str], name: str) -> None:
    """Run a PostgreSQL client against the configured database; the password goes by env."""
    db = settings.DATABASES["default"]
    params = {
        "dbname": db["NAME"],
        "host": db["HOST"],
        "port": db["PORT"],
        "user": db["USER"],
        **{k: v for k, v in db["OPTIONS"].items() if k not in _DJANGO_PG_OPTIONS},
    }
    from psycopg.conninfo import make_conninfo

    conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if v not in ("", None)})
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else None
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments built here
        [*command, f"--dbname={conninfo}"], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()] or ["no message"]
        raise BackupError(f"{name} failed: {lines[-1].strip()}")


def _members(snapshot: Snapshot) -> list[tuple[str, Path]]:
    """(archive name, path on disk) for the database, the secret key and the stored files."""
    members = [(DB_MEMBER[snapshot.vendor], snapshot.path)]
    secret = Path(settings.DATA_DIR) / "secret_key"
    if secret.is_file():
        members.append((KEY_MEMBER, secret))
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(root.rglob("*")):
        temporary = path.name.startswith(".tmp-") or path.name == ".import.lock"
        if path.is_file() and not path.is_symlink() and not temporary:
            members.append((FILES_PREFIX + path.relative_to(root).as_posix(), path))
    return members


def _write_zip(
    part: Path, members: list[tuple[str, Path]], snapshot: Snapshot, progress: Progress
) -> dict[str, Any]:
    total = sum(path.stat().st_size for _, path in members)
    done = 0
    entries = []
    with open(part, "wb") as fh:
        with zipfile.ZipFile(fh, "w", allowZip64=True) as archive:
            for name, path in members:
                entry = _add(archive, name, path, _from(done, total, progress))
                done += entry["size"]
                entries.append(entry)
            manifest = _manifest(snapshot, entries)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1), zipfile.ZIP_DEFLATED)
        fh.flush()
        os.fsync(fh.fileno())
    return manifest


def _from(base: int, total: int, progress: Progress) -> Callable[[int], None]:
    """One member's progress, counted on from the ``base`` bytes of the members before it."""
    return lambda n: progress(base + n, total)


def _add(
    archive: zipfile.ZipFile, name: str, path: Path, advance: Callable[[int], None]
) -> dict[str, Any]:
    """Stream one file into the archive, hashing exactly the bytes written."""
    info = zipfile.ZipInfo.from_file(path, name)
    # Stored activity files are gzipped and dumps compressed already: store them as they are.
    packed = path.suffix in {".gz", ".pgdump", ".zip"}
    info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as src, archive.open(info, "w", force_zip64=True) as out:
        while chunk := src.read(CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            advance(size)
    return {"path": name, "size": size, "sha256": digest.hexdigest()}


def _manifest(snapshot: Snapshot, entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kneecap_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"vendor": snapshot.vendor, "version": snapshot.version},
        "secret_key_from_environment": bool(config.env_str("KNEECAP_SECRET_KEY")),
        "row_counts": snapshot.row_counts,
        "files": entries,
    }


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- restore --------------------------------------------------------------------------------


def restore(
    archive_path: Path, *, force: bool = False, progress: Progress = _quiet
) -> dict[str, Any]:
    """Check the archive, then restore files, secret key and database; return the manifest."""
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} is not a file")
    try:
        with zipfile.ZipFile(archive_path) as archive:
            manifest = _read_manifest(archive)
            entries = _check_members(archive, manifest)
            _refuse_if_in_use(force)
            _restore_from(archive, manifest, entries, progress)
        cache.clear()  # values kept under the replaced database's stamps
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise BackupError(f"{archive_path} is not a readable kneecap backup: {exc}") from None
    return manifest


def _restore_from(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    entries: dict[str, dict[str, Any]],
    progress: Progress,
) -> None:
    data_dir = Path(settings.DATA_DIR)
    needed = sum(entry["size"] for entry in entries.values())
    if needed > shutil.disk_usage(data_dir).free:
        raise BackupError(f"the backup needs {needed} bytes and the data dir has less free space")
    staging = Path(tempfile.mkdtemp(prefix=".kneecap-restore-", dir=data_dir))
    try:
        _extract(archive, entries, staging, progress)
        database = staging / DB_MEMBER[manifest["database"]["vendor"]]
        if connection.vendor == "sqlite":
            _check_sqlite_copy(database, manifest["row_counts"])
        _install_files(staging)
        _install_database(database)
        _verify_counts(manifest["row_counts"])
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise BackupError("the archive has no manifest.json: not a kneecap backup") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise BackupError("the archive's manifest is implausibly large: refusing it")
    try:
        manifest = json.loads(archive.read(info))
    except ValueError:
        raise BackupError("the archive's manifest is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("the archive's manifest is not a kneecap backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format {manifest.get('format_version')!r} is not supported")
    vendor = (manifest.get("database") or {}).get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"this backup holds a {vendor} database but KNEECAP_DATABASE_URL names a "
            f"{connection.vendor} one: point it at the same kind of database"
        )
    counts = manifest.get("row_counts")
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        raise BackupError("the archive's manifest has no valid row counts")
    return manifest


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's entries by name, once every member is known, safe and of the right size."""
    entries = _manifest_entries(manifest)
    infos = archive.infolist()
    names = [info.filename for info in infos]
    if len(names) != len(set(names)):
        raise BackupError("the archive holds the same name twice: refusing it")
    if set(names) - {MANIFEST} != set(entries):
        raise BackupError("the archive's members differ from its manifest: refusing it")
    for info in infos:
        mode = info.external_attr >> 16
        if info.is_dir() or stat.S_IFMT(mode) not in {0, stat.S_IFREG}:
            raise BackupError(f"{info.filename!r} is a link or special file: refusing the archive")
        if info.flag_bits & 0x1:
            raise BackupError(f"{info.filename!r} is encrypted: refusing the archive")
        if info.filename != MANIFEST and info.file_size != entries[info.filename]["size"]:
            raise BackupError(f"{info.filename!r} has another size than its manifest says")
    if DB_MEMBER[connection.vendor] not in entries:
        raise BackupError("the archive holds no database")
    return entries


def _manifest_entries(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    files = manifest.get("files")
    if not isinstance(files, list) or len(files) > MAX_MEMBERS:
        raise BackupError("the archive's manifest has no valid list of files")
    entries: dict[str, dict[str, Any]] = {}
    for entry in files:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
            and len(entry["sha256"]) == 64
        ):
            raise BackupError("the archive's manifest has a malformed file entry")
        name = _safe_name(entry.get("path"))
        if name in entries:
            raise BackupError(f"the archive's manifest lists {name!r} twice")
        entries[name] = entry
    return entries


def _safe_name(name: Any) -> str:
    """A member name may only be one of kneecap's own, never a way out of the data dir."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME:
        raise BackupError("the archive's manifest has a missing or overlong file name")
    parts = PurePosixPath(name).parts
    unsafe = (
        "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or any(part in {"", ".", ".."} for part in name.split("/"))
    )
    known = name in DB_MEMBER.values() or name == KEY_MEMBER
    if unsafe or not (known or (name.startswith(FILES_PREFIX) and len(parts) >= 2)):
        raise BackupError(f"{name!r} is not a path a kneecap backup may hold: refusing it")
    return name


def _refuse_if_in_use(force: bool) -> None:
    from django.contrib.auth import get_user_model

    try:
        users = get_user_model().objects.count()
    except DatabaseError:  # no tables yet: an empty database
        users = 0
    if users and not force:
        raise BackupError(
            f"the database already holds {users} user(s): restore into an empty data dir, "
            "or pass --force to replace it"
        )


def _extract(
    archive: zipfile.ZipFile,
    entries: dict[str, dict[str, Any]],
    staging: Path,
    progress: Progress,
) -> None:
    total = sum(entry["size"] for entry in entries.values())
    done = 0
    for name, entry in entries.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with archive.open(name) as src, os.fdopen(os.open(target, flags, 0o600), "wb") as out:
            _copy_checked(src, out, name, entry, _from(done, total, progress))
        done += entry["size"]


def _copy_checked(
    src: IO[bytes], out: IO[bytes], name: str, entry: dict[str, Any], advance: Callable[[int], None]
) -> None:
    """Copy at most the manifest's size, then compare the sha256 with the manifest's."""
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(min(CHUNK, entry["size"] - size + 1)):
        size += len(chunk)
        if size > entry["size"]:
            raise BackupError(f"{name!r} is larger than its manifest says: refusing it")
        digest.update(chunk)
        out.write(chunk)
        advance(size)
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"{name!r} does not match its checksum: the archive was altered")


def _check_sqlite_copy(path: Path, expected: dict[str, int]) -> None:
    db = sqlite3.connect(path)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the backed-up database fails SQLite's integrity check: {check}")
        counts = _count_rows(db.cursor(), _sqlite_tables(db.cursor()), _quote)
    finally:
        db.close()
    if counts != expected:
        raise BackupError("the backed-up database's row counts differ from its manifest")


def _install_files(staging: Path) -> None:
    """Move the checked files and the secret key into the data dir."""
    data_dir, media = Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)
    for path in sorted((staging / FILES_PREFIX).rglob("*")):
        if path.is_file():
            target = media / path.relative_to(staging / FILES_PREFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)  # files/ may be another mount (shared storage)
    secret = staging / KEY_MEMBER
    if secret.is_file():
        os.replace(secret, data_dir / "secret_key")  # extracted with mode 0600


def _install_database(dump: Path) -> None:
    connections.close_all()
    if connection.vendor == "sqlite":
        # The backup API writes through SQLite's own locking and journal, so the live file
        # (and any WAL beside it) ends up exactly the copy, never a mix.
        source = sqlite3.connect(dump)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    _run_pg(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(dump),
        ],
        "pg_restore",
    )


def _verify_counts(expected: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        for table, rows in sorted(expected.items()):
            found = _count_rows(cursor, [table], connection.ops.quote_name)[table]
            if found != rows:
                raise BackupError(f"restored table {table} holds {found} rows, the backup {rows}")
