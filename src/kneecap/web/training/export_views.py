"""The plan outside kneecap: a calendar feed, a printable PDF, FIT workouts for a watch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import plans
from kneecap.application.access import requested_athlete
from kneecap.application.catalog import catalog_for
from kneecap.application.runner import monday
from kneecap.core import units
from kneecap.core.planning.model import Plan
from kneecap.core.units import Units
from kneecap.db.accounts.models import RunnerProfile, hash_token
from kneecap.db.accounts.users import User
from kneecap.export.fit_workout import session_to_fit_workout
from kneecap.export.ics import plan_to_ics
from kneecap.export.pdf import plan_to_pdf
from kneecap.web.http import AuthenticatedHttpRequest

FEED_WEEKS = 8
STATIC_ROOT = Path(settings.BASE_DIR) / "static"


def _plan(user: User, weeks: int) -> Plan:
    plan = plans.plan_for(user, timezone.localdate(), weeks)
    if plan is None:
        raise Http404("no plan yet")
    return plan


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret subscription URL: no login, the token is the key (stored hashed)."""
    profile = RunnerProfile.objects.filter(calendar_token_hash=hash_token(token)).first()
    if profile is None:
        raise Http404
    with units.using(Units(profile.data.get("units", Units.METRIC))):  # stored validated
        body = plan_to_ics(
            _plan(profile.user, FEED_WEEKS),
            catalog_for(profile.user),
            calendar_name="kneecap strength sessions",
            uid_domain="kneecap",  # fixed: the same feed through another host keeps its UIDs
            now=timezone.now(),
            uid_salt=str(profile.pk),
            reminders=profile.reminders_to_core(),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kneecap.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@login_required
def new_calendar_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A fresh feed URL; the previous one stops working at once."""
    profile, _ = RunnerProfile.objects.get_or_create(user=request.user)
    token = profile.new_calendar_token()
    profile.save(update_fields=["calendar_token_hash", "updated_at"])
    request.session["calendar_url"] = request.build_absolute_uri(f"/feeds/{token}.ics")
    messages.success(request, "New calendar address made; the old one no longer works.")
    return redirect("kc-settings")


@require_POST
@login_required
def revoke_calendar_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    RunnerProfile.objects.filter(user=request.user).update(calendar_token_hash="")
    messages.success(request, "Calendar address turned off.")
    return redirect("kc-settings")


@require_GET
@login_required
def plan_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    athlete = requested_athlete(request)
    body = plan_to_pdf(
        _plan(athlete, 4),
        catalog_for(athlete),
        title=f"kneecap plan for {athlete.get_username()}",
        static_root=STATIC_ROOT,
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="kneecap-plan.pdf"'
    return response


@require_GET
@login_required
def session_fit(request: AuthenticatedHttpRequest, day: str) -> HttpResponse:
    athlete = requested_athlete(request)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    today = timezone.localdate()
    weeks = max(1, (wanted - monday(today)).days // 7 + 1)
    if wanted < monday(today) or weeks > 52:
        raise Http404
    session = next((s for s in _plan(athlete, weeks).sessions() if s.date == wanted), None)
    if session is None:
        raise Http404("no session planned that day")
    body = session_to_fit_workout(session, catalog_for(athlete), name=f"Knees {wanted:%d %b}")
    response = HttpResponse(body, content_type="application/vnd.ant.fit")
    response["Content-Disposition"] = f'attachment; filename="kneecap-{wanted}.fit"'
    return response
