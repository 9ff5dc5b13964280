"""The feed's reminders, read back with icalendar: an alarm before each session at the
runner's time and lead, and the morning check-in after each session, each switchable."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event

from kneecap.core.catalog import Catalog
from kneecap.core.planning import Plan
from kneecap.core.reminders import CHECKIN_MINUTES, Reminders
from kneecap.export import plan_to_ics
from tests.export.builders import item, plan_of, session_of

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
MINE = Reminders(session_time=time(18, 15), lead_minutes=45, checkin_time=time(6, 50))


def parsed(plan: Plan, catalog: Catalog, reminders: Reminders | None) -> list[Event]:
    data = plan_to_ics(
        plan,
        catalog,
        calendar_name="kneecap",
        uid_domain="kneecap.example",
        now=NOW,
        uid_salt="feed-1",
        reminders=reminders,
    )
    cal = Calendar.from_ical(data)
    cal.validate()
    found = list(cal.events)
    assert all(e.errors == [] for e in found)
    for event in found:
        for alarm in event.walk("VALARM"):
            assert alarm.errors == []
    return found


def sessions_and_checkins(events: list[Event]) -> tuple[list[Event], list[Event]]:
    checkins = [e for e in events if str(e["summary"]) == "Knee check-in"]
    return [e for e in events if e not in checkins], checkins


def test_each_session_has_one_alarm_at_the_runners_time_less_the_lead(
    catalog: Catalog, real_plan: Plan
) -> None:
    sessions, _ = sessions_and_checkins(parsed(real_plan, catalog, MINE))
    assert len(sessions) == len(list(real_plan.sessions()))
    for event in sessions:
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        # Relative to the all-day event's start (its midnight): 18:15 less 45 minutes.
        assert alarm.decoded("trigger") == timedelta(hours=17, minutes=30)
        assert "18:15" in str(alarm["description"])


def test_a_lead_past_midnight_rings_the_evening_before(catalog: Catalog) -> None:
    early = replace(MINE, session_time=time(6, 0), lead_minutes=8 * 60)
    (event,) = parsed(
        plan_of(session_of(item(catalog, "glute-bridge", "both-legs"))),
        catalog,
        replace(early, checkin_event=False),
    )
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=2)
    assert "TRIGGER:-PT2H" in event.to_ical().decode()


def test_the_check_in_is_a_short_event_the_morning_after_each_session(
    catalog: Catalog,
) -> None:
    tue = session_of(item(catalog, "tibialis-raise", "both-legs"), day=date(2026, 3, 3))
    thu = session_of(item(catalog, "glute-bridge", "both-legs"), day=date(2026, 3, 5))
    sessions, checkins = sessions_and_checkins(parsed(plan_of(tue, thu), catalog, MINE))
    assert len(sessions) == 2
    starts = [c.decoded("dtstart") for c in checkins]
    assert starts == [datetime(2026, 3, 4, 6, 50), datetime(2026, 3, 6, 6, 50)]  # floating
    for checkin in checkins:
        assert checkin.decoded("dtend") - checkin.decoded("dtstart") == timedelta(
            minutes=CHECKIN_MINUTES
        )
        assert str(checkin["transp"]) == "TRANSPARENT"
        assert "morning after a session" in str(checkin["description"])
        (alarm,) = checkin.walk("VALARM")
        assert alarm.decoded("trigger") == timedelta(0)
    uids = [str(e["uid"]) for e in sessions + checkins]
    assert len(set(uids)) == len(uids)


def test_two_sessions_on_one_day_give_one_check_in(catalog: Catalog) -> None:
    one = session_of(item(catalog, "tibialis-raise", "both-legs"))
    two = session_of(item(catalog, "glute-bridge", "both-legs"))
    _, checkins = sessions_and_checkins(parsed(plan_of(one, two), catalog, MINE))
    assert len(checkins) == 1


def test_each_reminder_switches_off_on_its_own(catalog: Catalog, real_plan: Plan) -> None:
    no_alarm = parsed(real_plan, catalog, replace(MINE, session_alarm=False))
    sessions, checkins = sessions_and_checkins(no_alarm)
    assert checkins and all(not s.walk("VALARM") for s in sessions)
    no_checkin = parsed(real_plan, catalog, replace(MINE, checkin_event=False))
    sessions, checkins = sessions_and_checkins(no_checkin)
    assert not checkins and all(len(s.walk("VALARM")) == 1 for s in sessions)


def test_without_reminders_the_feed_is_the_plan_alone(catalog: Catalog, real_plan: Plan) -> None:
    events = parsed(real_plan, catalog, None)
    assert len(events) == len(list(real_plan.sessions()))
    assert not any(e.walk("VALARM") for e in events)


def test_the_check_in_keeps_its_uid_when_fetched_again(catalog: Catalog, real_plan: Plan) -> None:
    first = sessions_and_checkins(parsed(real_plan, catalog, MINE))[1]
    moved = replace(MINE, checkin_time=time(8, 0))
    later = sessions_and_checkins(parsed(real_plan, catalog, moved))[1]
    assert [str(e["uid"]) for e in first] == [str(e["uid"]) for e in later]
    assert later[0].decoded("dtstart").time() == time(8, 0)
