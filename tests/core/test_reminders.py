"""Reminder settings: their JSON shape, their bounds, and when each reminder falls due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kneecap.core.reminders import (
    SEND_WINDOW,
    Kind,
    ReminderError,
    Reminders,
    due_days,
    parse_reminders,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_the_defaults_are_calendar_on_and_email_off() -> None:
    found = parse_reminders({})
    assert found == Reminders()
    assert found.session_alarm and found.checkin_event
    assert not found.session_email and not found.checkin_email


def test_the_json_shape_reads_back_equal() -> None:
    mine = Reminders(time(6, 5), 90, time(7, 0), False, True, True, False, "Europe/Berlin")
    assert mine.as_dict()["session_time"] == "06:05"
    assert parse_reminders(mine.as_dict()) == mine


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"session_time": "25:00"}, "session_time"),
        ({"checkin_time": "seven"}, "checkin_time"),
        ({"lead_minutes": -5}, "lead_minutes"),
        ({"lead_minutes": 721}, "lead_minutes"),
        ({"lead_minutes": True}, "lead_minutes"),
        ({"session_email": "yes"}, "session_email"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"sms": True}, "sms"),
    ],
)
def test_bad_values_are_refused_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ReminderError, match=field):
        parse_reminders(data)


def test_a_session_reminder_is_due_from_its_time_for_the_send_window() -> None:
    mine = Reminders(session_time=time(18, 0), lead_minutes=30, time_zone="Europe/Berlin")
    at = datetime(2026, 3, 3, 17, 30, tzinfo=BERLIN)
    assert due_days(mine, Kind.SESSION, at.replace(minute=29), BERLIN) == []
    assert due_days(mine, Kind.SESSION, at, BERLIN) == [date(2026, 3, 3)]
    assert due_days(mine, Kind.SESSION, at + SEND_WINDOW, BERLIN) == []
    # The same instant seen in UTC is still Berlin's 17:30.
    assert due_days(mine, Kind.SESSION, at.astimezone(UTC), BERLIN) == [date(2026, 3, 3)]


def test_a_lead_past_midnight_is_due_the_evening_before() -> None:
    mine = Reminders(session_time=time(6, 0), lead_minutes=8 * 60)
    evening = datetime(2026, 3, 2, 22, 10, tzinfo=BERLIN)
    assert due_days(mine, Kind.SESSION, evening, BERLIN) == [date(2026, 3, 3)]


def test_the_check_in_is_due_at_its_time_on_the_runners_clock_across_a_clock_change() -> None:
    mine = Reminders(checkin_time=time(7, 30))
    # Berlin moves to summer time on 29 March 2026: 07:30 is 05:30 UTC that day, 06:30 before.
    assert due_days(mine, Kind.CHECKIN, datetime(2026, 3, 28, 6, 30, tzinfo=UTC), BERLIN) == [
        date(2026, 3, 28)
    ]
    assert due_days(mine, Kind.CHECKIN, datetime(2026, 3, 29, 5, 30, tzinfo=UTC), BERLIN) == [
        date(2026, 3, 29)
    ]
    assert due_days(mine, Kind.CHECKIN, datetime(2026, 3, 29, 5, 29, tzinfo=UTC), BERLIN) == []


def test_switching_one_email_off_leaves_the_other() -> None:
    both = Reminders(session_email=True, checkin_email=True)
    assert both.without_email(Kind.SESSION) == Reminders(checkin_email=True)
    assert both.emails(Kind.CHECKIN) and not both.without_email(Kind.CHECKIN).emails(Kind.CHECKIN)
