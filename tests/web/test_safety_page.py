"""The safety questions as yes/no questions grouped for a phone (issue 18.7): only the
presentation changed; core.screening decides what each answer means."""

from __future__ import annotations

from typing import Any

import pytest

from kneecap.core.screening import QUESTIONS
from kneecap.db.accounts.models import RunnerProfile
from tests.web.conftest import client_for
from tests.web.test_onboarding_and_plan import onboard

pytestmark = pytest.mark.django_db


def test_every_question_is_asked_once_in_groups_each_with_none_of_these(alice: Any) -> None:
    page = client_for(alice).get("/onboarding/safety/").content.decode()
    for title in ("Right now", "A recent knee injury", "About you"):
        assert f"<legend>{title}</legend>" in page
    assert page.count("None of these apply") == 5
    for q in QUESTIONS:
        assert page.count(f'name="{q.id}"') == 1, q.id
    injury = page.split("A recent knee injury")[1].split("</fieldset>")[0]
    assert "55 or older" not in injury and "55 or older" in page.split("About you")[1]
    assert "Tick every statement" not in page


def test_none_of_these_and_a_yes_in_the_same_group_is_refused(alice: Any) -> None:
    client = client_for(alice)
    page = onboard(client, none_now=True, urgent_locked=True).content.decode()
    assert "Right now: you ticked" in page
    assert not RunnerProfile.objects.filter(user=alice, onboarded_at__isnull=False).exists()


def test_the_answers_stored_are_the_screening_s_as_before(alice: Any) -> None:
    client = client_for(alice)
    response = onboard(
        client, none_now=True, none_injury=True, soon_swelling_left=True, acute_age_55=True
    )
    assert response.status_code == 302
    screening = RunnerProfile.objects.get(user=alice).data["screening"]
    assert set(screening) == {q.id for q in QUESTIONS}
    assert {k for k, v in screening.items() if v} == {"soon_swelling_left", "acute_age_55"}
