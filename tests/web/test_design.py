"""The design system's page and the CSS and JavaScript budget of docs/design.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import client_for

STATIC = Path(__file__).resolve().parents[2] / "src" / "kneecap" / "web" / "static" / "kneecap"
EVERY_PAGE = ("app.css", "app.js", "htmx.min.js")
BUDGET = 100_000  # bytes of CSS and JavaScript on any page (Today adds the session guide)

pytestmark = pytest.mark.django_db


def test_the_design_page_shows_every_component(alice: Any) -> None:
    page = client_for(alice).get("/design/").content.decode()
    for part in ("--accent", "card alert", "badge", "button", "<select", "week-strip",
                 "ladder-path", "<svg", "<details"):  # fmt: skip
        assert part in page


def test_css_and_javascript_stay_within_the_budget() -> None:
    every = sum((STATIC / name).stat().st_size for name in EVERY_PAGE)
    assert every + (STATIC / "session-guide.js").stat().st_size <= BUDGET
    assert (STATIC / "app.css").stat().st_size <= 25_000
