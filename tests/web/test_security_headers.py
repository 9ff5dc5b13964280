from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(alice: Any) -> None:
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_when_served_over_https(alice: Any, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_uses_inline_script() -> None:
    from pathlib import Path

    import kneecap.web

    root = Path(kneecap.web.__file__).parent / "templates"
    for path in root.rglob("*.html"):
        text = path.read_text()
        assert " onsubmit=" not in text and " onclick=" not in text, path
        assert "<script>" not in text, path


@pytest.mark.parametrize(
    "path",
    [
        "/static/kneecap/app.css",
        "/static/kneecap/htmx.min.js",
        "/static/kneecap/exercises/stairs.svg",
    ],
)
def test_static_files_are_served_without_collectstatic(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
