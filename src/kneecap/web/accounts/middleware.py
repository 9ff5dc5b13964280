"""First run: until an account exists, every page leads to the setup page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

_EXEMPT = ("/setup/", "/static/", "/healthz", "/api/")


def usable_accounts() -> QuerySet[Any]:
    """Accounts someone can log in to; ``kneecap import`` on a fresh instance makes one
    without a password, which the first-run page then claims."""
    return get_user_model().objects.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)


class FirstRunMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A logged-in visitor proves an account exists; others cost one tiny query.
        if (
            not request.user.is_authenticated
            and not request.path.startswith(_EXEMPT)
            and not usable_accounts().exists()
        ):
            return redirect("kc-setup")
        return self.get_response(request)
