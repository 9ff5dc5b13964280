"""The request of someone logged in, for annotations (healthchecks' pattern)."""

from __future__ import annotations

from django.http import HttpRequest

from kneecap.db.accounts.users import User


class AuthenticatedHttpRequest(HttpRequest):
    """What a view behind ``login_required``, or an API operation behind ``AUTH``, receives:
    its ``user`` is an account, never ``AnonymousUser``. Only a type: Django never makes one,
    and nothing checks it at run time."""

    user: User
