"""The request of someone logged in, for annotations (healthchecks' pattern), and where a
form may send its answer back to."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from kneecap.db.accounts.users import User


class AuthenticatedHttpRequest(HttpRequest):
    """What a view behind ``login_required``, or an API operation behind ``AUTH``, receives:
    its ``user`` is an account, never ``AnonymousUser``. Only a type: Django never makes one,
    and nothing checks it at run time."""

    user: User


def back_to(request: HttpRequest, fallback: str) -> str:
    """The form's ``next`` (the page the answer was given on) when it is a path on this site,
    else ``fallback`` (a view name): never another site."""
    url = request.POST.get("next", "")
    safe = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    return url if safe else fallback
