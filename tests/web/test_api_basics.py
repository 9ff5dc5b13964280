from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kneecap.db.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> object:
    return get_user_model().objects.create_user("alice", password="correct horse battery")


def test_it_serves_the_openapi_document(client: Client, alice: object) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "kneecap API"


def test_it_answers_401_as_json_without_credentials(client: Client, alice: object) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert "authentication required" in response.json()["detail"]


def test_it_accepts_a_personal_access_token(client: Client, alice: object) -> None:
    _, token = ApiToken.issue(alice, "laptop")
    response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert not ApiToken.objects.filter(token_hash=token).exists()  # stored hashed


def test_it_refuses_a_wrong_token(client: Client, alice: object) -> None:
    response = client.get("/api/me", headers={"Authorization": "Bearer kc_nope"})
    assert response.status_code == 401


def test_it_accepts_the_browser_session(client: Client, alice: object) -> None:
    client.force_login(alice)
    assert client.get("/api/me").json()["username"] == "alice"


def test_it_serves_the_api_docs_from_local_files(client: Client, alice: object) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content
    assert b"cdn." not in response.content


def test_no_two_api_schemas_share_a_name() -> None:
    """ninja files schemas by class name: two ``FooOut`` classes would overwrite each other."""
    from ninja import Schema

    from kneecap.web.api.api import api

    api.get_openapi_schema()
    seen: dict[str, str] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("kneecap.web.api"):
            other = seen.setdefault(cls.__name__, cls.__module__)
            assert other == cls.__module__, f"{cls.__name__} in {other} and {cls.__module__}"


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
