"""Schemathesis against /api/openapi.json: no 5xx, and responses as the document says.

Runs in-process through the WSGI application (same database transaction as the test),
authenticated as alice with a personal token, in a world where she owns one of everything.
Bounded: at most 15 generated examples per operation, no database-dependent health checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

schemathesis = pytest.importorskip(
    "schemathesis",
    minversion="4.0",
    reason=(
        "schemathesis (>= 4) is not installed: add it to pyproject's dev dependencies and "
        "requirements.lock, then `make install`, to fuzz the API"
    ),
)

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

from tests.web import ownership as own  # noqa: E402

pytestmark = pytest.mark.django_db
# Undocumented error statuses (401/404/422…) are the API's contract too, checked by the
# ownership tests; here a response must simply not be a 5xx and match what is documented.
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = 15  # per operation: bounded, the whole test well under a minute


@contextmanager
def requests_keep_the_connection() -> Iterator[None]:
    """As Django's test client does: a request must not close the test's transaction.

    PostgreSQL would lose it; SQLite's in-memory test database survives either way.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def api_schema(db: Any) -> Any:
    from kneecap.web.wsgi import application

    with requests_keep_the_connection():
        return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def alice_token(alice: Any, bob: Any, charlie: Any) -> str:
    return own.build_world(alice, bob, charlie).tokens["alice"]


def test_no_operation_answers_5xx_or_breaks_its_documented_schema(
    api_schema: Any, alice_token: str
) -> None:
    """Each operation in turn (schemathesis's pytest plugin does not run on pytest 9)."""
    headers = {"Authorization": f"Bearer {alice_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    # Django's test client (which built the world) reconnects the hook after each request.
    with requests_keep_the_connection():
        for operation in operations:
            _check_operation(operation, headers)


def _check_operation(operation: Any, headers: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
