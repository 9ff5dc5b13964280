"""Outcome questionnaires inside other pages: what is due (Today, Home) and the chart
(progress), so those pages take one include line and their views stay as they are."""

from __future__ import annotations

from django import template
from django.utils import timezone

from kneecap.application import outcomes
from kneecap.db.accounts.users import User
from kneecap.web.training.outcome_chart import OutcomeChart, charts

register = template.Library()


@register.simple_tag
def outcomes_due(user: User, version: object = None) -> tuple[outcomes.Due, ...]:
    """The questionnaires due for the logged-in runner (the page's own user, never another).
    A page that read the runner's profile passes its ``version``: then this costs no query
    once kept; without it, one (the version)."""
    if not user.is_authenticated:
        return ()
    # a variable the page does not set arrives as "": never a key of its own
    known = version if isinstance(version, int) and not isinstance(version, bool) else None
    return outcomes.due_now(user, timezone.localdate(), version=known)


@register.simple_tag
def outcomes_charts(athlete: User) -> list[OutcomeChart]:
    """The athlete the page already resolved through ``application.access``."""
    return charts(outcomes.trend(athlete, timezone.localdate()))
