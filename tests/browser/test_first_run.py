from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kneecap.db.accounts.models import RunnerProfile

pytestmark = pytest.mark.django_db(transaction=True)


def create_account(page: Any, url: str, button: str) -> None:
    page.get_by_label("Username:").fill("ada")
    page.get_by_label("Password:", exact=True).fill("correct horse battery")
    page.get_by_label("Password confirmation:").fill("correct horse battery")
    page.get_by_role("button", name=button).click()


def onboard(page: Any) -> None:
    assert page.get_by_role("heading", name="Your running week").is_visible()
    page.get_by_label("Sunday run").select_option("long")
    page.get_by_label("Sunday minutes").fill("100")
    page.get_by_label("Tuesday run").select_option("quality")
    page.get_by_label("Tuesday minutes").fill("50")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("wall").check()
    page.get_by_label("rail").check()
    page.get_by_role("button", name="Next").click()
    assert page.get_by_role("heading", name="Safety questions").is_visible()
    page.get_by_role("button", name="Finish").click()


def test_first_run_creates_the_owner_then_onboards_to_a_plan(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.url.endswith("/setup/")
    assert page.get_by_role("heading", name="Welcome to kneecap").is_visible()
    create_account(page, live_server.url, "Create my account")
    onboard(page)

    page.wait_for_url(live_server.url + "/plan/")
    assert page.get_by_role("heading", name="Your plan").is_visible()
    assert page.locator("article.session").count() >= 4  # four weeks shown
    assert page.locator(".week-strip").first.is_visible()  # the week at a glance first
    page.get_by_text("Why this session").first.click()  # the reasons behind a disclosure
    assert page.locator("details.why li").first.is_visible()
    owner = get_user_model().objects.get()
    assert owner.username == "ada" and owner.is_superuser
    assert RunnerProfile.objects.get(user=owner).data["runs"]["sun"]["kind"] == "long"


def test_a_visitor_signs_up_and_is_onboarded(live_server: Any, page: Any) -> None:
    get_user_model().objects.create_user("owner", password="x-long-password-1")
    page.goto(live_server.url + "/signup/")
    create_account(page, live_server.url, "Sign up")
    onboard(page)
    page.wait_for_url(live_server.url + "/plan/")
    assert page.locator("article.session").count() >= 1
