from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from kneecap.db.accounts.models import ApiToken
from tests.web.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db
NEW = {"username": "dora", "password1": PASSWORD, "password2": PASSWORD}


def test_it_lets_a_visitor_sign_up(alice: Any) -> None:
    client = Client()
    assert client.post("/signup/", NEW).status_code == 302
    assert get_user_model().objects.filter(username="dora", is_superuser=False).exists()


def test_it_closes_sign_up_when_the_admin_says_so(alice: Any, settings: Any) -> None:
    settings.SIGNUP_OPEN = False
    assert Client().post("/signup/", NEW).status_code == 404
    assert not get_user_model().objects.filter(username="dora").exists()


def test_it_shows_a_new_token_once_and_stores_it_hashed(alice: Any) -> None:
    client = client_for(alice)
    client.post("/settings/tokens/", {"name": "laptop"})
    first = client.get("/settings/").content.decode()
    token = first.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("kc_")
    assert token not in client.get("/settings/").content.decode()
    stored = ApiToken.objects.get(user=alice)
    assert stored.token_hash != token and len(stored.token_hash) == 64


def test_it_lets_only_the_owner_revoke_a_token(alice: Any, charlie: Any) -> None:
    token, _ = ApiToken.issue(alice, "laptop")
    assert client_for(charlie).post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert client_for(alice).post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_it_never_revokes_on_get(alice: Any) -> None:
    token, _ = ApiToken.issue(alice, "laptop")
    assert client_for(alice).get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_it_mails_a_password_reset_link(alice: Any) -> None:
    Client().post("/password/reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    assert "/password/reset/" in mail.outbox[0].body


def test_it_does_not_reveal_unknown_emails(alice: Any) -> None:
    response = Client().post("/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert len(mail.outbox) == 0


def _fail_login(client: Client, username: str) -> int:
    return client.post("/login/", {"username": username, "password": "wrong"}).status_code


def test_it_locks_logins_after_ten_failures_for_real_and_unknown_users(alice: Any) -> None:
    for address, username in (("10.0.0.1", "alice"), ("10.0.0.2", "ghost")):
        client = Client(REMOTE_ADDR=address)
        codes = [_fail_login(client, username) for _ in range(10)]
        assert codes == [200] * 9 + [429]
        locked = client.post("/login/", {"username": username, "password": PASSWORD})
        assert locked.status_code == 429
