"""Uploads of activity files and exports, shared by the import page and the API."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.http import parse_header_parameters

from kneecap.application.import_tasks import run_import
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import ImportJob
from kneecap.ingest import Format, sniff

CHUNK = 1 << 20
# A raw body without a name is named for its content (the reading goes by content anyway).
SNIFFED = {
    Format.FIT: "fit",
    Format.GPX: "gpx",
    Format.TCX: "tcx",
    Format.GZIP: "gz",
    Format.ZIP: "zip",
}
UNNAMED = (
    "the body is not a FIT, GPX, TCX, gzip or zip file; name it with a "
    "'Content-Disposition: attachment; filename=...' header or ?name=, "
    "or send it as the multipart field 'file'"
)


class Unusable(ValueError):
    """A raw body that cannot be queued (empty, or neither named nor recognisable)."""


def safe_name(name: str) -> str:
    base = Path(name).name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[-120:] or "upload"


def too_large(request: HttpRequest) -> bool:
    """Judged from the declared length, before the body is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.UPLOAD_MAX_BYTES


def limit_text() -> str:
    """The instance's upload limit in words, for the 413 answer."""
    limit = settings.UPLOAD_MAX_BYTES
    return f"{limit / 2**20:,.0f} MiB" if limit >= 2**20 else f"{limit:,} bytes"


def queue_upload(owner: User, uploaded: Any) -> ImportJob:
    """Keep the upload under the data dir, then queue the job that reads it."""
    folder = _new_folder()
    name = safe_name(uploaded.name)
    target = folder / name
    temp = getattr(uploaded, "temporary_file_path", None)
    if temp is not None:
        shutil.move(temp(), target)
    else:
        with open(target, "wb") as fh:
            for chunk in uploaded.chunks():
                fh.write(chunk)
    return _queue(owner, folder, name, uploaded.name)


def body_name(request: HttpRequest, name: str | None) -> str | None:
    """A raw body's file name: ``Content-Disposition``'s filename, else ``?name=``."""
    disposition = request.headers.get("Content-Disposition", "")
    given = parse_header_parameters(disposition)[1].get("filename") if disposition else None
    return (given or name or "").strip() or None


def queue_body(owner: User, request: HttpRequest, name: str | None) -> ImportJob:
    """Keep a raw request body (one activity file or an export, as ``curl --data-binary``
    sends it), then queue the job that reads it. Streamed to disk, never held in memory;
    Django reads no more than the declared length, which ``too_large`` has checked."""
    first = request.read(CHUNK)
    if not first:
        raise Unusable("file: the body is empty (send it with its Content-Length)")
    if name is None:
        kind = SNIFFED.get(sniff(first[:4096]))
        if kind is None:
            raise Unusable(f"file: {UNNAMED}")
        name = f"upload.{kind}"
    folder = _new_folder()
    stored = safe_name(name)
    try:
        with open(folder / stored, "wb") as fh:
            fh.write(first)
            shutil.copyfileobj(request, fh, CHUNK)
    except BaseException:  # the client went away mid-body: keep nothing of it
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _queue(owner, folder, stored, name)


def _new_folder() -> Path:
    folder = Path(settings.UPLOAD_DIR) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    return folder


def _queue(owner: User, folder: Path, name: str, original: str) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=owner, upload=f"{folder.name}/{name}", original_name=original[:255]
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job
