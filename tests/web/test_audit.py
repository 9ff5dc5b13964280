"""The audit log keeps sign-ins, lockouts and denied requests, and never secrets or notes."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from kneecap.db.accounts.models import ApiToken
from kneecap.web import audit
from tests.web.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db
NOTE = "left knee aches on the stairs"
TOKEN = "kc_not-a-real-token-0123456789"


@pytest.fixture
def lines(caplog: Any) -> Any:
    """The audit records of the test as (event, fields) pairs; ``force_login`` sign-ins (no
    request, so no address) are the test's own doing and left out."""
    caplog.set_level(logging.INFO, logger="kneecap.audit")

    def read() -> list[tuple[str, dict[str, Any]]]:
        found = [r.audit for r in caplog.records if r.name == "kneecap.audit"]
        return [(f["event"], f) for f in found if f["client"] != "-"]

    return read


def everything(caplog: Any) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name == "kneecap.audit")


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def test_a_sign_in_and_a_sign_out_are_logged_with_id_time_and_address(
    alice: Any, lines: Any, caplog: Any
) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.post("/logout/")
    (login, fields), (logout, _) = lines()
    assert (login, logout) == ("login", "logout")
    assert fields["user"] == alice.pk and fields["client"] == "203.0.113.7"
    assert fields["at"].endswith("Z") and fields["at"][:4].isdigit()
    assert "alice" not in everything(caplog) and PASSWORD not in everything(caplog)


def test_a_failed_sign_in_names_the_account_by_id_and_a_hash_never_by_text(
    alice: Any, lines: Any, caplog: Any
) -> None:
    log_in(Client(), "alice", "wrong password")
    log_in(Client(), PASSWORD, "oops, typed in the wrong box")
    (first, known), (_, unknown) = lines()
    assert first == "login-failed"
    assert known["user"] == alice.pk and known["name"] == audit.name_hash("Alice ")
    assert unknown["user"] == "-" and unknown["name"] != known["name"]
    text = everything(caplog)
    assert "alice" not in text and PASSWORD not in text and "wrong" not in text


def test_a_lockout_is_logged(alice: Any, lines: Any, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        log_in(Client(REMOTE_ADDR="198.51.100.9"), "alice", "nope")
    events = [event for event, _ in lines()]
    assert "lockout" in events
    lockout = dict(lines())["lockout"]
    assert lockout["user"] == alice.pk and lockout["client"] == "198.51.100.9"


def test_asking_for_another_runners_data_is_logged_as_denied(
    alice: Any, bob: Any, charlie: Any, lines: Any
) -> None:
    assert client_for(bob).get(f"/runs/?athlete={alice.pk}").status_code == 200
    assert client_for(charlie).get(f"/runs/?athlete={alice.pk}").status_code == 404
    assert client_for(charlie).get(f"/api/runs?athlete={alice.pk}").status_code == 404
    denied = [fields for event, fields in lines() if event == "denied"]
    assert [(d["user"], d["status"], d["route"]) for d in denied] == [
        (charlie.pk, 404, "runs/"),
        (charlie.pk, 404, "api/runs"),
    ]


def test_a_page_that_is_simply_missing_is_not_an_audit_event(charlie: Any, lines: Any) -> None:
    assert client_for(charlie).get("/runs/999999/").status_code == 404
    assert lines() == []


def test_refused_requests_log_no_body_token_or_note(
    alice: Any, charlie: Any, lines: Any, caplog: Any
) -> None:
    csrf = client_for(charlie, csrf=True)
    assert csrf.post("/checkin/", {"note": NOTE, "password": PASSWORD}).status_code == 403
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert Client().get("/api/runs", headers=headers).status_code == 401
    _, token = ApiToken.issue(alice, "watch")
    assert Client().get(f"/feeds/{token}x.ics").status_code == 404
    assert [(event, f["status"]) for event, f in lines()] == [("denied", 403), ("denied", 401)]
    text = everything(caplog)
    assert all(secret not in text for secret in (NOTE, PASSWORD, TOKEN, token, "Bearer"))


def test_a_feed_token_in_any_log_line_is_blanked() -> None:
    line = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/feeds/{TOKEN}.ics",),
        None,
    )
    assert audit.HideTokens().filter(line)
    assert line.getMessage() == "Not Found: /feeds/….ics"
