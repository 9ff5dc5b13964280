from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from kneecap.application.access import athlete_for
from kneecap.db.accounts.models import CoachLink
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_runner_invites_a_coach_who_accepts_then_the_runner_revokes(
    alice: Any, charlie: Any
) -> None:
    client_for(alice).post(
        "/coaching/", {"username": "charlie", "direction": "coach-me", "role": "physio"}
    )
    link = CoachLink.objects.get()
    assert (link.athlete, link.coach, link.status, link.role) == (
        alice,
        charlie,
        "pending",
        "physio",
    )
    with pytest.raises(Http404):
        athlete_for(charlie, alice.pk)

    assert client_for(alice).post(f"/coaching/{link.pk}/accept/").status_code == 404  # inviter
    assert client_for(charlie).post(f"/coaching/{link.pk}/accept/").status_code == 302
    assert athlete_for(charlie, alice.pk) == alice

    assert client_for(alice).post(f"/coaching/{link.pk}/revoke/").status_code == 302
    link.refresh_from_db()
    assert link.status == "revoked"
    with pytest.raises(Http404):
        athlete_for(charlie, alice.pk)


def test_a_stranger_cannot_touch_a_link(alice: Any, bob: Any, charlie: Any) -> None:
    link = CoachLink.objects.get(coach=bob)
    for action in ("accept", "revoke"):
        assert client_for(charlie).post(f"/coaching/{link.pk}/{action}/").status_code == 404
    link.refresh_from_db()
    assert link.status == "active"


def test_an_invitation_to_an_unknown_account_says_the_same(alice: Any) -> None:
    response = client_for(alice).post(
        "/coaching/", {"username": "nobody", "direction": "coach-me", "role": "coach"}, follow=True
    )
    assert b"If that account exists" in response.content
    assert not CoachLink.objects.exists()


def test_a_coach_can_invite_an_athlete(alice: Any, charlie: Any) -> None:
    client_for(charlie).post(
        "/coaching/", {"username": "alice", "direction": "i-coach", "role": "coach"}
    )
    link = CoachLink.objects.get()
    assert (link.athlete, link.coach) == (alice, charlie)
    client_for(alice).post(f"/coaching/{link.pk}/accept/")
    assert athlete_for(charlie, alice.pk) == alice


def test_inviting_twice_keeps_one_link(alice: Any, charlie: Any) -> None:
    for _ in range(2):
        client_for(alice).post(
            "/coaching/", {"username": "charlie", "direction": "coach-me", "role": "coach"}
        )
    assert CoachLink.objects.count() == 1
