"""Reminders through every door: the settings page and the API, the calendar feed, the email
sweep at a fixed clock (Django's locmem backend), the unsubscribe link and the command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from kneecap.application import plans, record, reminders
from kneecap.cli.reminders import reminders_app
from kneecap.core import log as core
from kneecap.core.reminders import SEND_WINDOW, Kind, ReminderError, Reminders
from kneecap.db.accounts.models import RunnerProfile, SentReminder
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
BASE = "https://kneecap.example.org"
PROFILE = {
    "runs": {"tue": {"kind": "quality", "minutes": 50}, "sun": {"kind": "long", "minutes": 100}},
    "equipment": ["wall", "rail"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 0,
    "screening": {},
}
EMAILS = Reminders(
    session_time=time(18, 0),
    lead_minutes=30,
    checkin_time=time(7, 30),
    session_email=True,
    checkin_email=True,
    time_zone="Europe/Berlin",
)


@pytest.fixture
def runner(alice: Any, settings: Any) -> Any:
    settings.BASE_URL = BASE
    RunnerProfile.objects.create(user=alice, data=PROFILE, onboarded_at=timezone.now())
    return alice


def session_day(user: Any) -> date:
    """A day with a session planned, as the plan of that day has it."""
    today = timezone.localdate()
    for day in (today + timedelta(days=n) for n in range(14)):
        plan = plans.plan_for(user, day, 1)
        if plan is not None and any(s.date == day for s in plan.sessions()):
            return day
    raise AssertionError("the profile plans no session in two weeks")


def at(day: date, hours: int, minutes: int) -> datetime:
    return datetime.combine(day, time(hours, minutes), tzinfo=BERLIN)


def unsubscribe_path(message: Any) -> str:
    found = re.search(rf"{re.escape(BASE)}(/reminders/off/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


# --- the email sweep -------------------------------------------------------------------


def test_a_due_session_reminder_is_sent_once_with_its_unsubscribe_link(runner: Any) -> None:
    reminders.save_settings(runner, EMAILS)
    day = session_day(runner)
    assert reminders.sweep(at(day, 17, 29)).sent == []  # 18:00 less 30 min is not yet
    swept = reminders.sweep(at(day, 17, 31))
    assert [(s.kind, s.day) for s in swept.sent] == [(Kind.SESSION, day)]
    (message,) = mail.outbox
    assert message.to == [runner.email]
    assert message.subject.startswith("Knee strength") and "18:00" in message.subject
    assert f"{BASE}/today/" in message.body
    off = f"{BASE}{unsubscribe_path(message)}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{off}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert reminders.sweep(at(day, 17, 45)).sent == []  # the second sweep finds it sent
    assert len(mail.outbox) == 1
    assert SentReminder.objects.filter(owner=runner, kind="session", date=day).count() == 1


def test_a_sweep_forgets_what_was_sent_more_than_a_week_ago(runner: Any) -> None:
    today = timezone.localdate()
    for ago in (0, reminders.SENT_KEPT_DAYS, reminders.SENT_KEPT_DAYS + 1, 400):
        SentReminder.objects.create(owner=runner, kind="session", date=today - timedelta(ago))
    reminders.sweep(at(today, 3, 0))
    kept = SentReminder.objects.order_by("-date").values_list("date", flat=True)
    assert list(kept) == [today, today - timedelta(reminders.SENT_KEPT_DAYS)]


def test_the_runners_time_zone_sets_the_clock(runner: Any) -> None:
    reminders.save_settings(runner, EMAILS)
    day = session_day(runner)
    # 17:31 in UTC is 18:31 in Berlin (or 19:31 in summer): the reminder was due in Berlin.
    utc = datetime.combine(day, time(17, 31), tzinfo=ZoneInfo("UTC"))
    assert [s.day for s in reminders.sweep(utc).sent] == [day]


def test_a_reminder_missed_for_longer_than_the_window_is_not_sent_late(runner: Any) -> None:
    reminders.save_settings(runner, EMAILS)
    day = session_day(runner)
    assert reminders.sweep(at(day, 17, 30) + SEND_WINDOW).sent == []
    assert mail.outbox == []


def test_a_switched_off_or_done_session_sends_nothing(runner: Any) -> None:
    day = session_day(runner)
    reminders.save_settings(runner, Reminders(session_email=False, checkin_email=True))
    assert reminders.sweep(at(day, 17, 35)).sent == []
    reminders.save_settings(runner, EMAILS)
    done = core.SessionLog(day, (core.ExerciseLog("split-squat", "bodyweight", ()),))
    record.record_session(runner, done, day)
    assert reminders.sweep(at(day, 17, 35)).sent == []
    assert mail.outbox == []


def test_the_check_in_reminder_comes_the_morning_after_a_session_until_answered(
    runner: Any,
) -> None:
    reminders.save_settings(runner, EMAILS)
    yesterday = timezone.localdate() - timedelta(days=2)
    today = yesterday + timedelta(days=1)
    session = core.SessionLog(yesterday, (core.ExerciseLog("split-squat", "bodyweight", ()),))
    record.record_session(runner, session, today)
    assert reminders.sweep(at(today, 7, 29)).sent == []
    assert [(s.kind, s.day) for s in reminders.sweep(at(today, 7, 30)).sent] == [
        (Kind.CHECKIN, today)
    ]
    (message,) = mail.outbox
    assert "check-in" in message.subject.lower() and "/today/" in message.body
    assert reminders.sweep(at(today, 8, 0)).sent == []
    # Answered the next morning before its time: no reminder that day.
    later = today + timedelta(days=1)
    record.record_session(runner, core.SessionLog(today, session.exercises), later)
    record.record_checkin(runner, core.Checkin(later, pain=1), later)
    assert reminders.sweep(at(later, 7, 35)).sent == []
    assert len(mail.outbox) == 1


def test_a_send_the_backend_refuses_is_tried_again_by_the_next_sweep(
    runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reminders.save_settings(runner, EMAILS)
    day = session_day(runner)
    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    swept = reminders.sweep(at(day, 17, 35))
    assert swept.sent == [] and [s.day for s in swept.failed] == [day]
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert [s.day for s in reminders.sweep(at(day, 17, 40)).sent] == [day]


def test_without_the_instances_address_a_due_reminder_is_refused_clearly(
    runner: Any, settings: Any
) -> None:
    settings.BASE_URL = ""
    reminders.save_settings(runner, EMAILS)
    with pytest.raises(ReminderError, match="KNEECAP_BASE_URL"):
        reminders.sweep(at(session_day(runner), 17, 35))
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_the_command_sends_one_sweep(runner: Any) -> None:
    reminders.save_settings(runner, EMAILS)
    day = session_day(runner)
    cli = CliRunner()
    first = cli.invoke(reminders_app, ["send", "--at", at(day, 17, 35).isoformat()])
    assert first.exit_code == 0, first.output
    assert f"sent the session reminder of {day} to alice" in first.output
    again = cli.invoke(reminders_app, ["send", "--at", at(day, 17, 36).isoformat()])
    assert again.exit_code == 0 and "no reminder due" in again.output
    assert len(mail.outbox) == 1
    naive = cli.invoke(reminders_app, ["send", "--at", "2026-03-03T17:30"])
    assert naive.exit_code != 0


def test_the_command_fails_when_the_backend_refuses_and_the_next_run_sends(
    runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reminders.save_settings(runner, EMAILS)
    when = at(session_day(runner), 17, 35).isoformat()
    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    refused = CliRunner().invoke(reminders_app, ["send", "--at", when])
    assert refused.exit_code == 1 and "could not send the session reminder" in refused.output
    monkeypatch.undo()
    assert (
        "sent the session reminder"
        in CliRunner().invoke(reminders_app, ["send", "--at", when]).output
    )


def refuse(*args: Any, **kwargs: Any) -> int:
    raise OSError("the mail server is down")


# --- the unsubscribe link --------------------------------------------------------------


def sent_link(runner: Any) -> str:
    reminders.save_settings(runner, EMAILS)
    reminders.sweep(at(session_day(runner), 17, 35))
    return unsubscribe_path(mail.outbox[-1])


def test_the_link_works_logged_out_and_stops_only_its_own_kind(runner: Any) -> None:
    path = sent_link(runner)
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200 and b"Stop session reminders by email" in page.content
    assert reminders.settings_of(runner) == EMAILS  # a GET changes nothing
    done = anonymous.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert done.status_code == 200 and b"no more session reminders" in done.content
    after = reminders.settings_of(runner)
    assert not after.session_email
    assert after.checkin_email and after.session_alarm and after.checkin_event


def test_a_mail_clients_one_click_post_unsubscribes(runner: Any) -> None:
    path = sent_link(runner)
    one_click = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200
    assert not reminders.settings_of(runner).session_email


def test_the_check_in_link_stops_the_check_in_email_only(runner: Any) -> None:
    reminders.save_settings(runner, EMAILS)
    token = reminders.unsubscribe_token(runner, Kind.CHECKIN)
    assert Client().post(f"/reminders/off/{token}/").status_code == 200
    after = reminders.settings_of(runner)
    assert after.session_email and not after.checkin_email


@pytest.mark.parametrize(
    ("payload", "salt"),
    [
        (None, ""),
        ([1, "session"], "another purpose"),
        ([1, "sms"], reminders.UNSUBSCRIBE_SALT),
        ("1", reminders.UNSUBSCRIBE_SALT),
    ],
    ids=["not-signed", "other-salt", "unknown-kind", "not-a-pair"],
)
def test_a_bad_link_is_400_with_a_clear_page_and_changes_nothing(
    runner: Any, payload: Any, salt: str
) -> None:
    # Signed here, not at collection: test processes may not share the secret key yet then.
    token = "not-a-token" if payload is None else signing.dumps(payload, salt=salt)
    reminders.save_settings(runner, EMAILS)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/reminders/off/{token}/")
        assert response.status_code == 400
        assert b"This link does not work" in response.content
    assert reminders.settings_of(runner) == EMAILS


def test_a_tampered_link_is_refused(runner: Any) -> None:
    path = sent_link(runner)
    token = path.split("/")[-2]
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert Client().post(f"/reminders/off/{forged}/").status_code == 400
    assert reminders.settings_of(runner).session_email


def test_the_link_of_a_deleted_account_says_so(runner: Any, charlie: Any) -> None:
    """(charlie keeps the instance past its first-run page.)"""
    token = reminders.unsubscribe_token(runner, Kind.SESSION)
    runner.delete()
    response = Client().get(f"/reminders/off/{token}/")
    assert response.status_code == 400 and b"no longer exists" in response.content


# --- settings: the page and the API ------------------------------------------------------


def test_the_settings_page_shows_the_defaults_calendar_on_email_off(runner: Any) -> None:
    page = client_for(runner).get("/settings/")
    form = page.context["reminders_form"]
    assert form["session_alarm"].value() and form["checkin_event"].value()
    assert not form["session_email"].value() and not form["checkin_email"].value()
    assert b'type="time"' in page.content and b"KNEECAP_BASE_URL" not in page.content


def test_the_settings_page_saves_and_names_a_bad_field(runner: Any) -> None:
    client = client_for(runner)
    form = {
        "session_time": "06:45",
        "lead_minutes": "20",
        "checkin_time": "07:00",
        "session_alarm": "on",
        "session_email": "on",
        "email": "alice@example.org",
        "time_zone": "Europe/Berlin",
    }
    assert client.post("/settings/reminders/", form).status_code == 302
    assert reminders.settings_of(runner) == Reminders(
        time(6, 45), 20, time(7, 0), True, False, True, False, "Europe/Berlin"
    )
    bad = client.post("/settings/reminders/", {**form, "time_zone": "Mars/Olympus"})
    assert bad.status_code == 400
    assert "time_zone" in bad.context["reminders_form"].errors
    no_address = client.post("/settings/reminders/", {**form, "email": ""})
    assert "email" in no_address.context["reminders_form"].errors
    assert reminders.settings_of(runner).time_zone == "Europe/Berlin"


def test_the_api_reads_and_replaces_the_settings(runner: Any) -> None:
    client = client_for(runner)
    assert client.get("/api/profile/reminders").json() == Reminders().as_dict()
    body = {**EMAILS.as_dict(), "lead_minutes": 45}
    put = client.put("/api/profile/reminders", json.dumps(body), content_type="application/json")
    assert put.status_code == 200 and put.json() == body
    assert reminders.settings_of(runner).lead_minutes == 45


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sms": True}, "sms"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"session_time": "24:30"}, "session_time"),
        ({"lead_minutes": 9999}, "lead_minutes"),
    ],
)
def test_the_api_refuses_bad_settings_naming_the_field(
    runner: Any, body: dict[str, Any], field: str
) -> None:
    response = client_for(runner).put(
        "/api/profile/reminders", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422 and field in response.json()["detail"]


def test_email_reminders_need_an_address(runner: Any) -> None:
    type(runner).objects.filter(pk=runner.pk).update(email="")
    response = client_for(runner).put(
        "/api/profile/reminders",
        json.dumps({"checkin_email": True}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "email" in response.json()["detail"]


# --- the calendar feed ---------------------------------------------------------------------


def test_the_feed_follows_the_settings(runner: Any) -> None:
    client = client_for(runner)
    client.post("/settings/calendar/")
    url = client.get("/settings/").context["calendar_url"].replace("http://testserver", "")

    def feed() -> list[Any]:
        cal = icalendar.Calendar.from_ical(Client().get(url).content)
        cal.validate()
        return list(cal.walk("VEVENT"))

    events = feed()
    checkins = [e for e in events if str(e["summary"]) == "Knee check-in"]
    sessions = [e for e in events if e not in checkins]
    assert checkins and sessions
    assert all(
        s.walk("VALARM")[0].decoded("trigger") == timedelta(hours=17, minutes=30) for s in sessions
    )
    reminders.save_settings(runner, Reminders(session_alarm=False, checkin_event=False))
    assert all(not e.walk("VALARM") for e in feed())
    assert not [e for e in feed() if str(e["summary"]) == "Knee check-in"]


# --- in the worker ---------------------------------------------------------------------------


def test_the_worker_sweeps_on_a_thread_until_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    swept = threading.Event()

    def sweep(now: datetime | None = None) -> reminders.Swept:
        swept.set()
        return reminders.Swept([], [])

    monkeypatch.setattr(reminders, "sweep", sweep)
    with reminders.in_background(0) as thread:
        assert thread is None  # 0: the worker leaves reminders to cron
    with reminders.in_background(0.01) as thread:
        assert thread is not None and swept.wait(5)
    assert not thread.is_alive()


@pytest.mark.parametrize(
    ("name", "value"),
    [("KNEECAP_REMINDER_SWEEP_S", "5000"), ("KNEECAP_BASE_URL", "kneecap.example.org")],
)
def test_a_bad_reminder_setting_stops_the_start_naming_it(
    name: str, value: str, tmp_path: Path
) -> None:
    env = {**os.environ, "KNEECAP_DATA_DIR": str(tmp_path), name: value}
    done = subprocess.run(
        [sys.executable, "-c", "import kneecap.web.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and name in done.stderr
