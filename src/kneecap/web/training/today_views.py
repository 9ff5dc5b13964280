"""Home and Today: the day's planned session (or any exercise on demand) with its guided
timer, the morning check-in when it is due, coach notes and invitations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import coaching, record, safety
from kneecap.application.catalog import catalog_for
from kneecap.application.today import Day, Guide, today_for
from kneecap.core.log import PAIN_MAX, LogError
from kneecap.core.progression import Missing, MissingRating
from kneecap.db.accounts.users import User
from kneecap.db.training.models import CoachNote
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.training.log_views import blank_checkin_form


def _speed(request: HttpRequest) -> int:
    """A faster clock for demonstrations and the browser tests (1 = real time)."""
    raw = request.GET.get("speed", "1")
    return min(max(int(raw), 1), 100) if raw.isdecimal() else 1


@require_GET
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Home is Today; a coach who does not run with kneecap lands on their athletes."""
    found = today_for(request.user, timezone.localdate())
    if found is None:
        coach = coaching.is_coach(request.user)
        return redirect("kc-coach-dashboard" if coach else "kc-onboarding")
    return _page(request, found)


@require_GET
@login_required
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = today_for(request.user, timezone.localdate())
    if found is None:
        return redirect("kc-onboarding")
    return _page(request, found)


def _page(request: AuthenticatedHttpRequest, found: Day) -> HttpResponse:
    wanted = request.GET.get("exercise")
    if wanted and found.choice(wanted) is None:
        raise Http404
    guide, refused = found.guide, None
    if wanted:
        chosen = found.choice(wanted)
        guide = found.on_demand(wanted, catalog_for(request.user))
        refused = (chosen.exercise, chosen.verdict) if guide is None and chosen else None
    rendered = _guide(guide, found, wanted, _speed(request)) if guide else None
    links = coaching.standing(request.user)
    return render(
        request,
        "training/today.html",
        {
            "day": found.day,
            "found": found,
            "plan": found.plan,
            "guide": rendered,
            "refused": refused,
            "choices": found.choices,
            "names": {c.exercise.slug: c.exercise.name for c in found.choices},
            "checkin_due": found.checkin_due,
            "outcomes_version": found.version,
            "alerts": found.alerts,
            "checkin_form": blank_checkin_form(),
            "missing": [(m, _question(m, request.user)) for m in found.missing],
            "notes": _notes(request.user, links.coached),
            "invitations": links.invitations,
            "is_coach": links.coaching,
        },
    )


def _notes(user: User, coached: bool) -> list[CoachNote]:
    if not coached:
        return []
    return list(CoachNote.objects.filter(athlete=user).select_related("author")[:3])


def _question(m: MissingRating, user: User) -> str:
    when = m.date.strftime("%a %-d %b")
    if m.what is Missing.PAIN_NEXT_MORNING:
        return f"Knee pain the morning after your session of {when}"
    catalog = catalog_for(user)
    slug = m.exercise or ""
    name = catalog.get(slug).name if slug in catalog else slug
    return f"Knee pain during {name} on {when}"


class RatingForm(forms.Form):
    date = forms.DateField()
    exercise = forms.CharField(max_length=80, required=False)
    what = forms.ChoiceField(choices=[(m.value, m.value) for m in Missing])
    value = forms.IntegerField(min_value=0, max_value=PAIN_MAX)


@require_POST
@login_required
def rating(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A rating the pain gate asked for (rules 6, 14), given from Today."""
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A rating is a whole number from 0 to 10.")
        return redirect("kc-today")
    data = form.cleaned_data
    try:
        record.add_rating(
            request.user,
            data["date"],
            data["exercise"] or None,
            Missing(data["what"]),
            data["value"],
            timezone.localdate(),
        )
    except LogError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thanks: the rating is kept and the next dose counts it.")
    return redirect("kc-today")


# what Django's json_script escapes, so that JSON text is safe inside <script>
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_for_script(encoded: str) -> SafeString:
    """JSON text, already encoded, made safe to place inside a ``<script>`` element."""
    return mark_safe(encoded.translate(_SCRIPT_ESCAPES))  # noqa: S308 (escaped above)


def _guide(guide: Guide, found: Day, wanted: str | None, speed: int) -> SafeString:
    """The guided session's markup: why, the timer's script and each exercise's card."""
    return render_to_string(
        "training/_today_guide.html",
        {
            "session": None if wanted else found.session,
            "items": guide.steps,
            "total_s": guide.total_s,
            "script": json_for_script(guide.script_json),
            "speed": speed,
            "ceiling": found.ceiling,
            "scale": range(PAIN_MAX + 1),  # pain as eleven buttons, 0 to 10
            "meta": {
                "date": found.day.isoformat(),
                "label": found.day.strftime("%a %-d %b"),
                "key": wanted or "plan",
                "ceiling": found.ceiling,
                "items": [
                    {
                        "exercise": step.exercise.slug,
                        "level": step.level.slug,
                        "side": step.side.value if step.side else None,
                        # shown in the player while the exercise runs
                        "picture": static(step.exercise.picture) if step.exercise.picture else None,
                        "cues": list(step.exercise.cues),
                    }
                    for step in guide.steps
                ],
            },
            "on_demand": bool(wanted),
        },
    )


@require_POST
@login_required
def settling(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The runner confirms a knee hurt 7 or more days ago is settling (§6.2)."""
    try:
        safety.settling(request.user, timezone.localdate())
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thanks: the knee work that waited for it comes back.")
    return redirect("kc-today")
