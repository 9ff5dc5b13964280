"""Shared test configuration: a fast password hasher, a cache per test process, and where the
shared sample data lives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_data() -> Path:
    """The shared sample files next to the checkout; tests using them skip when absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is not present next to this checkout")
    return path


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache is a folder in the data dir, shared by the processes of a machine: the xdist
    workers, each with its own database, would share rate-limit counts and kept pages under
    the same user ids (a 429 on alice's first uploads when the other worker's alice had just
    used hers). Each worker gets a folder of its own (or, on Redis, a key prefix)."""
    folder = tmp_path_factory.mktemp("cache")
    cache = dict(settings.CACHES["default"])
    if cache["BACKEND"].endswith("FileBasedCache"):
        cache["LOCATION"] = str(folder)
    else:
        cache["KEY_PREFIX"] = f"{cache.get('KEY_PREFIX', '')}-{folder.name}"
    values = {"BACKEND": "kneecap.application.cache.ProcessValues", "LOCATION": folder.name}
    with override_settings(CACHES={"default": cache, "values": values}):
        yield


@pytest.fixture(autouse=True)
def _fresh_values() -> Iterator[None]:
    """Kept domain values are keyed by a random version per runner, so a test cannot read
    another's; they are dropped after each test all the same, to keep memory flat."""
    yield
    from django.core.cache import caches

    caches["values"].clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Django's PBKDF2 takes 0.6 s a password here: the three personas alone cost 1.8 s a
    test. The production hasher is what tests/test_cli_account.py checks, in a process of
    its own with the real settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
