"""Imports: upload an activity file or a whole export; a background job reads it and reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from kneecap.application.uploads import (
    Unusable,
    body_name,
    limit_text,
    queue_body,
    queue_upload,
    too_large,
)
from kneecap.db.runs.models import ImportJob
from kneecap.web.api.common import DayFilter, paged, subject, within
from kneecap.web.api.errors import ApiError
from kneecap.web.ratelimit import limited

router = Router(tags=["imports"])

# The file is read from the request only after the size check, so the body is not a
# declared parameter; this documents it.
WHAT = "a FIT, GPX or TCX file (also .gz), or a Garmin or Strava export (.zip)"
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            "The file as the multipart field `file`, or as the whole body with any other "
            "content type (a script or a phone automation: "
            "`curl -H 'Authorization: Bearer kc_…' --data-binary @run.fit "
            "'https://kneecap.example.org/api/imports?name=run.fit'`). A raw body is named by "
            "`Content-Disposition: attachment; filename=…` or `?name=`; without either it "
            "must be recognisable from its content."
        ),
        "content": {
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary", "description": WHAT}
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": WHAT,
                        }
                    },
                }
            },
        },
    }
}


class FileError(Schema):
    file: str
    error: str


class ImportOut(Schema):
    id: int
    status: Literal["queued", "running", "done", "failed"]
    original_name: str
    files_total: int
    files_done: int
    imported: int
    duplicates: int
    skipped: int
    errors: list[FileError]
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_errors(job: ImportJob) -> list[dict[str, Any]]:
        """The files that could not be read; the job also keeps its skipped files and
        duplicates (with a ``kind``) for the page's report."""
        return [e for e in job.errors if e.get("kind", "error") == "error"]


class ImportList(Schema):
    count: int
    items: list[ImportOut]


@router.get("/imports", response=ImportList)
def list_imports(request: HttpRequest, filters: Query[DayFilter]) -> dict[str, Any]:
    """Import jobs, newest first (by the day they were uploaded)."""
    jobs = ImportJob.objects.filter(owner=subject(request, filters.athlete))
    jobs = within(jobs, filters, "created_at__date")
    count, items = paged(jobs.order_by("-created_at", "-id"), filters)
    return {"count": count, "items": list(items)}


@router.get("/imports/{job_id}", response=ImportOut)
def get_import(request: HttpRequest, job_id: int, athlete: int | None = None) -> ImportJob:
    """A job's progress while it runs, then its report (per-file errors included)."""
    return get_object_or_404(ImportJob, pk=job_id, owner=subject(request, athlete))


@router.post("/imports", response={201: ImportOut}, openapi_extra=UPLOAD_BODY)
@limited("upload", api=True)
def upload(
    request: HttpRequest, athlete: int | None = None, name: str | None = None
) -> Status[ImportJob]:
    """Upload a file or an export, as a multipart form or as the raw body (`name`: the file's
    name, for a raw body); it returns at once with a queued job to poll."""
    owner = subject(request, athlete, coach_may=False)
    if too_large(request):
        raise ApiError(413, f"the upload is larger than this instance's limit of {limit_text()}")
    if request.content_type == "multipart/form-data":
        job = queue_upload(owner, _multipart_file(request))
    else:
        try:
            job = queue_body(owner, request, body_name(request, name))
        except Unusable as exc:
            raise ApiError(422, str(exc)) from None
    job.refresh_from_db()  # a worker in this process (immediate tasks) may have run it already
    return Status(201, job)


def _multipart_file(request: HttpRequest) -> Any:
    try:
        uploaded = request.FILES.get("file")
    except (MultiPartParserError, TooManyFilesSent):
        raise ApiError(400, "the body is not a valid multipart upload") from None
    except RequestDataTooBig:
        raise ApiError(413, "the form fields besides the file are too large") from None
    if uploaded is None:
        raise ApiError(422, "file: send the file as the multipart field 'file'")
    if not uploaded.size:
        raise ApiError(422, "file: the file is empty")
    return uploaded
