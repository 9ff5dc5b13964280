from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from kneecap.web.accounts.access import requested_athlete
from kneecap.web.runs.forms import ManualRunForm, RunFilterForm
from kneecap.web.runs.models import Activity
from kneecap.web.training import plans


@require_GET
@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    form = RunFilterForm(request.GET or None)
    runs = Activity.objects.filter(owner=athlete)
    if form.is_valid():
        if form.cleaned_data["sport"]:
            runs = runs.filter(sport=form.cleaned_data["sport"])
        if form.cleaned_data["since"]:
            runs = runs.filter(start__date__gte=form.cleaned_data["since"])
        if form.cleaned_data["until"]:
            runs = runs.filter(start__date__lte=form.cleaned_data["until"])
    page = Paginator(runs.order_by("-start"), 50).get_page(request.GET.get("page"))
    sports = Activity.objects.filter(owner=athlete).values_list("sport", flat=True).distinct()
    return render(
        request,
        "runs/list.html",
        {"athlete": athlete, "page": page, "form": form, "sports": sorted(set(sports))},
    )


@require_GET
@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    athlete = requested_athlete(request)
    run = get_object_or_404(Activity, pk=run_id, owner=athlete)
    return render(request, "runs/detail.html", {"run": run, "athlete": athlete})


@login_required
def run_edit(request: HttpRequest, run_id: int | None = None) -> HttpResponse:
    run = (
        get_object_or_404(Activity, pk=run_id, owner=request.user)
        if run_id
        else Activity(owner=request.user)
    )
    form = ManualRunForm(request.POST if request.method == "POST" else None, instance=run)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            plans.replan_soon(request.user)
        messages.success(request, "Run saved.")
        return redirect("kc-run", run_id=saved.pk)
    return render(request, "runs/edit.html", {"form": form, "run": run})


@require_POST
@login_required
def run_delete(request: HttpRequest, run_id: int) -> HttpResponse:
    with transaction.atomic():
        get_object_or_404(Activity, pk=run_id, owner=request.user).delete()
        plans.replan_soon(request.user)
    messages.success(request, "Run deleted.")
    return redirect("kc-runs")
