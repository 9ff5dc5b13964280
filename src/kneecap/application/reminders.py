"""Reminders (issue 16 §4): the runner's settings, the email sweep the worker runs, and the
unsubscribe link every reminder email carries.

The calendar feed's alarm and check-in event are written by ``export.ics`` from the same
settings. An email is sent at most once per runner, kind and day: the sweep records the
reminder (``SentReminder``, unique on the three) before sending it, so a second sweep, or a
second worker, finds it taken; a send that fails gives the record back for the next sweep.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kneecap.application import cache, plans
from kneecap.application.background import on_thread
from kneecap.application.catalog import catalog_for
from kneecap.application.log import checkin_due
from kneecap.application.profile import units_of
from kneecap.core import units
from kneecap.core.planning import Session
from kneecap.core.reminders import Kind, ReminderError, Reminders, due_days, zone
from kneecap.db.accounts.models import RunnerProfile, SentReminder
from kneecap.db.accounts.users import User
from kneecap.db.training.models import SessionLog
from kneecap.export.ics import describe_session
from kneecap.export.text import session_title

UNSUBSCRIBE_SALT = "kneecap.reminders.unsubscribe"
log = logging.getLogger("kneecap.reminders")
SENT_KEPT_DAYS = 7  # what was sent, kept a week (time zones put a runner's day ±1 off ours)


class BadLink(ValueError):
    """An unsubscribe link that is not one of ours (or whose account is gone); says why."""


# --- settings ----------------------------------------------------------------------------


def settings_of(owner: User) -> Reminders:
    """The runner's reminders; the defaults before they have a profile."""
    row = RunnerProfile.objects.filter(user_id=owner.pk).first()
    return Reminders() if row is None else row.reminders_to_core()


def save_settings(owner: User, reminders: Reminders, email: str | None = None) -> Reminders:
    """Store the runner's reminders (and, when given, the account's email address, where
    reminder emails go). Email reminders need an address: ReminderError names the field."""
    address = owner.email if email is None else email.strip()
    if (reminders.session_email or reminders.checkin_email) and not address:
        raise ReminderError("email: email reminders need an email address on your account")
    with transaction.atomic():
        profile, _ = RunnerProfile.objects.select_for_update().get_or_create(user_id=owner.pk)
        columns = profile.reminders_from_core(reminders)
        profile.save(update_fields=[*columns, "updated_at"])
        if email is not None and address != owner.email:
            owner.email = address
            owner.save(update_fields=["email"])
        cache.changed(owner.pk)
    return reminders


# --- the unsubscribe link ------------------------------------------------------------------


def unsubscribe_token(owner: User, kind: Kind) -> str:
    """A link's secret: signed with the instance's key, for one runner and one kind. It never
    expires (an old email's link still works) and can do nothing but switch that kind off."""
    return signing.dumps([owner.pk, kind.value], salt=UNSUBSCRIBE_SALT)


def read_token(token: str) -> tuple[User, Kind]:
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        which = Kind(kind)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadLink("this link is not a kneecap unsubscribe link, or it was cut short") from None
    owner = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if owner is None:
        raise BadLink("the account this link was sent to no longer exists")
    return owner, which


def unsubscribe(token: str) -> tuple[User, Kind]:
    """Switch off the one kind of email the link was sent for; the other settings stay."""
    owner, kind = read_token(token)
    with transaction.atomic():
        profile = RunnerProfile.objects.select_for_update().filter(user_id=owner.pk).first()
        if profile is not None and profile.reminders_to_core().emails(kind):
            columns = profile.reminders_from_core(profile.reminders_to_core().without_email(kind))
            profile.save(update_fields=[*columns, "updated_at"])
            cache.changed(owner.pk)
    return owner, kind


# --- the sweep -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sent:
    username: str
    kind: Kind
    day: date

    def __str__(self) -> str:
        return f"the {self.kind} reminder of {self.day} to {self.username}"


@dataclass(frozen=True, slots=True)
class Swept:
    sent: list[Sent]
    failed: list[Sent]  # the email backend refused them (logged); the next sweep tries again


def sweep(now: datetime | None = None) -> Swept:
    """Send every email reminder due at ``now`` (default: the clock) that was not sent yet.
    Each runner's times are read on their own time zone's clock. Raises ReminderError when
    a reminder is due but the instance has no ``KNEECAP_BASE_URL`` for its links."""
    now = timezone.now() if now is None else now
    rows = (
        RunnerProfile.objects.filter(onboarded_at__isnull=False, user__is_active=True)
        .filter(Q(session_email=True) | Q(checkin_email=True))
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    swept = Swept([], [])
    default = timezone.get_default_timezone()
    for row in rows:
        reminders = row.reminders_to_core()
        for kind in Kind:
            if not reminders.emails(kind):
                continue
            for day in due_days(reminders, kind, now, zone(reminders, default)):
                done = Sent(row.user.get_username(), kind, day)
                try:
                    if _remind(row.user, reminders, kind, day):
                        swept.sent.append(done)
                except ReminderError:
                    raise
                except Exception:  # one runner's refused email must not hold up the others
                    log.exception("reminders: could not send %s", done)
                    swept.failed.append(done)
    # a record only guards its own day's window (hours): older ones would only pile up
    SentReminder.objects.filter(date__lt=now.date() - timedelta(days=SENT_KEPT_DAYS)).delete()
    return swept


def _remind(owner: User, reminders: Reminders, kind: Kind, day: date) -> bool:
    if SentReminder.objects.filter(owner=owner, kind=kind.value, date=day).exists():
        return False
    message = _message(owner, reminders, kind, day)
    if message is None:
        return False
    try:
        # Bookkeeping no kept value reads: the runner's version stays (cache.changed).
        with transaction.atomic():
            claim = SentReminder.objects.create(owner=owner, kind=kind.value, date=day)
    except IntegrityError:  # another worker took it meanwhile
        return False
    try:
        message.send()
    except Exception:
        SentReminder.objects.filter(pk=claim.pk).delete()  # the next sweep tries again
        raise
    return True


def _message(owner: User, reminders: Reminders, kind: Kind, day: date) -> EmailMessage | None:
    """The email, or None when there is nothing to remind of (no session planned that day, or
    already done; no session the day before, or the check-in already answered)."""
    base = settings.BASE_URL
    if not base:
        raise ReminderError("KNEECAP_BASE_URL is not set: reminder emails need it for links")
    if kind is Kind.SESSION:
        session = _planned(owner, day)
        if session is None:
            return None
        subject = f"{session_title(session)} at {reminders.session_time:%H:%M}"
        text = [
            f"Your knee strength session is planned for {day:%A} {day.day} {day:%B} at "
            f"{reminders.session_time:%H:%M}.",
            "",
        ]
        with units.using(units_of(owner)):  # the doses in the runner's units
            text.append(describe_session(session, catalog_for(owner)))
    else:
        if not checkin_due(owner, day):
            return None
        subject = "Knee check-in: how does your knee feel this morning?"
        text = [
            "Rate this morning's knee pain and stiffness in kneecap. Yesterday's session waits "
            "for it: the next dose follows from the morning after (rules 17 and 18).",
        ]
    off = base + reverse("kc-reminders-off", args=[unsubscribe_token(owner, kind)])
    what = "session" if kind is Kind.SESSION else "morning check-in"
    text += [
        "",
        f"Open Today: {base}{reverse('kc-today')}",
        "",
        "--",
        f"You asked kneecap for {what} reminders by email. No more of these: {off}",
    ]
    return EmailMessage(
        subject,
        "\n".join(text),
        to=[owner.email],
        headers={
            "List-Unsubscribe": f"<{off}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _planned(owner: User, day: date) -> Session | None:
    """The session planned on ``day`` and not logged yet."""
    if SessionLog.objects.filter(owner=owner, date=day).exists():
        return None
    plan = plans.plan_for(owner, day, 1)
    if plan is None:
        return None
    return next((s for s in plan.sessions() if s.date == day), None)


# --- in the worker -------------------------------------------------------------------------


@contextmanager
def in_background(every_s: float) -> Iterator[threading.Thread | None]:
    """Sweep every ``every_s`` seconds on a thread while the block runs (``kneecap worker``);
    0 never sweeps."""
    if every_s <= 0:
        yield None
        return
    with on_thread("kneecap-reminders", partial(_serve, every_s)) as thread:
        yield thread


def _serve(every_s: float, stop: threading.Event) -> None:
    last = ""
    try:
        while not stop.is_set():
            try:
                for sent in sweep().sent:
                    log.info("sent %s", sent)
                last = ""
            except ReminderError as exc:  # a setting: said once while it lasts
                if str(exc) != last:
                    log.warning("reminders: %s", exc)
                    last = str(exc)
            except Exception:
                log.exception("reminders: the sweep failed; trying again in %.0f s", every_s)
            stop.wait(every_s)
    finally:
        connections.close_all()  # this thread's own
