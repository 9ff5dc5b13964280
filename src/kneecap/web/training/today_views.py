"""Today: the day's planned session (or any exercise on demand) with its guided timer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kneecap.core.catalog import Catalog, Exercise, Prescription
from kneecap.core.sessions import GuideItem, session_script
from kneecap.web.catalog.services import catalog_for
from kneecap.web.training import plans
from kneecap.web.training.log_views import CheckinForm, checkin_due
from kneecap.web.training.progress import decision_for, report_for


def _speed(request: HttpRequest) -> int:
    """A faster clock for demonstrations and the browser tests (1 = real time)."""
    raw = request.GET.get("speed", "1")
    return min(max(int(raw), 1), 100) if raw.isdecimal() else 1


def _items(
    catalog: Catalog, pairs: list[tuple[str, str, Prescription, str]]
) -> list[dict[str, Any]]:
    items = []
    for slug, level_slug, prescription, reason in pairs:
        exercise: Exercise = catalog.get(slug)
        items.append(
            {
                "exercise": exercise,
                "level": exercise.level(level_slug),
                "prescription": prescription,
                "reason": reason,
                "guide": GuideItem.of(exercise, prescription),
            }
        )
    return items


def _reason(report: Any, item: Any) -> str:
    decision = decision_for(report, item.exercise)
    if decision is None:
        return "New to you: about half the level's volume to start (rule 32)."
    return " ".join(decision.why) + f" (rules {', '.join(map(str, decision.rules))})"


@require_GET
@login_required
def today(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    plan = plans.plan_for(request.user, day, weeks=1)
    if plan is None:
        return redirect("kc-onboarding")
    catalog = catalog_for(request.user)
    wanted = request.GET.get("exercise")
    session = next((s for s in plan.sessions() if s.date == day), None)
    if wanted:
        try:
            exercise = catalog.get(wanted)
        except KeyError:
            raise Http404 from None
        pairs = [plans.current_dose(request.user, exercise)]
    elif session is not None:
        pairs = [
            (i.exercise, i.level, i.prescription, "; ".join(session.why)) for i in session.items
        ]
    else:
        pairs = []
    items = _items(catalog, pairs)
    script = session_script([i["guide"] for i in items]) if items else None
    return render(
        request,
        "training/today.html",
        {
            "day": day,
            "plan": plan,
            "session": session,
            "items": items,
            "script": script.as_dict() if script else None,
            "speed": _speed(request),
            "meta": {
                "date": day.isoformat(),
                "key": wanted or "plan",
                "items": [
                    {"exercise": i["exercise"].slug, "level": i["level"].slug} for i in items
                ],
            },
            "exercises": list(catalog),
            "on_demand": bool(wanted),
            "checkin_for": checkin_due(request.user),
            "alerts": report_for(request.user, day).alerts if items or session else (),
            "checkin_form": CheckinForm(),
        },
    )
