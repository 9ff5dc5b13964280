from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

OWNER = {
    "username": "ada",
    "password1": "correct horse battery",
    "password2": "correct horse battery",
}


def test_it_sends_every_page_to_setup_while_there_is_no_account(client: Client) -> None:
    for url in ("/", "/login/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/setup/"


def test_it_shows_the_setup_form(client: Client) -> None:
    response = client.get("/setup/")
    assert response.status_code == 200
    assert b"Create the first account" in response.content


def test_it_creates_the_owner_and_logs_them_in(client: Client) -> None:
    response = client.post("/setup/", OWNER)
    assert response.status_code == 302
    owner = get_user_model().objects.get()
    assert owner.is_superuser and owner.is_staff
    assert client.get("/")["Location"] == "/onboarding/"
    assert client.get("/onboarding/").status_code == 200


def test_it_refuses_a_second_owner(client: Client) -> None:
    client.post("/setup/", OWNER)
    other = Client()
    response = other.post("/setup/", {**OWNER, "username": "mallory"})
    assert response.status_code == 302
    assert get_user_model().objects.count() == 1


def test_it_requires_csrf_on_setup() -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/setup/", OWNER).status_code == 403
    assert not get_user_model().objects.exists()


def test_it_reports_a_mismatched_password_without_saving(client: Client) -> None:
    response = client.post("/setup/", {**OWNER, "password2": "something else entirely"})
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_it_asks_for_login_once_an_account_exists(client: Client) -> None:
    get_user_model().objects.create_user("ada", password="correct horse battery")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_answers_the_health_check_without_an_account(client: Client) -> None:
    assert client.get("/healthz").content == b"ok"


def test_it_lets_the_owner_claim_an_account_made_by_the_terminal(client: Client) -> None:
    get_user_model().objects.create_user("runner", password=None)
    assert client.get("/")["Location"] == "/setup/"
    client.post("/setup/", OWNER)
    owner = get_user_model().objects.get()
    assert owner.username == "ada" and owner.has_usable_password() and owner.is_superuser
