"""The runner's reminders: when, and which ones (issue 16 §4).

A planned session is reminded ``lead_minutes`` before ``session_time`` on its day; the
morning check-in (the next-morning rating the progression rules read, rules 17 and 18) at
``checkin_time`` on the morning after a session. Each reminder is switched on its own: the
calendar feed's alarm and check-in event, and the two emails. Emails are opt-in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

MAX_LEAD_MINUTES = 12 * 60
# An email the worker could not send within this long after its time is dropped: a reminder
# of a session that is long over helps nobody.
SEND_WINDOW = timedelta(hours=3)
# The calendar's check-in event: long enough to see, short enough to leave the morning free.
CHECKIN_MINUTES = 5


class ReminderError(ValueError):
    """A reminder setting out of bounds; the message names the field."""


class Kind(StrEnum):
    """The reminders sent by email, each switched off on its own (and by its own link)."""

    SESSION = "session"
    CHECKIN = "checkin"


@dataclass(frozen=True, slots=True)
class Reminders:
    session_time: time = time(18, 0)  # when the runner means to do a planned session
    lead_minutes: int = 30  # how long before ``session_time`` the reminder comes
    checkin_time: time = time(7, 30)  # the morning check-in, on the day after a session
    session_alarm: bool = True  # the calendar feed's alarm before each session
    checkin_event: bool = True  # the calendar feed's check-in event, with its own alarm
    session_email: bool = False
    checkin_email: bool = False
    time_zone: str = ""  # an IANA name for the emails; "" is the instance's time zone

    def emails(self, kind: Kind) -> bool:
        return self.session_email if kind is Kind.SESSION else self.checkin_email

    def without_email(self, kind: Kind) -> Reminders:
        if kind is Kind.SESSION:
            return replace(self, session_email=False)
        return replace(self, checkin_email=False)

    def reminded_at(self, kind: Kind) -> timedelta:
        """The reminder's time as an offset from the start of the day it is about (before
        midnight when the lead is longer than the session's time of day)."""
        at = self.session_time if kind is Kind.SESSION else self.checkin_time
        offset = timedelta(hours=at.hour, minutes=at.minute)
        return offset - timedelta(minutes=self.lead_minutes) if kind is Kind.SESSION else offset

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        for name in ("session_time", "checkin_time"):
            found[name] = found[name].strftime("%H:%M")
        return found


FIELDS = frozenset(f.name for f in fields(Reminders))


def parse_reminders(data: dict[str, Any]) -> Reminders:
    """Reminders from their JSON shape (``as_dict``); a field left out keeps its default.
    Raises ReminderError naming the field."""
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise ReminderError(f"unknown reminder field(s): {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in {"session_time", "checkin_time"}:
            values[name] = _time(name, value)
        elif name == "lead_minutes":
            values[name] = _lead(value)
        elif name == "time_zone":
            values[name] = _zone_name(value)
        elif isinstance(value, bool):
            values[name] = value
        else:
            raise ReminderError(f"{name}: must be true or false")
    return Reminders(**values)


def _time(name: str, value: Any) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    try:
        hours, minutes = (int(part) for part in str(value).split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ReminderError(f"{name}: a time of day as HH:MM, e.g. 07:30") from None


def _lead(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReminderError("lead_minutes: a whole number of minutes")
    if not 0 <= value <= MAX_LEAD_MINUTES:
        raise ReminderError(f"lead_minutes: between 0 and {MAX_LEAD_MINUTES} minutes")
    return value


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone_name(value: Any) -> str:
    name = str(value).strip()
    if name and name not in _zones():
        raise ReminderError(f"time_zone: {name!r} is not a time zone name, e.g. Europe/Berlin")
    return name


def zone(reminders: Reminders, default: ZoneInfo) -> ZoneInfo:
    return ZoneInfo(reminders.time_zone) if reminders.time_zone else default


def due_days(reminders: Reminders, kind: Kind, now: datetime, tz: ZoneInfo) -> list[date]:
    """The days whose ``kind`` reminder falls due at ``now`` in ``tz``: its time has come and
    is less than ``SEND_WINDOW`` ago. At most one day (the window is shorter than a day)."""
    today = now.astimezone(tz).date()
    found = []
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        # Wall-clock arithmetic: the time on the runner's clock, also on a day the clocks
        # change (a time skipped or doubled is read as zoneinfo reads it, fold 0).
        at = datetime.combine(day, time.min, tzinfo=tz) + reminders.reminded_at(kind)
        if at <= now < at + SEND_WINDOW:
            found.append(day)
    return found
