"""Today: the day's planned session (or any exercise on demand) with its guided timer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from kneecap.application import cache as revision
from kneecap.application import plans
from kneecap.application.catalog import catalog_for
from kneecap.application.progress import decision_for, report_for
from kneecap.core.catalog import Catalog, Exercise, Prescription
from kneecap.core.sessions import GuideItem, session_script
from kneecap.web.training.log_views import blank_checkin_form, checkin_due


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
    if wanted and wanted not in catalog:
        raise Http404
    session = next((s for s in plan.sessions() if s.date == day), None)
    guide = None
    if wanted or (session is not None and session.items):
        speed = _speed(request)
        # The guide (its event script, ~280 events for a full session, and the exercise
        # cards) cost 20 ms of CPU a request; it changes only with the plan, the log or the
        # catalog, which move the runner's stamp.
        guide = revision.kept(
            request.user,
            f"today:{wanted or 'plan'}:{speed}",
            day,
            lambda: _guide(request.user, catalog, day, session, wanted, speed),
        )
    return render(
        request,
        "training/today.html",
        {
            "day": day,
            "plan": plan,
            "guide": guide,
            "exercises": list(catalog),
            "checkin_due": revision.kept(
                request.user, "checkin-due", day, lambda: checkin_due(request.user, day)
            ),
            "alerts": report_for(request.user, day).alerts if guide or session else (),
            "checkin_form": blank_checkin_form(),
        },
    )


def _guide(
    user: Any, catalog: Catalog, day: date, session: Any, wanted: str | None, speed: int
) -> SafeString:
    """The guided session's markup: why, the timer's script and each exercise's card."""
    if wanted:
        pairs = [plans.current_dose(user, catalog.get(wanted))]
    else:
        pairs = [
            (i.exercise, i.level, i.prescription, "; ".join(session.why)) for i in session.items
        ]
    items = _items(catalog, pairs)
    script = session_script([i["guide"] for i in items])
    return render_to_string(
        "training/_today_guide.html",
        {
            "session": session,
            "items": items,
            "script": script.as_dict(),
            "speed": speed,
            "meta": {
                "date": day.isoformat(),
                "key": wanted or "plan",
                "items": [
                    {"exercise": i["exercise"].slug, "level": i["level"].slug} for i in items
                ],
            },
            "on_demand": bool(wanted),
        },
    )
