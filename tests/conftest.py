"""Shared test configuration: a fast password hasher, and where the shared sample data lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_data() -> Path:
    """The shared sample files next to the checkout; tests using them skip when absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is not present next to this checkout")
    return path


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Django's PBKDF2 takes 0.6 s a password here: the three personas alone cost 1.8 s a
    test. The production hasher is what tests/test_cli_account.py checks, in a process of
    its own with the real settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
