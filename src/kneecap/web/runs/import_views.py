"""Uploading a file or a whole export: it returns at once, then shows progress and a report."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from kneecap.application.import_report import report_of
from kneecap.application.uploads import queue_upload, too_large
from kneecap.db.runs.models import ImportJob
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.ratelimit import limited


class UploadForm(forms.Form):
    file = forms.FileField(
        label="A FIT, GPX or TCX file (also .gz), or a Garmin or Strava export (.zip)"
    )


@login_required
@limited("upload")
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and too_large(request):
        limit = settings.UPLOAD_MAX_BYTES / 2**20
        return render(
            request,
            "runs/upload.html",
            {
                "form": UploadForm(),
                "error": f"That file is larger than this instance's {limit:,.0f} MiB limit.",
            },
            status=413,
        )
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = queue_upload(request.user, form.cleaned_data["file"])
        return redirect("kc-import", job_id=job.pk)
    jobs = ImportJob.objects.filter(owner=request.user)[:10]
    return render(request, "runs/upload.html", {"form": form, "jobs": jobs})


@require_GET
@login_required
def job_status(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id, owner=request.user)
    template = (
        "runs/_import_status.html" if request.headers.get("HX-Request") else "runs/import.html"
    )
    return render(request, template, {"job": job, "report": report_of(job)})
