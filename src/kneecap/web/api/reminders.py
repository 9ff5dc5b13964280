"""The runner's reminders: the calendar feed's alarm and check-in event, and the emails."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router

from kneecap.application import reminders
from kneecap.core.reminders import MAX_LEAD_MINUTES, ReminderError, Reminders, parse_reminders
from kneecap.web.api.errors import ApiError
from kneecap.web.api.schemas import Strict, Text
from kneecap.web.http import AuthenticatedHttpRequest

router = Router(tags=["reminders"])
_DEFAULT = Reminders().as_dict()
HH_MM = r"^\d{1,2}:\d{2}$"


class RemindersIn(Strict):
    """A field left out takes its default (``GET`` shows every field)."""

    session_time: str = Field(
        _DEFAULT["session_time"], pattern=HH_MM, description="when you do a session, HH:MM"
    )
    lead_minutes: int = Field(
        _DEFAULT["lead_minutes"],
        ge=0,
        le=MAX_LEAD_MINUTES,
        description="minutes before session_time that the reminder comes",
    )
    checkin_time: str = Field(
        _DEFAULT["checkin_time"],
        pattern=HH_MM,
        description="the morning check-in, HH:MM, on the day after a session",
    )
    session_alarm: bool = Field(
        _DEFAULT["session_alarm"], description="the calendar feed's alarm before each session"
    )
    checkin_event: bool = Field(
        _DEFAULT["checkin_event"], description="the calendar feed's 5-minute check-in event"
    )
    session_email: bool = Field(
        _DEFAULT["session_email"], description="an email before each session"
    )
    checkin_email: bool = Field(
        _DEFAULT["checkin_email"], description="an email for the morning check-in"
    )
    time_zone: Text = Field(
        _DEFAULT["time_zone"],
        max_length=64,
        description="IANA name the emails' times are read in; empty: the instance's",
    )


@router.get("/profile/reminders", response=RemindersIn)
def get_reminders(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """Your reminders (issue 16; docs/reminders.md)."""
    return reminders.settings_of(request.user).as_dict()


@router.put("/profile/reminders", response=RemindersIn)
def put_reminders(request: AuthenticatedHttpRequest, payload: RemindersIn) -> dict[str, Any]:
    """Replace your reminders. Email reminders go to your account's email address and need
    one (422 otherwise)."""
    try:
        saved = reminders.save_settings(request.user, parse_reminders(payload.model_dump()))
    except ReminderError as exc:
        raise ApiError(422, str(exc)) from None
    return saved.as_dict()
