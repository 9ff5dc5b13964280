from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import catalog as services
from kneecap.application import exercises
from kneecap.application.access import requested_athlete
from kneecap.application.progress import decision_for, next_report
from kneecap.core.catalog import (
    CatalogError,
    Equipment,
    Exercise,
    Origin,
    Stress,
    exercise_to_dict,
)
from kneecap.db.catalog.models import CustomExercise
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.templatetags.words import label

MAX_TEXT = 100_000


class FilterForm(forms.Form):
    equipment = forms.MultipleChoiceField(
        choices=[(e.value, label(e.value)) for e in Equipment],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stress = forms.ChoiceField(
        choices=[("", "any"), *((s.value, s.value) for s in Stress)], required=False
    )


class ExerciseTextForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false"}),
        max_length=MAX_TEXT,
        label="Exercise (JSON or TOML)",
        help_text="The same fields as the shipped exercises; see the catalog documentation.",
    )


@require_GET
@login_required
def exercise_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)  # a coach sees the athlete's own exercises too
    form = FilterForm(request.GET or None)
    catalog = services.catalog_for(athlete)
    exercises = list(catalog)
    if form.is_valid():
        exercises = list(
            catalog.filter(
                equipment=form.cleaned_data["equipment"], stress=form.cleaned_data["stress"] or None
            )
        )
    return render(request, "catalog/list.html", {"form": form, "exercises": exercises})


@require_GET
@login_required
def exercise_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    athlete = requested_athlete(request)
    try:
        exercise = services.catalog_for(athlete).get(slug)
    except KeyError:
        raise Http404 from None
    decision = decision_for(next_report(athlete, timezone.localdate()), slug)
    return render(
        request,
        "catalog/detail.html",
        {
            "ex": exercise,
            "ladder": _ladder(exercise, decision.level if decision else None),
            "decision": decision,
            "custom": exercise.origin is Origin.CUSTOM,
        },
    )


def _ladder(exercise: Exercise, current: str | None) -> list[dict[str, Any]]:
    """The levels as a path: passed, where the runner is, the next one and what unlocks it."""
    slugs = [lvl.slug for lvl in exercise.levels]
    at = slugs.index(current) if current in slugs else -1
    rows = []
    for i, lvl in enumerate(exercise.levels):
        state = "passed" if i < at else "current" if i == at else ""
        if at >= 0 and i == at + 1:
            state = "next"
        rows.append(
            {
                "level": lvl,
                "state": state,
                "dose": lvl.prescription.describe(),
                "stress": (lvl.stress or exercise.stress).value,
                # what unlocks this level: meeting the level before it
                "unlock": exercise.levels[i - 1].advance_when if i else "",
            }
        )
    return rows


@login_required
def exercise_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = ""
    copy = request.GET.get("copy")
    if copy:
        try:
            source = exercise_to_dict(services.catalog_for(request.user).get(copy))
        except KeyError:
            raise Http404 from None
        source["slug"] = f"my-{copy}"[:60]
        source["name"] = f"My {source['name']}"[:80]
        initial = json.dumps(source, indent=2, ensure_ascii=False)
    return _edit(request, None, initial)


@login_required
def exercise_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    row = get_object_or_404(CustomExercise, owner=request.user, slug=slug)
    return _edit(request, row.slug, json.dumps(row.data, indent=2, ensure_ascii=False))


def _edit(request: AuthenticatedHttpRequest, slug: str | None, initial: str) -> HttpResponse:
    form = ExerciseTextForm(request.POST or None, initial={"text": initial})
    if request.method == "POST" and form.is_valid():
        try:
            data = services.parse_text(form.cleaned_data["text"])
            row = exercises.save_custom(request.user, data, author=request.user, replacing=slug)
        except CatalogError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, f"Saved “{row.data['name']}”.")
            return redirect("kc-exercise", slug=row.slug)
    return render(request, "catalog/edit.html", {"form": form, "slug": slug})


@require_POST
@login_required
def exercise_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    if not exercises.delete_custom(request.user, slug):
        raise Http404
    messages.success(request, "Exercise deleted. Logged sessions that used it are kept.")
    return redirect("kc-exercises")
