"""The runner owns their data: take it all out, bring it back elsewhere, or delete it all.

Files follow the database, never lead it: an import unpacks and checks every file in a
staging folder first and moves them into place only once its rows are committed; a deletion
removes files only after the rows are gone. A failure therefore leaves nothing half-done.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import IO

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kneecap.application import imports as importer
from kneecap.application.portability import archive, document, restore
from kneecap.application.portability.archive import LIMITS, Limits, Source
from kneecap.application.portability.records import PortabilityError
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import Activity, ImportJob

__all__ = [
    "Imported",
    "PortabilityError",
    "delete_user",
    "end_sessions",
    "export_user",
    "import_account",
    "write_export",
]


def export_user(user: User) -> bytes:
    """The account archive in memory (tests, small accounts); see ``write_export``."""
    buffer = io.BytesIO()
    write_export(user, buffer)
    return buffer.getvalue()


def write_export(user: User, out: IO[bytes], now: datetime | None = None) -> None:
    """Write the zip to ``out``: ``kneecap.json`` last, after the files it lists, each
    streamed in chunks so memory stays flat however many activity files there are."""
    now = now or timezone.now()
    root, taken = importer.files_root(), set[str]()
    originals = _originals(user)
    names = {
        key: archive.archive_name(importer.original_name(a), taken) for key, a in originals.items()
    }
    doc = {
        "format": document.FORMAT,
        "version": document.VERSION,
        "exported_at": now.isoformat(),
        **document.collect(user, names),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest = []
        for key, name in names.items():
            activity = originals[key]
            path = _inside(root, activity.file)
            if path is not None and path.is_file():  # a missing original is left out
                sha, size = archive.add_file(zf, name, importer.read_original(activity), now)
                manifest.append({"name": name, "sha256": sha, "size": size})
        written = {entry["name"] for entry in manifest}
        for row in doc["activities"]:
            row["file"] = row["file"] if row["file"] in written else None
        doc["files"] = manifest
        archive.add_document(zf, doc, now)


def _originals(user: User) -> dict[str, Activity]:
    """Each kept original of the user's activities, by key, with an activity it belongs to
    (a multisport file's sessions share one)."""
    found: dict[str, Activity] = {}
    for activity in Activity.objects.filter(owner=user).exclude(file="").order_by("pk"):
        found.setdefault(importer.original_key(activity), activity)
    return dict(sorted(found.items()))


def _inside(root: Path, relative: str) -> Path | None:
    """``root / relative`` unless a stored path would lead outside ``root``."""
    path = (root / relative).resolve()
    return path if path.is_relative_to(root.resolve()) else None


@dataclass(frozen=True, slots=True)
class Imported:
    user: User
    skipped: list[str]
    counts: dict[str, int]


def import_account(
    source: Source, username: str | None = None, *, limits: Limits = LIMITS
) -> Imported:
    """Recreate an exported account here, under its own name or ``username``.

    Raises PortabilityError with one clear line, having written nothing, when the archive is
    damaged, hostile or clashes with an existing account.
    """
    with archive.open_archive(source, limits) as zf:
        parsed = document.parse(archive.read_document(zf, limits))
        archive.check_contents(zf, parsed.files)
        _name(parsed, username)
        user, skipped = _restore(zf, parsed)
    counts = {
        "sessions": len(parsed.sessions),
        "check-ins": len(parsed.checkins),
        "activities": len(parsed.activities),
        "files": len(parsed.files),
    }
    return Imported(user, skipped, counts)


def _name(parsed: document.Parsed, username: str | None) -> None:
    user = parsed.user
    if username is not None:
        try:
            user.username = user._meta.get_field("username").clean(username, user)
        except ValidationError as exc:
            raise PortabilityError(f"username: {' '.join(exc.messages)}") from None
    if get_user_model().objects.filter(username=user.username).exists():
        raise PortabilityError(
            f"an account named {user.username!r} already exists here: choose another username"
        )


def _restore(zf: zipfile.ZipFile, parsed: document.Parsed) -> tuple[User, list[str]]:
    root = importer.files_root()
    root.mkdir(parents=True, exist_ok=True)
    # Outside activities/, so the importer's sweep never sees half-made files.
    stage = Path(tempfile.mkdtemp(prefix=".import-account-", dir=root))
    try:
        for name, expected in parsed.files.items():
            archive.stage_file(zf, name, expected, stage / archive.stored_name(name))
        with importer.importing(), transaction.atomic():
            user, skipped = restore.save(parsed)
            transaction.on_commit(partial(_publish, stage, user.pk))
    except IntegrityError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PortabilityError(f"the archive clashes with a uniqueness rule: {detail}") from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return user, skipped


def _publish(stage: Path, user_id: int) -> None:
    target = importer.files_root() / "activities" / str(user_id)
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(stage.iterdir()):
        os.replace(path, target / path.name)
    shutil.rmtree(stage, ignore_errors=True)


def delete_user(user: User) -> None:
    """Remove the account and every row of it (cascades take profile, logs, pins, notes,
    runs, imports, tokens and coach links), end all its sessions, then delete its files."""
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        paths = _owned_paths(locked)
        end_sessions(locked)
        _forget_logins(locked.get_username())
        locked.delete()
        transaction.on_commit(partial(_remove, paths))


def _owned_paths(user: User) -> list[Path]:
    media, uploads = importer.files_root(), Path(settings.DATA_DIR) / "uploads"
    files = Activity.objects.filter(owner=user).exclude(file="").values_list("file", flat=True)
    jobs = ImportJob.objects.filter(owner=user).exclude(upload="").values_list("upload", flat=True)
    found = [_inside(media, rel) for rel in files] + [_inside(uploads, rel) for rel in jobs]
    return [media / "activities" / str(user.pk), *(p for p in found if p is not None)]


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def end_sessions(user: User) -> int:
    """Log the account out everywhere: every browser session that belongs to it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    mine = str(user.pk)
    keys = [
        s.session_key
        for s in Session.objects.iterator()
        if s.get_decoded().get(SESSION_KEY) == mine
    ]
    for key in keys:
        store(session_key=key).delete()
    return len(keys)


def _forget_logins(username: str) -> None:
    """django-axes keeps login attempts and logs by username: they go with the account."""
    if not apps.is_installed("axes"):
        return
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
