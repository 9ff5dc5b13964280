"""The three personas of every access test: the runner, their linked coach, a stranger."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kneecap.db.accounts.models import CoachLink

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(db: Any) -> Any:
    """The runner who owns the data."""
    return get_user_model().objects.create_user("alice", "alice@example.org", PASSWORD)


@pytest.fixture
def bob(db: Any, alice: Any) -> Any:
    """Alice's coach, through an active link."""
    bob = get_user_model().objects.create_user("bob", "bob@example.org", PASSWORD)
    CoachLink.objects.create(
        athlete=alice, coach=bob, invited_by=alice, status=CoachLink.Status.ACTIVE
    )
    return bob


@pytest.fixture
def charlie(db: Any) -> Any:
    """A stranger with an account of their own."""
    return get_user_model().objects.create_user("charlie", "charlie@example.org", PASSWORD)


def client_for(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client
