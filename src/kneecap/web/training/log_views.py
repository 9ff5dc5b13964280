"""The log in the browser: history, one session, edit, delete, the morning check-in."""

from __future__ import annotations

import functools
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import log, record
from kneecap.application.access import requested_athlete
from kneecap.application.catalog import catalog_for
from kneecap.application.listing import page_number
from kneecap.application.safety import GateClosed
from kneecap.core import log as core
from kneecap.core.log import LogError, PainLocation
from kneecap.db.training.models import ExerciseLog, SessionLog
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.pager import pager_query

MAX_BODY = 256 * 1024


@require_GET
@login_required
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    coach_view = athlete != request.user
    context = {
        "athlete": athlete,
        "coach_view": coach_view,
        "athlete_query": f"?athlete={athlete.pk}",
        "page": log.history_page(athlete, page_number(request.GET.get("page", ""))),
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


class SessionTextForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        max_length=MAX_BODY,
        label="Session (JSON)",
    )


@login_required
def session_edit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    row = get_object_or_404(SessionLog, pk=session_id, owner=request.user)
    initial = json.dumps(core.to_json(log.session_of(row)), indent=2)
    form = SessionTextForm(
        request.POST if request.method == "POST" else None, initial={"text": initial}
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = core.from_json(core.SessionLog, json.loads(form.cleaned_data["text"]))
            record.replace_session(request.user, row.pk, session, timezone.localdate())
        except (LogError, json.JSONDecodeError) as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, "Session saved.")
            return redirect("kc-session", session_id=row.pk)
    return render(request, "training/session_edit.html", {"form": form, "row": row})


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
    return redirect(_local(request.POST.get("next", "")) or "kc-home")


def _local(url: str) -> str | None:
    """A path on this site, or None: never another site, never a view name to reverse."""
    safe = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    return url if safe else None
