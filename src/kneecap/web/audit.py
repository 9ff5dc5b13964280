"""The audit log: sign-ins, sign-outs, lockouts and denied requests, on logger ``kneecap.audit``.

Each record is one line of ``key=value`` fields: the event, the time (UTC), the account id,
the client address and, for requests, the method, the URL pattern and the status. It never
holds what a runner wrote (pain notes), passwords, tokens, request bodies or query strings;
URLs appear as their pattern (``feeds/<str:token>.ics``), never as the path that was asked
for. A failed sign-in names the account only by id when it exists and by a keyed hash of the
typed name, which may be a mistyped password (issue 9 §5).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:  # the logging set-up imports this module before Django's apps are ready
    from kneecap.db.accounts.users import User

log = logging.getLogger("kneecap.audit")


def record(
    event: str, request: HttpRequest | None, user_id: int | None = None, **fields: Any
) -> None:
    """Write one audit line; ``fields`` must be safe to keep (ids, codes, patterns)."""
    parts = {
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "user": user_id if user_id is not None else "-",
        "client": client_address(request),
        **fields,
    }
    line = " ".join(f"{key}={value}" for key, value in parts.items())
    level = logging.INFO if event in ("login", "logout") else logging.WARNING
    log.log(level, "%s %s", event, line, extra={"audit": {"event": event, **parts}})


class HideTokens(logging.Filter):
    """Blanks secrets that live in URLs (calendar feed tokens) in any log line, such as
    Django's own "Not Found: /feeds/…" warnings; set on the handlers in ``LOGGING``."""

    SECRET_IN_URL = re.compile(r"(/feeds/)[^/?#\s]+?(\.ics)")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = self.SECRET_IN_URL.sub(r"\1…\2", message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def client_address(request: HttpRequest | None) -> str:
    """The client as the login throttle sees it (django-axes: proxy-aware when configured)."""
    if request is None:
        return "-"
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "-"


def name_hash(username: str) -> str:
    """A keyed hash of a typed user name: repeated attempts match, the text stays unknown."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def _logged_in(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    record("login", request, user.pk)


def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **_: Any) -> None:
    record("logout", request, getattr(user, "pk", None))


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    typed = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    record("login-failed", request, _existing_id(typed), name=name_hash(typed))


def _locked_out(sender: Any, request: Any = None, username: Any = None, **_: Any) -> None:
    typed = str(username or "")
    record("lockout", request, _existing_id(typed), name=name_hash(typed))


def _existing_id(username: str) -> int | None:
    if not username:
        return None
    field = get_user_model().USERNAME_FIELD
    found = get_user_model().objects.filter(**{field: username}).values_list("pk", flat=True)
    return found.first()


class AuditMiddleware:
    """Logs denied requests: every 401 and 403, and the 404 of the ownership check.

    ``athlete_for`` answers 404 to a request about another runner's data that the caller may
    not see (never 403, so ids stay secret); such requests name the athlete in ``?athlete=``
    or in the URL, which is what tells them apart from a plain missing page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Here, not at import: LOGGING imports this module before the apps (axes) are ready.
        from axes.signals import user_locked_out

        user_locked_out.connect(_locked_out, dispatch_uid="kneecap.audit.lockout")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status in (401, 403) or (status == 404 and _names_another_athlete(request)):
            user = getattr(request, "user", None)
            match = request.resolver_match
            record(
                "denied",
                request,
                user.pk if user is not None and user.is_authenticated else None,
                method=request.method,
                route=match.route if match is not None else "-",
                status=status,
            )
        return response


def _names_another_athlete(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    match = request.resolver_match
    asked = request.GET.get("athlete") or (match.kwargs.get("athlete_id") if match else None)
    return asked is not None and str(asked) != str(user.pk)


# Connected on import (LOGGING imports this module when Django starts, before any sign-in).
user_logged_in.connect(_logged_in, dispatch_uid="kneecap.audit.login")
user_logged_out.connect(_logged_out, dispatch_uid="kneecap.audit.logout")
user_login_failed.connect(_login_failed, dispatch_uid="kneecap.audit.failed")
