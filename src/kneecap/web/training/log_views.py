"""The log in the browser: history, one session, edit, delete, the morning check-in."""

from __future__ import annotations

import functools
import json
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import log, record
from kneecap.application.access import requested_athlete
from kneecap.application.catalog import catalog_for
from kneecap.application.listing import page_number
from kneecap.application.safety import GateClosed
from kneecap.application.today import planned_log
from kneecap.core import log as core
from kneecap.core.catalog import Catalog, Exercise
from kneecap.core.log import LogError, PainLocation
from kneecap.db.training.models import ExerciseLog, SessionLog
from kneecap.web.http import AuthenticatedHttpRequest, back_to
from kneecap.web.pager import pager_query
from kneecap.web.training.log_forms import (
    SessionForm,
    entries_for,
    form_errors,
    in_words,
    session_of,
)

MAX_BODY = 256 * 1024


@require_GET
@login_required
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    coach_view = athlete != request.user
    found = log.history_page(athlete, page_number(request.GET.get("page", "")))
    context = {
        "history": found,
        "athlete": athlete,
        "coach_view": coach_view,
        "athlete_query": f"?athlete={athlete.pk}",
        "page": found.listing,
        "names": {ex.slug: ex.name for ex in catalog_for(athlete)},
        "pager_query": pager_query(athlete if coach_view else None, {}),
    }
    return render(request, "training/history.html", context)


@require_GET
@login_required
def exercise_history(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    athlete = requested_athlete(request)
    entries = (
        ExerciseLog.objects.filter(session__owner=athlete, exercise=slug)
        .select_related("session")
        .prefetch_related("sets")
        .order_by("-session__date")
    )
    names = {ex.slug: ex.name for ex in catalog_for(athlete)}
    return render(
        request,
        "training/exercise_history.html",
        {"athlete": athlete, "entries": entries[:200], "slug": slug, "name": names.get(slug, slug)},
    )


@require_GET
@login_required
def session_detail(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    athlete = requested_athlete(request)
    row = get_object_or_404(SessionLog, pk=session_id, owner=athlete)
    names = {ex.slug: ex.name for ex in catalog_for(athlete)}
    return render(
        request, "training/session.html", {"athlete": athlete, "row": row, "names": names}
    )


@login_required
def session_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Log a session done away from the app: first pick its exercises (the day's plan is
    ticked), then fill in the sets."""
    catalog = catalog_for(request.user)
    today = timezone.localdate()
    day = _day(request.GET.get("date", ""), today)
    planned = planned_log(request.user, day)
    slugs = [slug for slug in request.GET.getlist("exercise") if slug in catalog]
    if not slugs:
        choices = [ex for ex in catalog if ex.slug in planned] + [
            ex for ex in catalog if ex.slug not in planned
        ]
        context = {"day": day, "today": today, "choices": choices, "planned": planned}
        return render(request, "training/session_pick.html", context)
    items = [(catalog.get(slug), planned.get(slug)) for slug in slugs]
    return _log_page(request, catalog, items, None, day)


@login_required
def session_edit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    row = get_object_or_404(SessionLog, pk=session_id, owner=request.user)
    catalog = catalog_for(request.user)
    logged = log.session_of(row)
    items: list[tuple[Exercise, core.ExerciseLog | None]] = [
        (catalog.get(e.exercise), e) for e in logged.exercises if e.exercise in catalog
    ]
    added = request.GET.get("add", "")
    if added in catalog:
        items.append((catalog.get(added), None))
    return _log_page(request, catalog, items, (row.pk, logged), row.date)


def _log_page(
    request: AuthenticatedHttpRequest,
    catalog: Catalog,
    items: list[tuple[Exercise, core.ExerciseLog | None]],
    editing: tuple[int, core.SessionLog] | None,
    day: date,
) -> HttpResponse:
    logged = editing[1] if editing else None
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"date": day}
    if logged is not None:
        shown = ("minutes", "pain_before", "pain_after", "rpe", "notes", "swelling")
        initial |= {k: getattr(logged, k) for k in (*shown, "twisted_or_fell")}
        initial["pain_location"] = logged.pain_location.value if logged.pain_location else ""
    form = SessionForm(data, initial=initial)
    entries = entries_for(items, data)
    problems: list[str] = []
    if data is not None:
        valid = form.is_valid() & all(e.form.is_valid() & e.sets.is_valid() for e in entries)
        if valid:
            try:
                session = session_of(form, entries, logged)
                if editing:
                    row = record.replace_session(request.user, editing[0], session, _today())
                else:
                    row, _ = record.record_session(request.user, session, _today())
            except LogError as exc:
                problems = [in_words(exc, entries)]
            except GateClosed as exc:
                problems = [str(exc)]
            else:
                messages.success(request, "Session saved.")
                return redirect("kc-session", session_id=row.pk)
        else:
            problems = form_errors(form, entries)
    context = {
        "form": form,
        "entries": entries,
        "problems": problems,
        "editing": editing[0] if editing else None,
        "others": [ex for ex in catalog if all(ex.slug != e.exercise.slug for e in entries)],
        "day": day,
    }
    return render(request, "training/session_edit.html", context)


def _today() -> date:
    return timezone.localdate()


def _day(raw: str, today: date) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return today
    return day if day <= today else today


@require_POST
@login_required
def session_delete(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    get_object_or_404(SessionLog, pk=session_id, owner=request.user)
    record.delete_session(request.user, session_id)
    messages.success(request, "Session deleted.")
    return redirect("kc-history")


@require_POST
@login_required
def session_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """JSON in, JSON out: the guided session's save, re-sent until it arrives (idempotent)."""
    if len(request.body) > MAX_BODY:
        return JsonResponse({"detail": "session too large"}, status=413)
    try:
        payload = json.loads(request.body)
        if not isinstance(payload, dict):
            raise LogError("", "expected a session object")
        client_id = record.client_id_of(payload.pop("client_id", None))
        session = core.from_json(core.SessionLog, payload)
        row, created = record.record_session(request.user, session, timezone.localdate(), client_id)
    except json.JSONDecodeError:
        return JsonResponse({"detail": "not JSON"}, status=400)
    except LogError as exc:
        return JsonResponse({"detail": str(exc)}, status=422)
    except GateClosed as exc:
        return JsonResponse({"detail": str(exc)}, status=409)
    return JsonResponse({"id": row.pk, "created": created}, status=201 if created else 200)


# Where it hurt, as a runner would say it; muscle soreness first (rule 20), no default.
PAIN_PLACES = [
    ("", "Choose where"),
    (PainLocation.MUSCLE.value, "sore muscles (not the knee)"),
    (PainLocation.JOINT.value, "in or around the knee joint"),
    (PainLocation.TENDON.value, "a tendon"),
    (PainLocation.BONE.value, "a sore spot on a bone"),
]


class CheckinForm(forms.Form):
    pain = forms.IntegerField(min_value=0, max_value=10, label="Knee pain this morning (0–10)")
    pain_location = forms.ChoiceField(
        choices=PAIN_PLACES,
        required=False,
        label="Where is it?",
        help_text="Left unsaid, kneecap counts it as knee pain.",
    )
    stiffness = forms.IntegerField(
        min_value=0, max_value=10, required=False, label="Morning stiffness (0–10)"
    )
    swelling = forms.BooleanField(required=False, label="The knee is swollen")


@functools.cache
def blank_checkin_form() -> SafeString:
    """The unbound check-in form's fields, the same on every page: rendered once (Django
    renders each field through templates, 2 ms a page)."""
    return CheckinForm().as_div()


@require_POST
@login_required
def checkin(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CheckinForm(request.POST)
    if form.is_valid():
        data = {"date": timezone.localdate().isoformat(), **form.cleaned_data}
        record.record_checkin(
            request.user, core.from_json(core.Checkin, data), timezone.localdate()
        )
        messages.success(request, "Thanks: kneecap uses this to decide the next step.")
    else:
        messages.error(request, "Pain and stiffness are numbers from 0 to 10.")
    return redirect(back_to(request, "kc-home"))
