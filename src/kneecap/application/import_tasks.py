"""Background imports: a queued job reads the uploaded file and reports its progress."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kneecap.application import imports as importer
from kneecap.application import plans
from kneecap.application.import_report import public, public_lines
from kneecap.db.runs.models import ImportJob
from kneecap.ingest.archive import plan
from kneecap.ingest.parallel import default_workers

PROGRESS_EVERY_S = 0.5


@task()
def run_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    upload = Path(settings.UPLOAD_DIR) / job.upload
    total = sum(1 for _ in plan(upload))  # lists the archive; reads no activity yet
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING, files_total=total)
    last = [0.0]

    def progress(report: importer.ImportReport, name: str) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            _save_progress(job_id, report, upload, job.original_name)

    try:
        report = importer.import_paths(
            job.owner, [upload], workers=default_workers(), progress=progress
        )
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            errors=[
                {
                    "file": job.original_name,
                    "error": f"the import stopped: {public(str(exc), upload, job.original_name)}",
                }
            ],
            finished_at=timezone.now(),
        )
        raise
    finally:
        upload.unlink(missing_ok=True)
        upload.parent.rmdir()
    _save_progress(job_id, report, upload, job.original_name, done=True)
    plans.snapshot(job.owner, timezone.localdate())


def _save_progress(job_id: int, report: Any, upload: Path, name: str, done: bool = False) -> None:
    fields: dict[str, Any] = {
        "files_done": report.files,
        "imported": report.imported,
        "duplicates": report.duplicates,
        "skipped": report.skipped,
        "errors": public_lines(report.errors[:500] + report.notes, upload, name),
    }
    if done:
        fields.update(status=ImportJob.Status.DONE, finished_at=timezone.now())
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id).update(**fields)
