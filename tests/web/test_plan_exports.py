from __future__ import annotations

from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone
from garmin_fit_sdk import Decoder, Stream

from kneecap.application import plans
from kneecap.db.accounts.models import RunnerProfile
from tests.web.conftest import client_for
from tests.web.test_api_plan_runs import PROFILE, put_profile

pytestmark = pytest.mark.django_db


def feed_url(client: Client) -> str:
    client.post("/settings/calendar/")
    page = client.get("/settings/").content.decode()
    return page.split('id="calendar-url">')[1].split("<")[0]


def test_the_calendar_feed_is_valid_ics_and_revocable(alice: Any) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    url = feed_url(client)
    response = Client().get(url.replace("http://testserver", ""))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    planned = list(plans.plan_for(alice, timezone.localdate(), 8).sessions())
    # With the default reminders, the morning after each session holds a check-in event.
    sessions = [e for e in events if str(e["summary"]) != "Knee check-in"]
    assert len(sessions) == len(planned) > 0 and len(events) > len(sessions)
    assert all(e.get("uid") and e.get("dtstart") for e in events)

    newer = feed_url(client)
    assert newer != url
    assert Client().get(url.replace("http://testserver", "")).status_code == 404
    client.post("/settings/calendar/off/")
    assert Client().get(newer.replace("http://testserver", "")).status_code == 404


def test_a_wrong_feed_token_is_404(alice: Any) -> None:
    assert Client().get("/feeds/not-a-token.ics").status_code == 404
    RunnerProfile.objects.create(user=alice)  # no feed made: empty hash must not match
    assert Client().get("/feeds/.ics").status_code == 404


def test_the_printable_plan_is_a_pdf(alice: Any, bob: Any, charlie: Any) -> None:
    put_profile(client_for(alice), PROFILE)
    response = client_for(alice).get("/plan/print.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for(bob).get(f"/plan/print.pdf?athlete={alice.pk}").status_code == 200
    assert client_for(charlie).get(f"/plan/print.pdf?athlete={alice.pk}").status_code == 404


def test_a_session_downloads_as_a_fit_workout_the_sdk_decodes(alice: Any) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    session = next(plans.plan_for(alice, timezone.localdate(), 2).sessions())
    response = client.get(f"/plan/{session.date.isoformat()}/workout.fit")
    assert response.status_code == 200
    messages, errors = Decoder(Stream.from_byte_array(bytearray(response.content))).read()
    assert errors == []
    assert len(messages["workout_step_mesgs"]) >= len(session.items)


def test_no_session_that_day_is_404(alice: Any) -> None:
    client = client_for(alice)
    put_profile(client, PROFILE)
    assert client.get("/plan/1999-01-01/workout.fit").status_code == 404
    assert client.get("/plan/not-a-date/workout.fit").status_code == 404
