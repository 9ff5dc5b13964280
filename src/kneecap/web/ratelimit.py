"""Per-account limits on the expensive requests: uploads and whole-account exports (issue 9 §5).

A sliding window per account and action: the times of the requests it allowed within the
last period, in Django's cache (files in the data dir by default, shared by the processes of
one machine; Redis via ``KNEECAP_REDIS_URL`` for several machines). A fixed window per clock
hour let an account send twice its limit around the hour and made the limit's own test fail
when it ran at hh:00. Over the limit the answer is 429 with a message saying when to try
again and a ``Retry-After`` header; refused requests do not count.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

P = ParamSpec("P")
R = TypeVar("R")
Request = TypeVar("Request", bound=HttpRequest)
WHAT = {"upload": "uploads", "export": "exports"}
clock = time.time  # the tests move it


def retry_after(request: HttpRequest, action: str) -> int:
    """Count this request; 0 if it is allowed, else the seconds until it would be."""
    allowed, period = settings.RATE_LIMITS[action]
    user = request.user
    if not user.is_authenticated or allowed <= 0:  # 0 turns the limit off
        return 0
    now = clock()
    # date_joined too: an account that reuses a deleted account's id starts afresh.
    joined = int(user.date_joined.timestamp()) if hasattr(user, "date_joined") else 0
    key = f"kneecap:rate:{action}:{user.pk}:{joined}"
    recent: list[float] = [at for at in cache.get(key, ()) if at > now - period]
    if len(recent) >= allowed:
        return max(1, math.ceil(recent[-allowed] + period - now))
    cache.set(key, [*recent, now], timeout=period)
    return 0


def message(action: str, wait: int) -> str:
    allowed, period = settings.RATE_LIMITS[action]
    hours = period / 3600
    per = "hour" if hours == 1 else f"{hours:g} hours"
    minutes = max(1, round(wait / 60))
    return (
        f"Too many {WHAT.get(action, action)}: this instance allows {allowed} per {per} for "
        f"each account. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def limited(
    action: str, *, methods: tuple[str, ...] = ("POST",), api: bool = False
) -> Callable[
    [Callable[Concatenate[Request, P], R]], Callable[Concatenate[Request, P], R | HttpResponse]
]:
    """Decorate a view (or, with ``api=True``, an API operation answering JSON) with a limit.

    Only requests with one of ``methods`` count; place it inside ``login_required``.
    """

    def decorate(
        view: Callable[Concatenate[Request, P], R],
    ) -> Callable[Concatenate[Request, P], R | HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: Request, /, *args: P.args, **kwargs: P.kwargs) -> R | HttpResponse:
            wait = retry_after(request, action) if request.method in methods else 0
            if not wait:
                return view(request, *args, **kwargs)
            text = message(action, wait)
            response: HttpResponse = (
                JsonResponse({"detail": text}, status=429)
                if api
                else HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
            )
            response["Retry-After"] = str(wait)
            return response

        return wrapper

    return decorate
