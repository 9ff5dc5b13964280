"""A watched folder: activity files that appear in it, or in its subfolders, are imported
once they have stopped growing (issue 17 §2).

Phones and watch companions export each new activity to a folder that a sync tool
(Syncthing) brings to the server. The folder is polled with ``os.scandir``: portable and no
dependency. A look costs a ``stat`` per file (10,000 files: about 100 ms on a 2-core VM), so
the watcher waits at least fifty times its last look between two: at most 2 % of a core,
however large the folder. A file is read once its size and modification time have stayed
the same for ``settle`` seconds; temporary, partial and hidden files are never considered.

What was read is remembered by path, size and modification time in a small state file in
the data dir, so that a restart reads nothing again. A file is remembered only after its
import has committed: a watcher stopped mid-file reads that file again next time, and the
import's dedupe is the final guard against the same run twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from kneecap.application import imports as importer
from kneecap.application import plans
from kneecap.application.background import on_thread
from kneecap.db.accounts.users import User
from kneecap.ingest import FileResult, Status, iter_archive
from kneecap.ingest.store import ImportSpace, Kept, Original, Store

SETTLE_S = 2.0
CHUNK = 200  # files per import: each import commits, then its files are remembered
LOOK_SHARE = 0.02  # of one core, at most, spent looking at the folder
RETRY_S = 30.0  # the worker's watcher tries again after a problem (folder gone, no account)
# What a phone or a watch companion exports; the import reads a zip export too.
SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".zip")
# Hidden files, Syncthing's `.syncthing.*.tmp` and `~syncthing~*.tmp`, editors' `.#x`, `~$x`;
# the other temporary and partial names (`.part`, `.crdownload`, `.swp`, `x~`) end otherwise.
TEMPORARY_PREFIXES = (".", "~")

Signature = tuple[int, int]  # size in bytes, modification time in nanoseconds
Say = Callable[[str], None]


class WatchError(Exception):
    """The folder cannot be watched (missing, not a folder, watched already); says why."""


def wanted(name: str) -> bool:
    """Whether a file of this name is an activity file to import (never a temporary one)."""
    return not name.startswith(TEMPORARY_PREFIXES) and name.lower().endswith(SUFFIXES)


def scan(folder: Path) -> dict[str, Signature]:
    """Every activity file under ``folder`` (hidden folders and links left out), by path
    relative to it."""
    found: dict[str, Signature] = {}
    stack = [""]
    while stack:
        relative = stack.pop()
        try:
            entries = os.scandir(folder / relative)
        except FileNotFoundError:
            if not relative:
                raise WatchError(f"{folder} does not exist (any more)") from None
            continue  # a subfolder removed meanwhile
        with entries:
            for entry in entries:
                if entry.name.startswith(TEMPORARY_PREFIXES):
                    continue
                path = f"{relative}/{entry.name}" if relative else entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(path)
                    elif wanted(entry.name) and entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        found[path] = (info.st_size, info.st_mtime_ns)
                except FileNotFoundError:
                    continue  # removed between the listing and the look
    return found


@dataclass
class Outcome:
    """What the import made of one watched file (a zip holds many)."""

    path: str
    imported: int = 0
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One log line: what happened, to which file, and why when nothing was imported."""
        reasons = self.errors or self.skipped
        if self.imported:
            word = "imported"
        elif self.duplicates:
            word = "duplicate"
        else:
            word = "error" if self.errors else "skipped"
        counts = {
            "new": self.imported,
            "already imported": self.duplicates,
            "skipped": len(self.skipped),
            "error" if len(self.errors) == 1 else "errors": len(self.errors),
        }
        detail = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        if word in ("error", "skipped") and reasons:
            detail = reasons[0] if len(reasons) == 1 else f"{detail}; first: {reasons[0]}"
        return f"{word:<9} {self.path}: {detail or 'no activity file in it'}"


class Watcher:
    """Imports the activity files of ``folder`` into ``owner``'s history, one line each.

    Use it as a context manager: it holds a lock so that only one watcher reads a folder for
    an account (a second ``kneecap worker``, an overlapping cron pass) and loads its state.
    """

    def __init__(
        self,
        folder: Path,
        owner: User,
        *,
        settle: float = SETTLE_S,
        say: Say = print,
        state_dir: Path | None = None,
        chunk: int = CHUNK,
    ) -> None:
        self.folder, self.owner = Path(folder).resolve(), owner
        self.settle, self.say, self.chunk = settle, say, chunk
        key = hashlib.sha256(f"{self.folder}\0{owner.pk}".encode()).hexdigest()[:16]
        base = state_dir or Path(settings.DATA_DIR) / "watch"
        self.state, self.lock_path = base / f"{key}.json", base / f"{key}.lock"
        self.seen: dict[str, Signature] = {}
        self.waiting: dict[str, tuple[Signature, float]] = {}  # first looked at, unchanged
        self._lock: Any = None
        self.look_s = 0.0  # how long the last look at the folder took

    def __enter__(self) -> Watcher:
        if not self.folder.is_dir():
            raise WatchError(f"{self.folder} is not a folder")
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.lock_path, "a+b")  # held until __exit__
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise WatchError(
                f"another kneecap is already watching {self.folder} for {self.owner}"
            ) from None
        self.seen = _load(self.state)
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.close()

    def run(self, stop: threading.Event, *, once: bool = False) -> None:
        """Poll until ``stop`` is set; with ``once``, one pass (waiting once for files still
        being written) and return."""
        if once:
            self.poll(stop)
            if self.waiting and not stop.wait(self.settle):
                self.poll(stop)
            for path in sorted(self.waiting):
                self.say(f"{'waiting':<9} {path} (still being written: left for the next pass)")
            return
        while not stop.is_set():
            self.poll(stop)
            stop.wait(self.interval)

    @property
    def interval(self) -> float:
        """Two looks per settle time (a new file is read at most 1.5 settles after its last
        write), fewer when a look is costly."""
        return max(self.settle / 2, self.look_s / LOOK_SHARE, 0.05)

    def poll(self, stop: threading.Event | None = None) -> list[Outcome]:
        """One pass: import what is new and has settled; remember each part once committed."""
        stop = stop or threading.Event()
        started = time.monotonic()
        found = scan(self.folder)
        self.look_s = time.monotonic() - started
        ready = self._settled(found)
        known = len(self.seen)
        self.seen = {path: sig for path, sig in self.seen.items() if path in found}
        if len(self.seen) < known:  # files gone are forgotten: the state stays small
            _save(self.state, self.seen)
        outcomes: list[Outcome] = []
        for at in range(0, len(ready), self.chunk):
            if stop.is_set():
                break
            outcomes += self._import(ready[at : at + self.chunk], found, stop)
            _save(self.state, self.seen)
        if any(o.imported for o in outcomes):
            plans.snapshot(self.owner, timezone.localdate())
        return outcomes

    def _settled(self, found: dict[str, Signature]) -> list[str]:
        """The new files that have stopped growing: unchanged since ``settle`` seconds
        (their modification time says so, or two looks that far apart do: a clock ahead)."""
        now, wall = time.monotonic(), time.time()
        ready, waiting = [], {}
        for path, sig in sorted(found.items()):
            if self.seen.get(path) == sig:
                continue
            first = self.waiting.get(path)
            since = first[1] if first is not None and first[0] == sig else now
            if wall - sig[1] / 1e9 >= self.settle or now - since >= self.settle:
                ready.append(path)
            else:
                waiting[path] = (sig, since)
        self.waiting = waiting
        return ready

    def _import(
        self, paths: list[str], found: dict[str, Signature], stop: threading.Event
    ) -> list[Outcome]:
        read: dict[str, list[FileResult]] = {}
        done: list[str] = []
        with ImportSpace(importer.files_root()) as space:
            results = self._read(paths, space, stop, read, done)
            report = importer.import_read(self.owner, results, space)
        outcomes = _outcomes(self.folder, done, read, report)
        for outcome in outcomes:
            self.seen[outcome.path] = found[outcome.path]
            self.say(outcome.line())
        return outcomes

    def _read(
        self,
        paths: list[str],
        space: ImportSpace,
        stop: threading.Event,
        read: dict[str, list[FileResult]],
        done: list[str],
    ) -> Iterator[FileResult]:
        """The results of each file in turn, until ``stop``; a file is ``done`` once all its
        results were handed over (a zip left halfway is read again next time)."""
        for path in paths:
            got = read[path] = []
            with closing(iter_archive(self.folder / path, store=_Open(space.store))) as results:
                for result in results:
                    if stop.is_set():
                        return
                    got.append(result)
                    yield result
            done.append(path)


@dataclass(frozen=True, slots=True)
class _Open:
    """The import's pack store, left open from one file to the next: ``iter_archive``
    closes its store after each path, and a pack per file made a 10,000-file pass 4x
    slower (a file created, then a query and a removal for each duplicate). The import
    space closes the store itself."""

    store: Store

    def keep(self, original: Original, sha256: str, fmt: str) -> Kept:
        return self.store.keep(original, sha256, fmt)

    def close(self) -> None:
        pass


def _outcomes(
    folder: Path,
    done: list[str],
    read: dict[str, list[FileResult]],
    report: importer.ImportReport,
) -> list[Outcome]:
    """Each file's share of the report: a new activity is counted for the first file that
    holds it (a copy of a file read in the same pass is that file's duplicate)."""
    created = Counter((a.source_sha256, a.source_index) for a in report.activities)
    outcomes = []
    for path in done:
        outcome, inside = Outcome(path), f"{folder / path}/"
        for result in read[path]:
            # The message, with the entry's name when it is one inside a zip.
            entry = result.name.removeprefix(inside) if result.name.startswith(inside) else ""
            reason = f"{entry}: {result.message}" if entry else result.message
            if result.status is Status.SKIPPED:
                outcome.skipped.append(reason)
            elif result.status is Status.ERROR:
                outcome.errors.append(reason)
            for record in result.activities:
                key = (record.source_sha256, record.session_index)
                if created[key]:
                    created[key] -= 1
                    outcome.imported += 1
                else:
                    outcome.duplicates += 1
        outcomes.append(outcome)
    return outcomes


def _load(path: Path) -> dict[str, Signature]:
    """The files already read; a missing or damaged state only means reading them again."""
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
        return {str(name): (int(sig[0]), int(sig[1])) for name, sig in files.items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return {}


def _save(path: Path, seen: dict[str, Signature]) -> None:
    """Replace the state at once (no fsync: a state lost in a crash is read again, and the
    import's dedupe keeps the runs single)."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"files": seen}, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


def account(username: str) -> Any:
    """The account a watched folder imports into: the one named, or the only one."""
    users = get_user_model().objects
    if username:
        user = users.filter(username=username, is_active=True).first()
        if user is None:
            raise WatchError(f"no active account named {username!r}")
        return user
    found = list(users.filter(is_active=True)[:2])
    if len(found) != 1:
        many = "several accounts: name one" if found else "no account yet"
        raise WatchError(f"this instance has {many} (KNEECAP_WATCH_USER)")
    return found[0]


@contextmanager
def in_background(
    folder: Path, username: str, settle: float, log: logging.Logger
) -> Iterator[threading.Thread]:
    """Watch ``folder`` on a thread while the block runs (``kneecap worker``); leaving the
    block stops it after the file being read, whose import commits first."""
    with on_thread("kneecap-watch", partial(_serve, folder, username, settle, log=log)) as thread:
        yield thread


def _serve(
    folder: Path, username: str, settle: float, stop: threading.Event, log: logging.Logger
) -> None:
    """Watch until stopped; a problem is logged (once while it lasts) and tried again."""
    last = ""
    try:
        while not stop.is_set():
            try:
                with Watcher(folder, account(username), settle=settle, say=log.info) as w:
                    log.info("watching %s for %s", w.folder, w.owner)
                    last = ""
                    w.run(stop)
            except WatchError as exc:
                if str(exc) != last:
                    log.warning("watched folder: %s; trying again every %.0f s", exc, RETRY_S)
                    last = str(exc)
            except Exception:
                log.exception("watched folder: the pass failed; trying again in %.0f s", RETRY_S)
            stop.wait(RETRY_S)
    finally:
        connections.close_all()  # this thread's own
