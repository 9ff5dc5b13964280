"""A whole guided session in Debian's chromium with a fast clock, through a network drop."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.training.models import ExerciseLog, SessionLog, SetLog
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


def runner() -> Any:
    """A runner whose only run of the week is a quality run today: strength goes after it."""
    from django.utils import timezone

    from kneecap.core.profile import WEEKDAYS

    today = WEEKDAYS[timezone.localdate().weekday()]
    user = get_user_model().objects.create_user("ada", password=PASSWORD)
    RunnerProfile.objects.create(
        user=user,
        onboarded_at=timezone.now(),
        data={
            "runs": {today: {"kind": "quality", "minutes": 45}},
            "equipment": ["wall", "stairs", "heel-block", "rail"],
            "sessions_per_week": 2,
            "minutes_per_session": 30,
            "experience": "novice",
            "knee_pain_now": 0,
            "screening": {},
        },
    )
    return user


def play_through(page: Any, *, drop_network_after: int | None = None) -> int:
    """Answer every form the guide shows until it says the session is saved somewhere."""
    forms_answered, deadline = 0, time.monotonic() + 90
    while time.monotonic() < deadline:
        if page.locator("#kc-next[data-action=done]").is_visible():
            page.locator("#kc-next").click()  # a stopwatch: "Done"
        elif page.locator("#kc-entry").is_visible():
            page.locator("#kc-entry button").click()
        elif page.locator("#kc-exercise-form").is_visible():
            page.locator("label[for=kc-pain-during-1]").click()
            page.fill("#kc-rpe", "5")
            page.locator("#kc-exercise-form button").click()
            forms_answered += 1
            if forms_answered == drop_network_after:
                page.context.set_offline(True)
        elif page.locator("#kc-finish-form").is_visible():
            page.locator("label[for=kc-pain-after-2]").click()
            page.locator("#kc-finish-form button").click()
            page.locator("#kc-status").filter(has_text="a").wait_for()
            return forms_answered
        page.wait_for_timeout(50)
    label = page.locator("#kc-label").text_content()
    detail = page.locator("#kc-detail").text_content()
    big = page.locator("#kc-big").text_content()
    raise AssertionError(f"the guided session did not finish in time: {label!r} {big!r} {detail!r}")


def test_one_exercise_on_demand_with_reps_and_holds(live_server: Any, page: Any) -> None:
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/?exercise=tibialis-raise&speed=100")
    page.get_by_role("button", name="Start guided session").click()
    assert page.locator("#kc-label").text_content()
    play_through(page)
    assert "Saved" in page.locator("#kc-status").text_content()
    entry = ExerciseLog.objects.get()
    sets = list(entry.sets.order_by("position"))
    reps = {s.reps for s in sets}
    assert len(reps) == 1 and 0 < reps.pop() <= 10 and all(s.hold_s == 3 for s in sets)
    assert entry.pain_during == 1 and entry.session.pain_after == 2


def test_a_planned_session_survives_a_network_drop_and_is_saved_once(
    live_server: Any, page: Any
) -> None:
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/?speed=100")
    if page.get_by_role("button", name="Start guided session").count() == 0:
        pytest.skip("no session planned today for this profile")
    page.get_by_role("button", name="Start guided session").click()
    answered = play_through(page, drop_network_after=1)
    assert "when the connection is back" in page.locator("#kc-status").text_content()
    assert not SessionLog.objects.exists()

    page.context.set_offline(False)
    page.locator("#kc-status").filter(has_text="Saved").wait_for()
    page.reload()  # the outbox is empty now: nothing is sent twice
    page.wait_for_timeout(300)
    session = SessionLog.objects.get()
    assert session.exercises.count() == answered
    assert SetLog.objects.filter(exercise__session=session).count() >= answered


SPEECH_SPY = """
window.__said = [];
if ("speechSynthesis" in window) {
  speechSynthesis.speak = (u) => window.__said.push(u.text);
}
"""


def test_the_player_speaks_ends_a_set_early_and_stops_on_pain(live_server: Any, page: Any) -> None:
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.add_init_script(SPEECH_SPY)
    page.goto(live_server.url + "/today/?exercise=tibialis-raise&speed=2")
    mute = page.locator("#kc-mute")
    assert mute.get_attribute("aria-pressed") == "false"  # the voice is on by default
    mute.click()
    page.reload()
    assert page.locator("#kc-mute").text_content() == "Voice off"  # remembered
    page.locator("#kc-mute").click()

    planned = page.evaluate(
        "JSON.parse(document.getElementById('kc-script').textContent).items[0].prescription.reps"
    )
    page.get_by_role("button", name="Start guided session").click()
    page.get_by_role("button", name="I'm ready").click()
    page.locator("#kc-label", has_text="Rep 2").wait_for()
    said = page.evaluate("window.__said")
    assert any(s.startswith("set 1 of ") and s.endswith(" reps") for s in said), said
    page.get_by_role("button", name="End this set here").click()  # fewer reps than planned
    page.locator("#kc-label", has_text="Rest").wait_for()
    assert any(
        s.startswith("rest ") and s.endswith(" seconds") for s in page.evaluate("window.__said")
    )
    page.get_by_role("button", name="Skip rest").click()
    page.get_by_role("button", name="Knee pain 7 of 10").click()  # above the ceiling: stop

    page.locator("label[for=kc-pain-after-3]").click()
    page.get_by_role("button", name="Save the session").click()
    assert page.locator("#kc-end h2").text_content() == "Session complete"
    page.locator("#kc-status", has_text="Saved.").wait_for()
    entry = ExerciseLog.objects.get()
    first = entry.sets.order_by("position").first()
    assert entry.pain_during == 7 and entry.session.pain_after == 3
    assert first is not None and first.reps is not None and 1 <= first.reps < planned
    assert entry.sets.count() <= 2  # the second set stopped by pain, nothing after it


def test_a_skipped_exercise_is_not_logged(live_server: Any, page: Any) -> None:
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/?speed=100")
    if page.get_by_role("button", name="Start guided session").count() == 0:
        pytest.skip("no session planned today for this profile")
    slugs = page.evaluate(
        "JSON.parse(document.getElementById('kc-meta').textContent).items.map((i) => i.exercise)"
    )
    assert len(slugs) >= 2, "the planned session has one exercise: nothing to skip to"
    page.get_by_role("button", name="Start guided session").click()
    page.get_by_role("button", name="Skip exercise").click()
    assert "skipped" in page.locator("#kc-status").text_content()
    play_through(page)
    page.locator("#kc-status").filter(has_text="Saved.").wait_for()
    logged = set(ExerciseLog.objects.values_list("exercise", flat=True))
    assert slugs[0] not in logged and logged <= set(slugs[1:]) and logged
