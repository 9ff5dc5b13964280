"""`kneecap backup` during writes is consistent; `kneecap restore` round-trips or refuses.

Every instance lives in its own spawned process or subprocess (tests/test_concurrency.py has
the helpers), so the test run's own database and data dir are never touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_concurrency import (
    SPAWN,
    call,
    enter,
    instance_env,
    prepare,
    scratch_postgres,
    write_both,
)

STORED_FILES = 12
WRITERS = 4
# The CLI as installed, with the backup commands added if the console script lacks them.
CLI = (
    "from kneecap import cli\n"
    "from kneecap.cli import backup\n"
    "cli._register()\n"
    "if not any(c.callback is backup.backup for c in cli.app.registered_commands):\n"
    "    backup.register(cli.app)\n"
    "cli._register = lambda: None\n"
    "cli.main()\n"
)


def kneecap(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


# --- what runs inside an instance (spawned processes) -----------------------------------------


def seed(files: int) -> None:
    """A runner with imported runs whose original files are stored in the data dir."""
    from kneecap.application import imports as importer
    from kneecap.db.runs.models import Activity

    owner_id = prepare()
    for n in range(files):
        data = f"<gpx><!-- run {n} -->{'x' * 4000 * n}</gpx>".encode()
        sha = hashlib.sha256(data).hexdigest()
        path = importer.store_file(owner_id, data, sha, "gpx")
        Activity.objects.create(
            owner_id=owner_id,
            start=f"2025-06-{n + 1:02d}T07:00:00Z",
            distance_m=10000.0,
            source="gpx",
            source_sha256=sha,
            file=path,
        )


def steady_writer(env: dict[str, str], tag: str, stop: Any, written: Any) -> None:
    """Log sessions and runs until told to stop, counting each pair in ``written``."""
    enter(env)
    from django.contrib.auth import get_user_model

    owner_id = get_user_model().objects.get(username="runner").pk
    errors: list[str] = []
    for i in range(5000):
        if stop.is_set():
            break
        write_both(owner_id, tag, i, errors)
        with written.get_lock():
            written.value += 1
        time.sleep(0.005)  # leave CPU to the backup on a small machine
    assert not errors, errors


def row_counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def counts_and_referenced_files() -> tuple[dict[str, int], list[str]]:
    from kneecap.db.runs.models import Activity

    files = sorted(Activity.objects.exclude(file="").values_list("file", flat=True))
    return row_counts(), files


def try_restores(paths: list[str]) -> dict[str, str]:
    """Each archive's refusal message ("restored" if none), then the users and files left."""
    from kneecap.application import backup

    outcome = {}
    for path in paths:
        try:
            backup.restore(Path(path))
            outcome[Path(path).name] = "restored"
        except backup.BackupError as exc:
            outcome[Path(path).name] = str(exc)
    return outcome


def interrupted_backup(dest: str) -> list[str]:
    """A backup that fails halfway; what is left in the destination folder afterwards."""
    from kneecap.application import backup

    def fail_midway(done: int, total: int) -> None:
        if done > total // 2:
            raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        backup.create(Path(dest), fail_midway)
    return sorted(os.listdir(Path(dest).parent))


# --- checks on the test side -----------------------------------------------------------------


def file_hashes(data_dir: Path) -> dict[str, str]:
    root = data_dir / "files"
    return {
        "files/" + p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and p.name != ".import.lock"
    }


def manifest_of(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as zf:
        return json.loads(zf.read("manifest.json"))


def check_sqlite_copy(archive: Path, manifest: dict[str, Any], tmp_path: Path) -> None:
    """The copy inside the archive passes the integrity check and matches its manifest."""
    copy = tmp_path / f"{archive.stem}.sqlite3"
    with zipfile.ZipFile(archive) as zf:
        copy.write_bytes(zf.read("database/kneecap.sqlite3"))
    db = sqlite3.connect(copy)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table, rows in manifest["row_counts"].items():
            assert db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == rows  # noqa: S608
    finally:
        db.close()


def wait_for(counter: Any, at_least: int) -> None:
    deadline = time.monotonic() + 120
    while counter.value < at_least:
        assert time.monotonic() < deadline, "the writers stalled"
        time.sleep(0.05)


@pytest.fixture(params=["sqlite", "postgresql"])
def source_and_target(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """A seeded instance to back up and an empty one to restore into, on the same kind of DB."""
    if request.param == "sqlite":
        source, target = instance_env(tmp_path / "source"), instance_env(tmp_path / "target")
        call(source, seed, STORED_FILES)
        yield source, target
        return
    with scratch_postgres() as source_url, scratch_postgres() as target_url:
        source = instance_env(tmp_path / "source", source_url)
        call(source, seed, STORED_FILES)
        yield source, instance_env(tmp_path / "target", target_url)


def backups_during_writes(env: dict[str, str], folder: Path, count: int) -> list[Path]:
    """Take ``count`` backups while four processes keep logging; writes go on after each."""
    stop, written = SPAWN.Event(), SPAWN.Value("i", 0)
    writers = [
        SPAWN.Process(target=steady_writer, args=(env, f"writer-{n}", stop, written))
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    archives = []
    try:
        wait_for(written, 2 * WRITERS)
        for k in range(count):
            archive = folder / f"backup-{k}.zip"
            result = kneecap("backup", str(archive), env=env)
            assert result.returncode == 0, result.stderr
            archives.append(archive)
        wait_for(written, written.value + WRITERS)
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
    assert [writer.exitcode for writer in writers] == [0] * WRITERS
    return archives


@pytest.mark.instances
def test_backups_during_writes_are_consistent_and_restore_row_for_row(
    source_and_target: tuple[dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    source, target = source_and_target
    vendor_is_sqlite = "KNEECAP_DATABASE_URL" not in source
    archives = backups_during_writes(source, tmp_path, count=2 if vendor_is_sqlite else 1)
    manifests = [manifest_of(a) for a in archives]
    final = call(source, row_counts)
    for archive, manifest in zip(archives, manifests, strict=True):
        counts = manifest["row_counts"]
        # A session is written with its 2 exercises and 6 sets in one transaction: a torn
        # copy would break these ratios.
        assert counts["training_exerciselog"] == 2 * counts["training_sessionlog"]
        assert counts["training_setlog"] == 6 * counts["training_sessionlog"]
        if manifest["database"]["vendor"] == "sqlite":
            check_sqlite_copy(archive, manifest, tmp_path)
    sessions = [m["row_counts"]["training_sessionlog"] for m in manifests]
    assert sessions[0] > 0 and sessions == sorted(sessions)
    assert sessions[-1] < final["training_sessionlog"]  # the writers went on after each backup

    result = kneecap("restore", str(archives[-1]), env=target)
    assert result.returncode == 0, result.stderr
    restored, referenced = call(target, counts_and_referenced_files)
    assert {t: restored[t] for t in manifests[-1]["row_counts"]} == manifests[-1]["row_counts"]
    target_dir, source_dir = Path(target["KNEECAP_DATA_DIR"]), Path(source["KNEECAP_DATA_DIR"])
    stored = {f["path"]: f["sha256"] for f in manifests[-1]["files"] if f["path"][:6] == "files/"}
    assert file_hashes(target_dir) == stored == file_hashes(source_dir)
    assert len(stored) == STORED_FILES
    assert {f"files/{p}" for p in referenced} <= set(stored)
    key = (source_dir / "secret_key").read_bytes()
    assert (target_dir / "secret_key").read_bytes() == key
    assert stat.S_IMODE((target_dir / "secret_key").stat().st_mode) == 0o600


# --- refusals --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """A seeded SQLite instance and a good backup of it."""
    folder = tmp_path_factory.mktemp("sample")
    env = instance_env(folder / "data")
    call(env, seed, 3)
    archive = folder / "good.zip"
    result = kneecap("backup", str(archive), env=env)
    assert result.returncode == 0, result.stderr
    return env, archive


def rebuild(
    good: Path,
    out: Path,
    *,
    replace: dict[str, bytes] | None = None,
    extra: dict[str, tuple[bytes, int]] | None = None,
    listed: bool = True,
    drop: tuple[str, ...] = (),
    sizes: dict[str, int] | None = None,
) -> Path:
    """A copy of ``good`` with members replaced, added (listed in the manifest) or dropped."""
    with zipfile.ZipFile(good) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(members.pop("manifest.json"))
    members.update(replace or {})
    entries = {e["path"]: e for e in manifest["files"]}
    for name, (data, _) in (extra or {}).items():
        if listed:
            entries[name] = {"path": name, "size": len(data), "sha256": sha(data)}
    for name in drop:
        members.pop(name, None)
        entries.pop(name, None)
    for name, size in (sizes or {}).items():
        entries[name] = {**entries[name], "size": size}
    manifest["files"] = list(entries.values())
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name, (data, mode) in (extra or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            zf.writestr(info, data)
        if "manifest.json" not in drop:
            zf.writestr("manifest.json", json.dumps(manifest))
    return out


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hostile_archives(good: Path, folder: Path) -> dict[str, str]:
    """Archive file name → the words its refusal must contain."""
    with zipfile.ZipFile(good) as zf:
        stored = next(n for n in zf.namelist() if n.startswith("files/"))
        original = zf.read(stored)
    flipped = bytes([original[0] ^ 0xFF]) + original[1:]
    regular = stat.S_IFREG | 0o644
    cases = {
        "tampered.zip": ({"replace": {stored: flipped}}, "does not match its checksum"),
        "traversal.zip": (
            {"extra": {"files/../../escaped": (b"x", regular)}},
            "is not a path a kneecap backup may hold",
        ),
        "absolute.zip": ({"extra": {"/escaped": (b"x", regular)}}, "is not a path"),
        "symlink.zip": (
            {"extra": {"files/activities/link": (b"/etc/passwd", stat.S_IFLNK | 0o777)}},
            "is a link or special file",
        ),
        "unlisted.zip": (
            {"extra": {"files/extra.gz": (b"x", regular)}, "listed": False},
            "members differ from its manifest",
        ),
        "bigger.zip": ({"sizes": {stored: len(original) - 1}}, "another size"),
        "no-manifest.zip": ({"drop": ("manifest.json",)}, "has no manifest.json"),
        "no-database.zip": ({"drop": ("database/kneecap.sqlite3",)}, "holds no database"),
    }
    for name, (changes, _) in cases.items():
        rebuild(good, folder / name, **changes)
    (folder / "not-a-zip.zip").write_bytes(b"PK\x03\x04" + os.urandom(200))
    return {name: words for name, (_, words) in cases.items()} | {
        "not-a-zip.zip": "is not a readable kneecap backup"
    }


def test_hostile_or_altered_archives_are_refused_and_leave_the_data_dir_untouched(
    sample: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    _, good = sample
    expected = hostile_archives(good, tmp_path)
    target = instance_env(tmp_path / "empty")
    outcome = call(target, try_restores, [str(tmp_path / name) for name in expected])
    assert {n: words in outcome[n] for n, words in expected.items()} == dict.fromkeys(
        expected, True
    ), outcome
    data_dir = tmp_path / "empty"
    assert not [p for p in data_dir.rglob("*") if p.is_file() and "files" in p.parts]
    assert not list(data_dir.glob(".kneecap-restore-*"))
    assert not (tmp_path / "escaped").exists() and not Path("/escaped").exists()


def test_a_refusal_is_one_line_and_a_non_zero_exit(
    sample: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    _, good = sample
    tampered = rebuild(good, tmp_path / "t.zip", sizes={"secret_key": 1})
    result = kneecap("restore", str(tampered), env=instance_env(tmp_path / "empty"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "secret_key" in result.stderr


def test_it_refuses_a_database_with_accounts_unless_forced(
    sample: tuple[dict[str, str], Path],
) -> None:
    env, good = sample
    refused = kneecap("restore", str(good), env=env)
    assert refused.returncode == 2
    assert "already holds 1 user" in refused.stderr and "--force" in refused.stderr
    forced = kneecap("restore", str(good), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "3 stored files" in forced.stdout


def test_it_will_not_overwrite_an_archive_without_force(
    sample: tuple[dict[str, str], Path],
) -> None:
    env, good = sample
    before = good.read_bytes()
    result = kneecap("backup", str(good), env=env)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert good.read_bytes() == before


def test_a_failed_backup_leaves_nothing_behind(
    sample: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, _ = sample
    folder = tmp_path / "out"
    folder.mkdir()
    assert call(env, interrupted_backup, str(folder / "backup.zip")) == []


def test_a_folder_gets_a_dated_archive_inside_it(
    sample: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, _ = sample
    result = kneecap("backup", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    (archive,) = tmp_path.glob("kneecap-backup-*.zip")
    assert manifest_of(archive)["kneecap_version"]
    assert zipfile.ZipFile(io.BytesIO(archive.read_bytes())).testzip() is None


def test_it_will_not_write_the_archive_among_the_files_it_backs_up(
    sample: tuple[dict[str, str], Path],
) -> None:
    env, _ = sample
    inside = Path(env["KNEECAP_DATA_DIR"]) / "files" / "backup.zip"
    result = kneecap("backup", str(inside), env=env)
    assert result.returncode == 2 and "outside the data dir's files folder" in result.stderr
    assert not inside.exists()
