"""One cache: a runner's domain values (report, load summary, plan, log, catalog) kept under
their version.

``RunnerProfile.version`` is a random stamp that every write of the application layer moves
in the write's own transaction (``changed``). A value is kept under (kind, runner, day,
version), so it is never stale in any process: a write changes the key, and nothing has to
be invalidated. Values are core's frozen dataclasses, never rendered pages. The values live in
the ``values`` cache (``settings.CACHES``): this process's memory by default, Redis when
several machines share one (docs/scale-out.md).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User

if TYPE_CHECKING:
    from collections import OrderedDict
    from threading import Lock

T = TypeVar("T")
KEEP_S = 24 * 3600  # a day's key is useless the next day
# What a key may hold as it is; anything else (a filter typed in a query string: spaces,
# control characters, any length) goes in as a digest, which every cache backend accepts.
_PLAIN_KIND = re.compile(r"[\w:.,=-]{1,160}", re.ASCII)
_MISSING = object()  # a kept value may be None


def changed(owner_id: int | None, *, before_today: bool = True) -> None:
    """Move the runner's version: call it inside the transaction of every write to what the
    kept values are computed from (log, check-ins, pins, runs, custom exercises, profile).

    ``before_today=False`` for a write that only adds a session dated today or later: the
    progression report, computed as of today from the sessions before it, keeps its value
    (``kept(..., version=profile.base_version)``), so a day's saves cost no replay."""
    if owner_id is None:
        return
    stamps = {"version": secrets.randbits(62)}
    if before_today:
        stamps["base_version"] = secrets.randbits(62)
    RunnerProfile.objects.filter(user_id=owner_id).update(**stamps)


def version_of(owner: User) -> int | None:
    """The runner's version, or None when they have no profile yet (nothing is kept)."""
    found = RunnerProfile.objects.filter(user_id=owner.pk).values_list("version", flat=True)
    return next(iter(found), None)


def kept_base(owner: User, kind: str, day: date, compute: Callable[[], T]) -> T:
    """``kept`` under the base version: for a value that no session dated today changes
    (its writes all move the base version: answers, safety events, custom exercises)."""
    found = RunnerProfile.objects.filter(user_id=owner.pk).values_list("base_version", flat=True)
    base = next(iter(found), None)
    return compute() if base is None else kept(owner, kind, day, compute, version=base)


def kept(
    owner: User, kind: str, day: date, compute: Callable[[], T], *, version: int | None = None
) -> T:
    """``compute()`` once per runner, day and version; ``kind`` names everything else the
    value depends on. ``version``: the one the caller just read with the profile row."""
    if version is None:
        version = version_of(owner)
    if version is None:
        return compute()
    if not _PLAIN_KIND.fullmatch(kind):
        kind = "h-" + hashlib.blake2b(kind.encode(), digest_size=16).hexdigest()
    key = f"kneecap:{kind}:{owner.pk}:{day.isoformat()}:{version}"
    store = caches["values"]
    found = store.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        store.set(key, found, KEEP_S)
    return cast(T, found)


class ProcessValues(LocMemCache):
    """The ``values`` cache on one machine: this process's memory, without pickling.

    Kept values are immutable (core's frozen dataclasses), so a get can hand out the object
    itself; Django's LocMemCache pickles every value in and out. A version-keyed value needs
    no sharing between processes to stay right: each process computes it at most once.
    """

    if TYPE_CHECKING:  # LocMemCache's internals, which django-stubs leaves out
        _cache: OrderedDict[str, Any]
        _lock: Lock

        def _has_expired(self, key: str) -> bool: ...
        def _delete(self, key: str) -> bool: ...
        def _set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT) -> None: ...

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            self._cache.move_to_end(key, last=False)
            return self._cache[key]

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)
