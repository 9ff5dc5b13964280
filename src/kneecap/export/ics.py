"""The plan as an iCalendar feed (RFC 5545): one all-day event per strength session, with the
runner's reminders: an alarm before each session and the morning check-in after it."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vDuration

from kneecap.core.catalog import Catalog
from kneecap.core.planning import Plan, Session
from kneecap.core.reminders import CHECKIN_MINUTES, Kind, Reminders
from kneecap.export.text import APP, item_line, run_note, session_title

PRODID = f"-//{APP}//{APP} strength plan//EN"
CHECKIN_TITLE = "Knee check-in"
CHECKIN_TEXT = (
    "How does your knee feel this morning? Rate pain and stiffness on Today in kneecap: "
    "the morning after a session sets the next dose."
)
# Calendar apps poll a subscription at their own pace; these ask for twice a day so a
# re-plan shows up the same day.
REFRESH = timedelta(hours=12)


def plan_to_ics(
    plan: Plan,
    catalog: Catalog,
    *,
    calendar_name: str,
    uid_domain: str,
    now: datetime,
    uid_salt: str = "",
    reminders: Reminders | None = None,
) -> bytes:
    """The plan's sessions as an ``.ics`` file (UTF-8, CRLF lines, folded at 75 octets).

    Each event's UID is a hash of ``uid_salt`` and the session's date, so a feed fetched again
    updates its events instead of adding copies; give each feed its own salt (for instance its
    id) so two runners' feeds in one calendar never share a UID. ``now`` (timezone-aware) is
    every event's DTSTAMP. A plan without sessions (blocked by screening, or none wanted)
    gives one event on ``now``'s date that says so: the calendar tells the runner why it is
    empty, and RFC 5545 wants at least one component.

    With ``reminders``, each session carries an alarm ``lead_minutes`` before the runner's
    ``session_time`` (``session_alarm``), and each morning after a session holds a
    ``CHECKIN_MINUTES`` check-in event at ``checkin_time`` with an alarm at its start
    (``checkin_event``). Times are floating (no time zone): a runner who travels is reminded
    at the same time of their own day.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    stamp = now.astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", calendar_name)  # RFC 7986
    cal.add("x-wr-calname", calendar_name)  # the same, for clients without RFC 7986
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    seen: Counter[str] = Counter()
    mornings: list[date] = []
    for session in plan.sessions():
        day = session.date.isoformat()
        seen[day] += 1
        uid = _uid(uid_salt, f"{day}/{seen[day]}", uid_domain)
        event = _event(session, catalog, uid, stamp)
        if reminders is not None and reminders.session_alarm:
            event.add_component(_session_alarm(session, reminders))
        cal.add_component(event)
        morning = session.date + timedelta(days=1)
        if morning not in mornings:
            mornings.append(morning)
    if reminders is not None and reminders.checkin_event:
        for morning in mornings:
            uid = _uid(uid_salt, f"checkin/{morning.isoformat()}", uid_domain)
            cal.add_component(_checkin(morning, reminders, uid, stamp))
    if not seen:
        cal.add_component(_no_sessions(plan, _uid(uid_salt, "none", uid_domain), stamp))
    ics: bytes = cal.to_ical()
    return ics


def _uid(salt: str, key: str, domain: str) -> str:
    # Hashed so the salt (which may identify a feed) never shows in the file.
    digest = hashlib.sha256(f"{salt}\0{key}".encode()).hexdigest()[:32]
    return f"{digest}@{domain}"


def _event(session: Session, catalog: Catalog, uid: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.date)  # a date: an all-day event
    event.add("dtend", session.date + timedelta(days=1))
    event.add("summary", session_title(session))
    event.add("description", describe_session(session, catalog))
    event.add("transp", "TRANSPARENT")  # a plan, not a booking: the day stays free
    event.add("categories", ["Strength"])
    return event


def _session_alarm(session: Session, reminders: Reminders) -> Alarm:
    # Relative to the all-day event's start, the midnight that begins its day: "PT17H30M" is
    # 17:30 on the day, as calendar apps write their own all-day alarms.
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", reminders.reminded_at(Kind.SESSION))
    alarm.add(
        "description",
        f"{session_title(session)} at {reminders.session_time:%H:%M}",
    )
    return alarm


def _checkin(morning: date, reminders: Reminders, uid: str, stamp: datetime) -> Event:
    """The morning check-in after a session: its rating sets the next dose (rules 17, 18)."""
    start = datetime.combine(morning, reminders.checkin_time)  # floating: the runner's clock
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=CHECKIN_MINUTES))
    event.add("summary", CHECKIN_TITLE)
    event.add("description", CHECKIN_TEXT)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Strength"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(0))
    alarm.add("description", CHECKIN_TITLE)
    event.add_component(alarm)
    return event


def _no_sessions(plan: Plan, uid: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", stamp.date())
    event.add("dtend", stamp.date() + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    if plan.blocked is not None:  # rules 35, 36
        event.add("summary", "Knee strength plan on hold")
        event.add("description", f"{plan.blocked.reason}\n\n{plan.blocked.advice}")
    else:
        event.add("summary", "No knee strength session planned")
        event.add("description", "\n".join(plan.warnings) or "No session in the coming weeks.")
    return event


def describe_session(session: Session, catalog: Catalog) -> str:
    """The event's text: what to do, in order, then why it sits on this day."""
    lines = [f"{session.minutes} min of knee and hip strength."]
    run = run_note(session)
    if run:
        lines.append(f"Running today: {run}.")
    lines.append("")
    lines += [f"{i}. {item_line(catalog, item)}" for i, item in enumerate(session.items, 1)]
    if session.why:
        lines += ["", "Why this day:"]
        lines += [f"- {why}" for why in session.why]
    return "\n".join(lines)
