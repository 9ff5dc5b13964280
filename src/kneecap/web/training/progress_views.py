"""Progress pages: each exercise's decision with its reasons, a chart, and pins."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import record
from kneecap.application.access import requested_athlete
from kneecap.application.catalog import catalog_for
from kneecap.application.log import training_log
from kneecap.application.progress import decision_for, next_report
from kneecap.application.runner import onboarded, program_start
from kneecap.core import units
from kneecap.core.log import LogError
from kneecap.core.log import Pin as CorePin
from kneecap.core.profile import parse_profile
from kneecap.core.progression import context_from_profile, decide
from kneecap.db.accounts.users import User
from kneecap.db.training.models import Pin
from kneecap.web.charts import Chart, Panel, Series
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.training.chart_views import progress_charts

PIN_KEYS = ("sets", "reps", "hold_s", "distance_m", "load_kg")


@require_GET
@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    report = next_report(athlete, timezone.localdate())
    names = {ex.slug: ex.name for ex in catalog_for(athlete)}
    context = {"athlete": athlete, "report": report, "names": names}
    context |= progress_charts(athlete, timezone.localdate())
    return render(request, "training/progress.html", context)


def exercise_chart(athlete: User, exercise: Any, report_log: Any) -> Chart:
    """What was prescribed and what was done at each session, with pain on the same axis."""
    stored = onboarded(athlete)
    assert stored is not None  # noqa: S101 - the page redirects before onboarding
    profile = parse_profile({**stored.data, "start_date": program_start(stored).isoformat()})
    prescribed, done, pain = [], [], []
    for session in report_log.sessions:
        for entry in session.exercises:
            if entry.exercise != exercise.slug:
                continue
            ctx = context_from_profile(profile, session.date, pins=report_log.pins)
            decision = decide(exercise, report_log.before(session.date), ctx)
            if decision.prescription is not None:
                prescribed.append((session.date, decision.prescription.volume()))
            done.append((session.date, _done_volume(entry)))
            if entry.pain_during is not None:
                pain.append((session.date, float(entry.pain_during)))
    unit = _VOLUME_UNITS.get(exercise.dose_kind.value, "volume")
    if exercise.dose_kind.value == "distance":  # metres or yards, as the viewer reads
        unit = "yards" if units.short_unit() == "yd" else "metres"
        prescribed = [(d, units.short_value(v)) for d, v in prescribed]
        done = [(d, units.short_value(v)) for d, v in done]
    return Chart(
        f"{exercise.name}: prescribed and done, with pain during",
        summary=f"Volume is the session's total {unit}; pain is 0 (none) to 10 (worst).",
        panels=[
            Panel(
                unit,
                [
                    Series("prescribed", prescribed, kind="step", css="s-plan"),
                    Series("done", done, kind="line", css="s-done"),
                ],
            ),
            Panel("pain 0–10", [Series("pain during", pain, kind="line", css="s-pain")], top=10),
        ],
    )


# The unit of an exercise's volume, by its dose kind (core.catalog.model.DoseKind).
_VOLUME_UNITS = {
    "reps": "reps",
    "hold": "seconds held",
    "distance": "metres",
    "time": "seconds",
    "flights": "flights",
}


def _done_volume(entry: Any) -> float:
    total = 0.0
    for s in entry.sets:
        total += s.reps or s.distance_m or s.flights or s.hold_s or s.duration_s or 0
    return total


@require_GET
@login_required
def exercise_progress(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    athlete = requested_athlete(request)
    try:
        exercise = catalog_for(athlete).get(slug)
    except KeyError:
        raise Http404 from None
    if onboarded(athlete) is None:
        return redirect("kc-onboarding")
    log = training_log(athlete)
    decision = decision_for(next_report(athlete, timezone.localdate()), slug)
    pin = Pin.objects.filter(owner=athlete, exercise=slug).select_related("pinned_by").first()
    return render(
        request,
        "training/exercise_progress.html",
        {
            "athlete": athlete,
            "exercise": exercise,
            "decision": decision,
            "chart": exercise_chart(athlete, exercise, log),
            "pin": pin,
            "pin_form": PinForm(exercise, initial={"level": decision.level if decision else ""}),
        },
    )


class PinForm(forms.Form):
    level = forms.ChoiceField()
    sets = forms.IntegerField(min_value=1, max_value=20, required=False)
    reps = forms.IntegerField(min_value=1, max_value=1000, required=False)
    hold_s = forms.FloatField(min_value=0, max_value=3600, required=False, label="Hold (s)")
    distance_m = forms.FloatField(
        min_value=0, max_value=10_000, required=False, label="Distance (m)"
    )
    load_kg = forms.FloatField(min_value=0, max_value=500, required=False, label="Load (kg)")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, exercise: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = cast(forms.ChoiceField, self.fields["level"])  # declared so above
        level.choices = [(lvl.slug, lvl.name) for lvl in exercise.levels]
        self.fields["distance_m"].label = f"Distance ({units.short_unit()})"
        self.fields["load_kg"].label = f"Load ({units.load_unit()})"


@require_POST
@login_required
def pin_exercise(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The runner, or their coach, fixes a level or dose; the engine keeps to it."""
    athlete = requested_athlete(request, request.POST)
    try:
        exercise = catalog_for(athlete).get(slug)
    except KeyError:
        raise Http404 from None
    form = PinForm(exercise, request.POST)
    if not form.is_valid():
        messages.error(request, "That pin has a value out of range: " + form.errors.as_text())
        return redirect(_progress_url(slug, athlete, request.user))
    dose = {k: form.cleaned_data[k] for k in PIN_KEYS if form.cleaned_data[k] is not None}
    if "distance_m" in dose:  # typed in the person's units; stored in metres and kg
        dose["distance_m"] = units.short_metres(dose["distance_m"])
    if "load_kg" in dose:
        dose["load_kg"] = units.load_kg(dose["load_kg"])
    try:
        fixed = CorePin(
            slug, form.cleaned_data["level"], dose or None, note=form.cleaned_data["note"]
        )
        record.pin(athlete, fixed, request.user)
    except LogError as exc:
        messages.error(request, str(exc))
        return redirect(_progress_url(slug, athlete, request.user))
    messages.success(request, f"{exercise.name} pinned.")
    return redirect(_progress_url(slug, athlete, request.user))


@require_POST
@login_required
def unpin_exercise(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    athlete = requested_athlete(request, request.POST)
    record.unpin(athlete, slug)
    messages.success(request, "Pin removed: the engine decides again.")
    return redirect(_progress_url(slug, athlete, request.user))


def _progress_url(slug: str, athlete: User, user: User) -> str:
    url = reverse("kc-exercise-progress", args=[slug])
    return url if athlete == user else f"{url}?athlete={athlete.pk}"
