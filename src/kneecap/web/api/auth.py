"""API authentication: the browser session (with CSRF) or a personal access token."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from kneecap.db.accounts.models import ApiToken, hash_token
from kneecap.db.accounts.users import User


class SessionAuth(APIKeyCookie):
    """The logged-in browser; ninja checks the CSRF token on unsafe methods."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie: not this kind of caller at all, so a 401 ("log in or send a
        # token"), not a CSRF 403 that would send a script after the wrong problem.
        if self.param_name not in request.COOKIES:
            return None
        key: str | None = super()._get_key(request)
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if user.is_authenticated else None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kc_…``: tokens are stored hashed and shown once."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


AUTH = [TokenAuth(), SessionAuth()]
