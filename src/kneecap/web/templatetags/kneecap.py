from __future__ import annotations

import functools
from typing import Any

from django import template
from django.http import HttpRequest
from django.template import Context
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString

from kneecap.application import week
from kneecap.web.viewer import viewer

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


# The section each URL name belongs to, for the navigation's aria-current.
_SECTIONS = {
    "kc-home": "today",
    "kc-today": "today",
    "kc-plan": "plan",
    "kc-plan-month": "plan",
    "kc-progress": "progress",
    "kc-exercise-progress": "progress",
    "kc-history": "history",
    "kc-exercise-history": "history",
    "kc-session": "history",
    "kc-session-edit": "history",
    "kc-coach-dashboard": "athletes",
    "kc-exercises": "exercises",
    "kc-exercise": "exercises",
}


@register.simple_tag
def nav(request: HttpRequest) -> SafeString:
    """The main navigation for what the person is (runner, coach or both) and where they
    are: a handful of variants, each rendered once per process (its URL reversals were a
    fifth of a small page's rendering)."""
    if not request.user.is_authenticated:
        return SafeString("")
    who = viewer(request)  # one query: what the person is shapes the navigation
    coach, has_profile = who.coach, who.has_profile
    runner = has_profile or not coach
    match = request.resolver_match
    section = _SECTIONS.get(match.url_name or "", "") if match else ""
    return _nav(get_script_prefix(), runner, coach, section)


@functools.lru_cache(maxsize=64)
def _nav(prefix: str, runner: bool, coach: bool, section: str) -> SafeString:
    # the prefix is part of every link it holds
    return render_to_string("_nav.html", {"runner": runner, "coach": coach, "section": section})


@register.inclusion_tag("_week_strip.html", takes_context=True)
def week_strip(context: Context) -> dict[str, Any]:
    """This week at a glance for the signed-in runner (Today shows it at the top)."""
    request = context["request"]
    if not request.user.is_authenticated:
        return {"week": None}
    return {"week": week.week_for(request.user, timezone.localdate())}
