"""The design system's page, the navigation, and the CSS and JavaScript budget of
docs/design.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kneecap.db.accounts.models import RunnerProfile
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


def _primary(page: str) -> list[str]:
    """The names of the navigation's primary destinations (outside More)."""
    nav = page[page.index('<nav class="main"') : page.index('<details class="more">')]
    return re.findall(r"</svg>([^<]+)</a>", nav)


def test_the_navigation_has_five_destinations_and_names_the_role(alice: Any, bob: Any) -> None:
    runner = client_for(alice).get("/design/").content.decode()
    assert _primary(runner) == ["Today", "Plan", "History", "Progress"]  # and More
    assert '<span class="role">runner</span>' in runner
    coach = client_for(bob).get("/design/").content.decode()
    assert _primary(coach) == ["Athletes", "Exercises"]
    assert '<span class="role">coach</span>' in coach
    RunnerProfile.objects.create(user=bob, data={})
    both = client_for(bob).get("/design/").content.decode()
    assert _primary(both) == ["Today", "Plan", "Progress", "Athletes"]
    assert "runner and coach" in both
