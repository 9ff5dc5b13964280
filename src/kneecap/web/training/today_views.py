"""Today: the day's planned session (or any exercise on demand) with its guided timer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import safety
from kneecap.application.catalog import catalog_for
from kneecap.application.today import today_for
from kneecap.core.catalog import Catalog, Exercise, Prescription
from kneecap.core.progression import DEFAULT_CONFIG
from kneecap.core.screening import Leg
from kneecap.core.sessions import GuideItem, session_script
from kneecap.web.training.log_views import blank_checkin_form


def _speed(request: HttpRequest) -> int:
    """A faster clock for demonstrations and the browser tests (1 = real time)."""
    raw = request.GET.get("speed", "1")
    return min(max(int(raw), 1), 100) if raw.isdecimal() else 1


def _items(
    catalog: Catalog, pairs: list[tuple[str, str, Prescription, str, Leg | None]]
) -> list[dict[str, Any]]:
    """Each exercise of the guide; one leg only when the other is paused (rule 37)."""
    items = []
    for slug, level_slug, prescription, reason, side in pairs:
        exercise: Exercise = catalog.get(slug)
        dose = replace(prescription, per_side=False) if side else prescription
        items.append(
            {
                "exercise": exercise,
                "level": exercise.level(level_slug),
                "prescription": dose,
                "reason": reason,
                "side": side,
                "guide": GuideItem.of(exercise, dose),
            }
        )
    return items


@require_GET
@login_required
def today(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    found = today_for(request.user, day)
    if found is None:
        return redirect("kc-onboarding")
    wanted = request.GET.get("exercise")
    catalog = catalog_for(request.user)
    if wanted and found.choice(wanted) is None:
        raise Http404
    guide, refused = None, None
    chosen = found.choice(wanted) if wanted else None
    if chosen is not None:
        dose, verdict = chosen.dose, chosen.verdict
        if dose is None:
            refused = (chosen.exercise, verdict)
        else:
            pairs = [
                (chosen.exercise.slug, dose.level, dose.prescription, dose.reason, verdict.side)
            ]
            guide = _guide(catalog, day, None, pairs, wanted, _speed(request))
    elif found.session is not None and not found.closed:
        session = found.session
        why = "; ".join(session.why)
        pairs = [(i.exercise, i.level, i.prescription, why, i.side) for i in session.items]
        guide = _guide(catalog, day, session, pairs, None, _speed(request))
    return render(
        request,
        "training/today.html",
        {
            "day": day,
            "found": found,
            "plan": found.plan,
            "guide": guide,
            "refused": refused,
            "choices": found.choices,
            "checkin_due": found.checkin_due,
            "alerts": found.alerts,
            "checkin_form": blank_checkin_form(),
        },
    )


def _guide(
    catalog: Catalog,
    day: date,
    session: Any,
    pairs: list[tuple[str, str, Prescription, str, Leg | None]],
    wanted: str | None,
    speed: int,
) -> SafeString:
    """The guided session's markup: why, the timer's script and each exercise's card."""
    items = _items(catalog, pairs)
    script = session_script([i["guide"] for i in items])
    return render_to_string(
        "training/_today_guide.html",
        {
            "session": session,
            "items": items,
            "script": script.as_dict(),
            "speed": speed,
            "ceiling": DEFAULT_CONFIG.amber_max,
            "meta": {
                "date": day.isoformat(),
                "key": wanted or "plan",
                "ceiling": DEFAULT_CONFIG.amber_max,
                "items": [
                    {
                        "exercise": i["exercise"].slug,
                        "level": i["level"].slug,
                        "side": i["side"].value if i["side"] else None,
                    }
                    for i in items
                ],
            },
            "on_demand": bool(wanted),
        },
    )


@require_POST
@login_required
def settling(request: HttpRequest) -> HttpResponse:
    """The runner confirms a knee hurt 7 or more days ago is settling (§6.2)."""
    try:
        safety.settling(request.user, timezone.localdate())
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thanks: the knee work that waited for it comes back.")
    return redirect("kc-today")
