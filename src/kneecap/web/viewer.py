"""Who is looking: what the navigation needs and the units they read, in one query.

The navigation asks what the signed-in person is (runner, coach or both) on every page; the
same query reads the units of their own profile, so showing distances in miles costs nothing.
A coach reading an athlete's pages sees the coach's own units. The answer is kept on the
request, and :class:`UnitsMiddleware` makes it the units in force (``kneecap.core.units``)
for the request's pages, resolved only when a page shows a distance or a load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.http import HttpRequest, HttpResponse

from kneecap.core import units
from kneecap.core.units import Units
from kneecap.db.accounts.models import CoachLink, RunnerProfile

_LINKED = (CoachLink.Status.ACTIVE, CoachLink.Status.PENDING)


@dataclass(frozen=True, slots=True)
class Viewer:
    coach: bool  # coaches someone, or has been asked to
    has_profile: bool
    units: Units


_ANONYMOUS = Viewer(coach=False, has_profile=False, units=Units.METRIC)


def viewer(request: HttpRequest) -> Viewer:
    """The signed-in person, read once per request."""
    known: Viewer | None = getattr(request, "_kneecap_viewer", None)
    if known is not None:
        return known
    user = request.user
    found = _ANONYMOUS
    if user.is_authenticated:
        profile = RunnerProfile.objects.filter(user=OuterRef("pk"))
        coach, has_profile, chosen = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                is_coach=Exists(CoachLink.objects.filter(coach=OuterRef("pk"), status__in=_LINKED)),
                # a coach who only chose units is still no runner
                has_profile=Exists(
                    profile.exclude(data={"units": "metric"}).exclude(data={"units": "imperial"})
                ),
                units=Subquery(
                    profile.annotate(units=KeyTextTransform("units", "data")).values("units")[:1]
                ),
            )
            .values_list("is_coach", "has_profile", "units")
            .get()
        )
        found = Viewer(coach, has_profile, Units(chosen) if chosen in set(Units) else Units.METRIC)
    request._kneecap_viewer = found  # type: ignore[attr-defined]
    return found


class UnitsMiddleware:
    """The viewer's units in force for each page; the API's JSON stays in metres and kg."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        with units.using(lambda: viewer(request).units):
            return self.get_response(request)
