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

from kneecap.application.import_tasks import run_import
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import ImportJob


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
    folder = Path(settings.UPLOAD_DIR) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    name = safe_name(uploaded.name)
    target = folder / name
    temp = getattr(uploaded, "temporary_file_path", None)
    if temp is not None:
        shutil.move(temp(), target)
    else:
        with open(target, "wb") as fh:
            for chunk in uploaded.chunks():
                fh.write(chunk)
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=owner, upload=f"{folder.name}/{name}", original_name=uploaded.name[:255]
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job
