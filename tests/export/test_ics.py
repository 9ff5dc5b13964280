"""The .ics feed parses back with the icalendar library, event by event, and is RFC 5545 text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from icalendar import Calendar, Event

from kneecap.core.catalog import Catalog
from kneecap.core.planning import Blocked, Plan, Session
from kneecap.export import plan_to_ics
from tests.export.builders import item, plan_of, session_of

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def feed(plan: Plan, catalog: Catalog, now: datetime = NOW, salt: str = "feed-1") -> bytes:
    return plan_to_ics(
        plan,
        catalog,
        calendar_name="kneecap · strength",
        uid_domain="kneecap.example",
        now=now,
        uid_salt=salt,
    )


def events(data: bytes) -> list[Event]:
    cal = Calendar.from_ical(data)
    cal.validate()
    return list(cal.events)


def test_every_session_is_one_valid_all_day_event(catalog: Catalog, real_plan: Plan) -> None:
    parsed = events(feed(real_plan, catalog))
    sessions = list(real_plan.sessions())
    assert len(parsed) == len(sessions)
    for event, session in zip(parsed, sessions, strict=True):
        assert event.errors == []
        assert event.decoded("dtstart") == session.date
        assert event.decoded("dtend") == session.date + timedelta(days=1)
        assert event.decoded("dtstamp") == NOW
        assert str(event["summary"]) == f"Knee strength · {session.minutes} min"
        assert str(event["uid"]).endswith("@kneecap.example")
        assert_describes(str(event["description"]), session, catalog)
    assert len({str(e["uid"]) for e in parsed}) == len(parsed)


def assert_describes(text: str, session: Session, catalog: Catalog) -> None:
    for it in session.items:
        assert catalog.get(it.exercise).name in text
        assert it.prescription.describe() in text
    for why in session.why:
        assert why in text


def test_the_file_is_importable_rfc_5545_text(catalog: Catalog, real_plan: Plan) -> None:
    data = feed(real_plan, catalog)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75  # octets, folded
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0"
    assert "kneecap" in str(cal["prodid"])
    assert str(cal["x-wr-calname"]) == "kneecap · strength"


def test_fetching_again_later_keeps_every_uid(catalog: Catalog, real_plan: Plan) -> None:
    first = [str(e["uid"]) for e in events(feed(real_plan, catalog))]
    later = [str(e["uid"]) for e in events(feed(real_plan, catalog, NOW + timedelta(days=3)))]
    assert first == later


def test_a_moved_session_changes_only_its_own_uid(catalog: Catalog) -> None:
    tue = session_of(item(catalog, "tibialis-raise", "both-legs"), day=date(2026, 3, 3))
    thu = session_of(item(catalog, "glute-bridge", "both-legs"), day=date(2026, 3, 5))
    fri = session_of(item(catalog, "glute-bridge", "both-legs"), day=date(2026, 3, 6))
    before = [str(e["uid"]) for e in events(feed(plan_of(tue, thu), catalog))]
    after = [str(e["uid"]) for e in events(feed(plan_of(tue, fri), catalog))]
    assert before[0] == after[0] and before[1] != after[1]


def test_feeds_with_other_salts_never_share_a_uid_nor_show_the_salt(
    catalog: Catalog, real_plan: Plan
) -> None:
    mine = feed(real_plan, catalog, salt="athlete-41")
    theirs = feed(real_plan, catalog, salt="athlete-42")
    assert not {str(e["uid"]) for e in events(mine)} & {str(e["uid"]) for e in events(theirs)}
    assert b"athlete-41" not in mine


def test_dtstamp_is_written_in_utc(catalog: Catalog, real_plan: Plan) -> None:
    paris = datetime(2026, 3, 1, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert b"DTSTAMP:20260301T093000Z\r\n" in feed(real_plan, catalog, paris)


def test_a_naive_now_is_refused(catalog: Catalog, real_plan: Plan) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        feed(real_plan, catalog, datetime(2026, 3, 1, 9, 30))


def test_a_blocked_plan_gives_one_event_with_the_advice(catalog: Catalog) -> None:
    blocked = Plan((), (), Blocked("A red flag was answered yes.", "Seek care today."))
    (event,) = events(feed(blocked, catalog))
    assert event.decoded("dtstart") == NOW.date()
    assert str(event["summary"]) == "Knee strength plan on hold"
    assert "Seek care today." in str(event["description"])


def test_an_exercise_gone_from_the_catalog_is_named_by_its_slug(catalog: Catalog) -> None:
    gone = replace(item(catalog, "tibialis-raise", "both-legs"), exercise="my-own-drill")
    session = session_of(gone)
    (event,) = events(feed(plan_of(session), catalog))
    assert "my-own-drill (both-legs): 3 × 10" in str(event["description"])
