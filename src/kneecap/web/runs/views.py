from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import runs
from kneecap.application.access import requested_athlete
from kneecap.application.listing import page_number
from kneecap.core.log import LogError
from kneecap.db.runs.models import Activity
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.pager import pager_query
from kneecap.web.runs.forms import ManualRunForm, RunFilterForm


@require_GET
@login_required
def run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    form = RunFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    coach_view = athlete != request.user
    found = runs.run_page(athlete, chosen, page_number(request.GET.get("page", "")))
    context = {
        "athlete": athlete,
        "form": form,
        "page": found.listing,
        "coach_view": coach_view,
        "athlete_query": f"?athlete={athlete.pk}",
        "pager_query": pager_query(athlete if coach_view else None, chosen),
        "sports": found.sports,
    }
    return render(request, "runs/list.html", context)


@require_GET
@login_required
def run_detail(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    athlete = requested_athlete(request)
    run = get_object_or_404(Activity, pk=run_id, owner=athlete)
    return render(request, "runs/detail.html", {"run": run, "athlete": athlete})


@login_required
def run_edit(request: AuthenticatedHttpRequest, run_id: int | None = None) -> HttpResponse:
    run = (
        get_object_or_404(Activity, pk=run_id, owner=request.user)
        if run_id
        else Activity(owner=request.user)
    )
    form = ManualRunForm(request.POST if request.method == "POST" else None, run=run)
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        try:
            if run_id:
                saved = runs.edit_run(request.user, run_id, form.run(), today)
            else:
                saved = runs.add_run(request.user, form.run(), today)
        except LogError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Run saved.")
            return redirect("kc-run", run_id=saved.pk)
    return render(request, "runs/edit.html", {"form": form, "run": run})


@require_POST
@login_required
def run_delete(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    get_object_or_404(Activity, pk=run_id, owner=request.user)
    runs.delete_run(request.user, run_id)
    messages.success(request, "Run deleted.")
    return redirect("kc-runs")
