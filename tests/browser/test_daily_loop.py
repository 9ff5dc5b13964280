"""The daily loop on a 390 × 844 phone (issue 18): a new runner's day from Home through a
session to the next morning's check-in, a coach from sign-up to their athletes, an import
error that names no server path, and the safety questions on a page that fits a phone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from kneecap.db.training.models import MorningCheckin, SessionLog
from tests.browser.conftest import log_in
from tests.browser.test_guided_session import PASSWORD, play_through, runner
from tests.web.test_import import DATA

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_WIDTH = 390


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def fits_the_phone(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"


def the_clock_moves_on(monkeypatch: pytest.MonkeyPatch, days: int) -> date:
    """The app reads its day from ``timezone.localdate()`` (the live server runs in this
    process): from now on it is ``days`` later."""
    real = timezone.localdate

    def later(value: Any = None, tz: Any = None) -> date:
        return real(value, tz) if value is not None else real() + timedelta(days=days)

    monkeypatch.setattr(timezone, "localdate", later)
    return later()


def test_a_runner_s_day_home_session_done_then_the_morning_check_in(
    live_server: Any, page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Today,")).to_be_visible()
    fits_the_phone(page)
    start = page.get_by_role("button", name="Start guided session")
    expect(start).to_be_visible()
    expect(page.get_by_role("heading", name="Morning check-in")).to_have_count(0)

    # the planned session, with a fast clock, to its end
    page.goto(live_server.url + "/?speed=100")
    page.get_by_role("button", name="Start guided session").click()
    play_through(page)
    assert "Saved" in page.locator("#kc-status").text_content()
    assert SessionLog.objects.count() == 1

    # Home says it is done, with what was done, and offers nothing to start twice
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Done for today")).to_be_visible()
    expect(page.get_by_role("button", name="Start guided session")).to_have_count(0)
    fits_the_phone(page)

    # the next morning: the check-in comes first, then Home carries on
    tomorrow = the_clock_moves_on(monkeypatch, 1)
    page.goto(live_server.url + "/")
    checkin = page.get_by_role("heading", name="Morning check-in")
    expect(checkin).to_be_visible()
    first = page.evaluate(
        """() => { const h1 = document.querySelector('main h1');
        const after = [...document.querySelectorAll('main h2')].filter(
          h => h1.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING);
        return after.length ? after[0].textContent : null; }"""
    )
    assert first == "Morning check-in"  # the first thing under the day's title
    page.get_by_label("Knee pain this morning (0–10)").fill("1")
    page.get_by_label("Where is it?").select_option("muscle")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/"
    expect(page.get_by_role("heading", name="Morning check-in")).to_have_count(0)
    expect(page.get_by_role("heading", name="Today,")).to_contain_text(tomorrow.strftime("%B"))
    assert MorningCheckin.objects.get().date == tomorrow
    fits_the_phone(page)

    # History shows the check-in beside the session
    page.goto(live_server.url + "/history/")
    expect(page.get_by_text("morning check-in")).to_be_visible()
    fits_the_phone(page)

    # a session done without the timer: the form fits the phone too
    page.get_by_role("link", name="Log a session done without the timer").click()
    page.get_by_label("Split squat").check()
    page.get_by_label("Tibialis raise").check()
    page.get_by_role("button", name="Next: the sets").click()
    expect(page.get_by_role("group", name="Split squat")).to_be_visible()
    fits_the_phone(page)


def test_a_coach_signs_up_and_lands_on_their_athletes(
    live_server: Any, page: Any, settings: Any
) -> None:
    settings.SIGNUP_OPEN = True
    get_user_model().objects.create_user("owner", password=PASSWORD)  # the instance's owner
    page.goto(live_server.url + "/signup/")
    page.get_by_label("Username:").fill("cora")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    page.get_by_label("a coach or physio").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="My athletes")).to_be_visible()
    assert page.url.endswith("/coaching/athletes/")
    fits_the_phone(page)
    page.goto(live_server.url + "/")  # Home sends a coach to their athletes, not onboarding
    expect(page.get_by_role("heading", name="My athletes")).to_be_visible()


def test_an_import_error_names_no_server_path_and_fits_the_phone(
    live_server: Any, page: Any, settings: Any, tmp_path: Any
) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/runs/import/")
    broken = DATA / "fitparse__activity-unexpected-eof.fit"
    page.locator("input[type=file]").set_input_files(str(broken))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Files that could not be read")).to_be_visible(timeout=20_000)
    body = page.content()
    for place in (str(django_settings.DATA_DIR), str(tmp_path), "/uploads/"):
        assert place not in body
    fits_the_phone(page)


def test_the_safety_questions_fit_a_phone(live_server: Any, page: Any) -> None:
    get_user_model().objects.create_user("ada", password=PASSWORD)
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/onboarding/safety/")
    expect(page.get_by_text("None of these apply")).to_have_count(5)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2000, f"the safety page is {height} px long"
    fits_the_phone(page)
