"""What an import did, as its page tells it: the runs that came in, the duplicates and the
skipped files each with a reason, the files that could not be read. Nothing in it names a
place on the server: the upload is called by the name it was sent with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from kneecap.db.runs.models import Activity, ImportJob

RUNS_SHOWN = 200


@dataclass(frozen=True, slots=True)
class Line:
    file: str
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    runs: list[Activity]  # the first RUNS_SHOWN imported, newest first
    duplicates: list[Line]
    skipped: list[Line]
    errors: list[Line]


def public(text: str, upload: Path, name: str) -> str:
    """``text`` with the upload called by the name it was sent with and every other path
    under the data directory cut down to what follows it."""
    out = text.replace(str(upload), name or upload.name)
    for root in sorted(
        {str(upload.parent), str(settings.UPLOAD_DIR), str(settings.DATA_DIR)},
        key=len,
        reverse=True,
    ):
        out = out.replace(root + "/", "").replace(root, "")
    return out


def public_lines(lines: list[dict[str, Any]], upload: Path, name: str) -> list[dict[str, Any]]:
    return [
        {
            **line,
            "file": public(str(line.get("file", "")), upload, name),
            "error": public(str(line.get("error", "")), upload, name),
        }
        for line in lines
    ]


def report_of(job: ImportJob) -> Report:
    lines = [
        (x.get("kind", "error"), Line(str(x.get("file", "")), str(x.get("error", ""))))
        for x in job.errors
    ]
    until = job.finished_at or timezone.now()
    runs = Activity.objects.filter(
        owner_id=job.owner_id, created_at__gte=job.created_at, created_at__lte=until
    ).order_by("-start")[:RUNS_SHOWN]
    return Report(
        runs=list(runs),
        duplicates=[line for kind, line in lines if kind == "duplicate"],
        skipped=[line for kind, line in lines if kind == "skipped"],
        errors=[line for kind, line in lines if kind == "error"],
    )
