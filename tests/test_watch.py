"""The watched folder (issue 17 §2): files dropped into a folder become runs once they have
stopped growing, once each, and a stopped watcher loses nothing."""

from __future__ import annotations

import logging
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from kneecap import config
from kneecap.application import imports as importer
from kneecap.application import watch

DATA = Path(__file__).resolve().parent / "data"
RUNS = ["fitparse__garmin-fenix-5-run.fit", "togeojson__sample.tcx", "togeojson__missing_hr.gpx"]
SETTLE = 0.3
KNEECAP = str(Path(sys.executable).with_name("kneecap"))
OLD = 1_600_000_000  # an mtime long past: the file is complete (as Syncthing leaves it)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Syncthing" / "runs"
    path.mkdir(parents=True)
    return path


@pytest.fixture
def alice(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("alice", "alice@example.org", "not used here")


@pytest.fixture
def isolated(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DATA_DIR = tmp_path


def drop(folder: Path, name: str, as_name: str | None = None, *, old: bool = False) -> Path:
    target = folder / (as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / name, target)
    if old:
        os.utime(target, (OLD, OLD))
    return target


def watcher(folder: Path, owner: Any, lines: list[str], **options: Any) -> watch.Watcher:
    return watch.Watcher(folder, owner, settle=SETTLE, say=lines.append, **options)


def runs(owner: Any) -> int:
    from kneecap.db.runs.models import Activity

    return Activity.objects.filter(owner=owner).count()


def test_only_activity_files_are_wanted_never_temporary_or_partial_ones() -> None:
    assert all(watch.wanted(n) for n in ["run.fit", "RUN.FIT", "a.gpx", "b.tcx.gz", "x.zip"])
    for name in [
        ".syncthing.run.fit.tmp",
        "~syncthing~run.fit.tmp",
        "run.fit.part",
        "run.fit.crdownload",
        "run.fit~",
        ".run.fit.swp",
        ".hidden.fit",
        "notes.txt",
        "gadgetbridge.db",
    ]:
        assert not watch.wanted(name), name


@pytest.mark.django_db
def test_three_files_dropped_become_three_runs_in_seconds_and_a_fourth_copy_does_not(
    folder: Path, alice: Any, isolated: None
) -> None:
    lines: list[str] = []
    stop, timings = threading.Event(), {}

    def phone() -> None:  # what Syncthing does meanwhile
        try:
            timings["dropped"] = time.monotonic()
            for name in RUNS:
                drop(folder, name, f"2024/{name}")
            wait_for(lambda: len(lines) >= 3)
            timings["three"] = time.monotonic()
            drop(folder, RUNS[0], "copy of the first.fit")
            wait_for(lambda: len(lines) >= 4)
        finally:
            stop.set()

    helper = threading.Thread(target=phone)
    with watcher(folder, alice, lines) as w:
        helper.start()
        w.run(stop)  # on this thread: the test's database transaction is here
    helper.join()
    assert sorted(lines[:3]) == [f"imported  2024/{name}: 1 new" for name in sorted(RUNS)]
    assert lines[3:] == ["duplicate copy of the first.fit: 1 already imported"]
    assert timings["three"] - timings["dropped"] < 5
    assert runs(alice) == 3


def wait_for(done: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("the watcher did not get there in time")
        time.sleep(0.02)


@pytest.mark.django_db
def test_temporary_partial_hidden_and_other_files_are_never_read(
    folder: Path, alice: Any, isolated: None
) -> None:
    for name in [
        ".syncthing.run.fit.tmp",
        "~syncthing~run.fit.tmp",
        "run.fit.part",
        "run.fit.crdownload",
        "run.fit~",
        ".stversions/run.fit",
        "notes.txt",
    ]:
        drop(folder, RUNS[0], name, old=True)
    lines: list[str] = []
    with watcher(folder, alice, lines) as w:
        assert w.poll() == []
    assert lines == [] and runs(alice) == 0


@pytest.mark.django_db
def test_a_file_still_growing_is_read_only_once_it_has_stopped(
    folder: Path, alice: Any, isolated: None
) -> None:
    content = (DATA / "fitparse__compressed-speed-distance.fit").read_bytes()
    parts = [content[:2000], content[2000:3000], content[3000:4000], content[4000:]]
    target = folder / "growing.fit"
    lines: list[str] = []
    with watcher(folder, alice, lines) as w:
        target.write_bytes(parts[0])
        assert w.poll() == []
        for part in parts[1:]:  # more arrives, each time within the settle time
            time.sleep(SETTLE / 3)
            with target.open("ab") as handle:
                handle.write(part)
            assert w.poll() == [], f"read at {target.stat().st_size} bytes"
        time.sleep(SETTLE * 1.2)
        (outcome,) = w.poll()
    assert (outcome.imported, outcome.errors) == (1, [])
    assert lines == ["imported  growing.fit: 1 new"] and runs(alice) == 1


@pytest.mark.django_db
def test_skipped_and_damaged_files_get_their_reason_once(
    folder: Path, alice: Any, isolated: None
) -> None:
    drop(folder, "fitparse__Settings.fit", old=True)
    drop(folder, "fitparse__activity-filecrc.fit", old=True)
    lines: list[str] = []
    with watcher(folder, alice, lines) as w:
        w.poll()
        w.poll()  # remembered: not read nor reported again
    assert lines == [
        "skipped   fitparse__Settings.fit: a FIT settings file, not an activity",
        "error     fitparse__activity-filecrc.fit: the FIT file checksum is wrong "
        "(the file is damaged)",
    ]


@pytest.mark.django_db
def test_a_restart_reads_nothing_again_but_a_changed_file_is_read(
    folder: Path, alice: Any, isolated: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in RUNS:
        drop(folder, name, old=True)
    with watcher(folder, alice, []) as w:
        assert len(w.poll()) == 3
    read: list[Path] = []
    real = watch.iter_archive
    monkeypatch.setattr(watch, "iter_archive", lambda p, **kw: read.append(p) or real(p, **kw))
    lines: list[str] = []
    with watcher(folder, alice, lines) as w:
        assert w.poll() == [] and read == []
        drop(folder, "fitparse__compressed-speed-distance.fit", RUNS[0], old=True)  # rewritten
        w.poll()
    assert read == [folder.resolve() / RUNS[0]]
    assert lines == [f"imported  {RUNS[0]}: 1 new"] and runs(alice) == 4


@pytest.mark.django_db
def test_once_does_one_pass_waiting_once_for_files_being_written(
    folder: Path, alice: Any, isolated: None
) -> None:
    drop(folder, RUNS[0], old=True)
    drop(folder, RUNS[1])  # just written: settles during the pass's one wait
    lines: list[str] = []
    started = time.monotonic()
    with watcher(folder, alice, lines) as w:
        w.run(threading.Event(), once=True)
    assert time.monotonic() - started < SETTLE + 5
    assert [line.split()[0] for line in lines] == ["imported", "imported"] and runs(alice) == 2


@pytest.mark.django_db
def test_a_stop_between_files_keeps_what_was_done_and_a_restart_does_the_rest(
    folder: Path, alice: Any, isolated: None
) -> None:
    for name in RUNS:
        drop(folder, name, old=True)
    stop, lines = threading.Event(), []

    def say(line: str) -> None:  # the stop arrives while the first file is being imported
        lines.append(line)
        stop.set()

    with watch.Watcher(folder, alice, settle=SETTLE, say=say, chunk=1) as w:
        w.run(stop)
    assert len(lines) == 1 and runs(alice) == 1
    with watcher(folder, alice, lines) as w:
        w.poll()
    assert [line.split()[0] for line in lines] == ["imported"] * 3 and runs(alice) == 3


@pytest.mark.django_db
def test_an_import_that_did_not_finish_is_read_again_next_time(
    folder: Path, alice: Any, isolated: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in RUNS:
        drop(folder, name, old=True)
    commit = importer._commit
    calls = []

    def killed_on_the_second_commit(*args: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a Ctrl-C in the middle of the import
        commit(*args)

    monkeypatch.setattr(importer, "_commit", killed_on_the_second_commit)
    lines: list[str] = []
    with pytest.raises(KeyboardInterrupt), watcher(folder, alice, lines, chunk=2) as w:
        w.poll()
    assert len(lines) == 2 and runs(alice) == 2  # the first import committed, the second not
    monkeypatch.setattr(importer, "_commit", commit)
    with watcher(folder, alice, lines) as w:
        w.poll()
    assert lines[2:] == [f"imported  {sorted(RUNS)[2]}: 1 new"] and runs(alice) == 3


@pytest.mark.django_db
def test_a_file_imported_but_not_remembered_is_a_duplicate_never_a_second_run(
    folder: Path, alice: Any, isolated: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop(folder, RUNS[0], old=True)

    def crash(*args: Any) -> None:
        raise KeyboardInterrupt  # killed between the commit and the state

    monkeypatch.setattr(watch, "_save", crash)
    with pytest.raises(KeyboardInterrupt), watcher(folder, alice, []) as w:
        w.poll()
    monkeypatch.undo()
    lines: list[str] = []
    with watcher(folder, alice, lines) as w:
        w.poll()
    assert lines == [f"duplicate {RUNS[0]}: 1 already imported"] and runs(alice) == 1


@pytest.mark.django_db
def test_one_watcher_per_folder_and_account(folder: Path, alice: Any, isolated: None) -> None:
    with watcher(folder, alice, []), pytest.raises(watch.WatchError, match="already watching"):
        watcher(folder, alice, []).__enter__()
    with pytest.raises(watch.WatchError, match="is not a folder"):
        watcher(folder / "missing", alice, []).__enter__()


@pytest.mark.django_db
def test_a_zip_export_is_one_line_with_its_counts(folder: Path, alice: Any, isolated: None) -> None:
    import zipfile

    with zipfile.ZipFile(folder / "export.zip", "w") as archive:
        for name in [*RUNS, "fitparse__Settings.fit", "fitparse__activity-filecrc.fit"]:
            archive.write(DATA / name, f"activities/{name}")
    os.utime(folder / "export.zip", (OLD, OLD))
    lines: list[str] = []
    with watcher(folder, alice, lines) as w:
        w.poll()
    assert lines == ["imported  export.zip: 3 new, 1 skipped, 1 error"] and runs(alice) == 3


def test_the_worker_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KNEECAP_WATCH_DIR", raising=False)
    assert config.watched_folder() is None
    monkeypatch.setenv("KNEECAP_WATCH_DIR", str(tmp_path))
    monkeypatch.setenv("KNEECAP_WATCH_USER", "alice")
    monkeypatch.setenv("KNEECAP_WATCH_SETTLE_S", "5")
    assert config.watched_folder() == (tmp_path, "alice", 5)
    monkeypatch.setenv("KNEECAP_WATCH_SETTLE_S", "0")
    with pytest.raises(config.ConfigError, match="KNEECAP_WATCH_SETTLE_S"):
        config.watched_folder()


@pytest.mark.django_db(transaction=True)
def test_the_worker_watches_on_a_thread_and_stops_with_it(
    folder: Path, alice: Any, isolated: None, caplog: pytest.LogCaptureFixture
) -> None:
    log = logging.getLogger("kneecap.watch")
    drop(folder, RUNS[0])
    with (
        caplog.at_level(logging.INFO, "kneecap.watch"),
        watch.in_background(folder, "alice", SETTLE, log) as thread,
    ):
        wait_for(lambda: any("imported" in r.message for r in caplog.records))
    assert not thread.is_alive() and runs(alice) == 1
    assert f"imported  {RUNS[0]}: 1 new" in caplog.messages


@pytest.mark.django_db(transaction=True)
def test_the_worker_says_once_why_it_cannot_watch(
    folder: Path, alice: Any, isolated: None, caplog: pytest.LogCaptureFixture
) -> None:
    log = logging.getLogger("kneecap.watch")
    with (
        caplog.at_level(logging.INFO, "kneecap.watch"),
        watch.in_background(folder, "nobody", SETTLE, log) as thread,
    ):
        wait_for(lambda: bool(caplog.records))
    assert not thread.is_alive()
    (record,) = caplog.records
    assert record.levelname == "WARNING" and "no active account named 'nobody'" in record.message


# --- the command, in a process of its own, as cron or systemd runs it -----------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir migrated once: each command test starts from a copy (5 s saved each)."""
    data = tmp_path_factory.mktemp("migrated")
    assert command("migrate", data_dir=data).wait(timeout=120) == 0
    return data


@pytest.fixture
def data(migrated: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("kneecap.sqlite3", "secret_key"):
        shutil.copy2(migrated / name, data / name)
    return data


def command(
    *args: str, data_dir: Path, env_extra: dict[str, str] | None = None, **popen: Any
) -> Any:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(KNEECAP_DATA_DIR=str(data_dir), **(env_extra or {}))
    return subprocess.Popen(
        [KNEECAP, *args], env=environ, text=True, stdout=subprocess.PIPE, **popen
    )


def stored_runs(data: Path) -> int:
    with closing(sqlite3.connect(data / "kneecap.sqlite3")) as db:
        return int(db.execute("select count(*) from runs_activity").fetchone()[0])


def lines_of(stream: Any) -> Iterator[str]:
    """A process's output lines as they come, each within 20 s."""
    got: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [got.put(x) for x in stream], daemon=True).start()
    while True:
        yield got.get(timeout=20).rstrip("\n")


def test_kneecap_import_watch_imports_drops_in_seconds_and_stops_on_sigterm(
    folder: Path, data: Path
) -> None:
    process = command("import", "--watch", str(folder), "--settle", "0.5", data_dir=data,
                      stderr=subprocess.PIPE)  # fmt: skip
    try:
        assert "watching" in process.stderr.readline()  # Django is up, the folder locked
        lines = lines_of(process.stdout)
        dropped = time.monotonic()
        for name in RUNS:
            drop(folder, name)
        three = sorted(next(lines) for _ in RUNS)
        took = time.monotonic() - dropped
        drop(folder, RUNS[2], "again.gpx")
        fourth = next(lines)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    assert three == [f"imported  {name}: 1 new" for name in sorted(RUNS)] and took < 5
    assert fourth == "duplicate again.gpx: 1 already imported"
    assert stored_runs(data) == 3


def test_kneecap_import_watch_once_exits_and_a_second_pass_reads_nothing(
    folder: Path, data: Path
) -> None:
    drop(folder, RUNS[0], old=True)
    first = command("import", "--watch", str(folder), "--once", data_dir=data)
    assert first.communicate(timeout=60)[0] == f"imported  {RUNS[0]}: 1 new\n"
    assert first.returncode == 0
    second = command("import", "--watch", str(folder), "--once", data_dir=data)
    assert second.communicate(timeout=60)[0] == "" and second.returncode == 0
    assert stored_runs(data) == 1


def test_kneecap_worker_watches_the_folder_of_the_environment(
    folder: Path, data: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert command("import", "--watch", str(empty), "--once", data_dir=data).wait(60) == 0
    drop(folder, RUNS[1], old=True)  # a Syncthing copy, there before the worker starts
    env = {"KNEECAP_WATCH_DIR": str(folder), "KNEECAP_WATCH_SETTLE_S": "1"}
    worker = command("worker", data_dir=data, stderr=subprocess.PIPE, env_extra=env)
    try:
        logged = next(line for line in lines_of(worker.stderr) if "kneecap.watch imported" in line)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    assert logged.endswith(f"INFO kneecap.watch imported  {RUNS[1]}: 1 new")
    assert stored_runs(data) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--once"], "--once goes with --watch DIR"),
        ([], "name the files, folders or exports to import, or --watch DIR"),
        (["x.fit", "--watch", "."], "--watch takes no PATH"),
        (["--watch", ".", "--settle", "0"], "--settle must be more than 0 seconds"),
    ],
)
def test_the_command_explains_a_wrong_combination(
    args: list[str], message: str, tmp_path: Path
) -> None:
    process = command("import", *args, data_dir=tmp_path, stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and err.startswith(f"kneecap: {message}")
