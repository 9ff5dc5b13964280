"""Outcome questionnaires: what is due, a form per instrument, and the schedule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import outcomes
from kneecap.application.access import athlete_for, requested_athlete
from kneecap.core.outcomes import INSTRUMENTS, MAX_WEEKS, MIN_WEEKS, OutcomeError, Scoring
from kneecap.db.accounts.users import User
from kneecap.web import audit
from kneecap.web.http import AuthenticatedHttpRequest

PSFS_ROWS = 3
ANSWERS_SHOWN = 20  # the rest are in the chart's tables and GET /api/outcomes


class ScheduleForm(forms.Form):
    interval_weeks = forms.IntegerField(
        min_value=MIN_WEEKS, max_value=MAX_WEEKS, label="Ask again every (weeks)"
    )


@require_GET
@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each instrument with its next day; the runner's last answers; the schedule."""
    athlete = requested_athlete(request)
    today = timezone.localdate()
    schedule = outcomes.schedule_of(athlete)
    return render(
        request,
        "training/outcomes.html",
        {
            "athlete": athlete,
            "due": outcomes.due(athlete, today),
            "today": today,
            "wordings": {w.instrument.id: w for w in outcomes.wordings()},
            "answers": outcomes.responses(athlete, limit=ANSWERS_SHOWN),
            "shown": ANSWERS_SHOWN,
            "schedule": schedule,
            "schedule_form": ScheduleForm(initial={"interval_weeks": schedule.interval_weeks}),
        },
    )


@require_POST
@login_required
def schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The runner or a linked coach or physio sets how often the questionnaires come."""
    athlete = requested_athlete(request, request.POST)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Every how many weeks: a whole number {MIN_WEEKS}–{MAX_WEEKS}.")
    else:
        weeks = form.cleaned_data["interval_weeks"]
        outcomes.set_schedule(athlete, weeks, request.user)
        if athlete != request.user:
            audit.record("outcome-schedule", request, request.user.pk, athlete=athlete.pk)
        messages.success(request, f"Questionnaires now come every {weeks} weeks.")
    return redirect(_overview_url(athlete, request.user))


def _field_name(position: int) -> str:
    return f"answer-{position}"


def answer_form(wording: outcomes.Wording, data: Any = None, last: tuple[str, ...] = ()) -> Any:
    """One field per item: a number for sane, a name and a 0–10 rating per PSFS activity,
    the owner's worded options for the licensed instruments (none chosen: skipped)."""
    inst, text = wording.instrument, wording.text
    assert text is not None  # noqa: S101 - only an available wording gets a form
    form = forms.Form(data)
    if inst.id == "psfs":
        anchors = text.items[0].anchors
        for n in range(PSFS_ROWS):
            form.fields[f"activity-{n}"] = forms.CharField(
                max_length=100,
                required=False,
                label=f"Activity {n + 1}",
                initial=last[n] if n < len(last) else "",
            )
            form.fields[_field_name(n)] = forms.IntegerField(
                min_value=0,
                max_value=10,
                required=False,
                label=f"Activity {n + 1}: {text.items[0].text}",
                help_text=" · ".join(anchors),
            )
        return form
    for n, (item, entry) in enumerate(zip(inst.items, text.items, strict=True)):
        field: forms.Field
        if item.labelled:
            field = forms.TypedChoiceField(
                choices=list(enumerate(entry.options, start=item.low)),
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
                empty_value=None,
            )
        else:
            field = forms.IntegerField(
                min_value=item.low,
                max_value=item.high,
                required=inst.scoring is Scoring.VALUE,
                help_text=" · ".join(entry.anchors),
            )
        field.label = entry.text
        form.fields[_field_name(n)] = field
    return form


def _answers(inst_id: str, cleaned: dict[str, Any]) -> tuple[list[int | None], list[str]]:
    inst = INSTRUMENTS[inst_id]
    if inst_id != "psfs":
        return [cleaned.get(_field_name(n)) for n in range(len(inst.items))], []
    ratings, names = [], []
    for n in range(PSFS_ROWS):
        name, rating = cleaned.get(f"activity-{n}", ""), cleaned.get(_field_name(n))
        if name and rating is None:
            raise OutcomeError(f"Activity {n + 1}: rate it from 0 to 10")
        if name or rating is not None:
            names.append(name)
            ratings.append(rating)
    return ratings, names


@login_required
def answer(request: AuthenticatedHttpRequest, instrument: str) -> HttpResponse:
    """The runner fills in one questionnaire; saved through the use case, which scores it."""
    if instrument not in INSTRUMENTS:
        raise Http404
    raw = str(request.GET.get("athlete", ""))  # a coach reads answers but never gives them
    athlete = athlete_for(request.user, int(raw) if raw.isdecimal() else None, coach_may=False)
    wording = outcomes.wording(instrument)
    form = None
    if wording.available:
        last = outcomes.last_activities(athlete) if instrument == "psfs" else ()
        form = answer_form(wording, request.POST or None, last)
        if request.method == "POST" and form.is_valid():
            try:
                ratings, names = _answers(instrument, form.cleaned_data)
                stored = outcomes.record(
                    athlete, instrument, ratings, timezone.localdate(), activities=names
                )
            except OutcomeError as exc:
                form.add_error(None, str(exc))
            else:
                shown = ", ".join(
                    f"{k} {v:.1f}" if v is not None else f"{k}: no score (too few answers)"
                    for k, v in stored.response.scores.items()
                )
                messages.success(request, f"Saved. {wording.instrument.name}: {shown}.")
                return redirect("kc-outcomes")
    return render(
        request,
        "training/outcomes_form.html",
        {"wording": wording, "form": form, "instrument": wording.instrument},
    )


def _overview_url(athlete: User, user: User) -> str:
    url = reverse("kc-outcomes")
    return url if athlete == user else f"{url}?athlete={athlete.pk}"
