"""Who owns what: the runner's profile, coach links, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import fields

from django.conf import settings
from django.db import models
from django.db.models import Q

from kneecap.core.reminders import Reminders

_REMINDERS = tuple(f.name for f in fields(Reminders))
_DEFAULT = Reminders()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RunnerProfile(models.Model):
    """The onboarding answers, stored in the profile-file shape that core validates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="runner"
    )
    data = models.JSONField(default=dict)  # kneecap.core.profile fields except start_date/weeks
    baseline_morning_pain = models.PositiveSmallIntegerField(default=0)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moves with every write of the runner's training data (kneecap.application.cache), in the
    # write's own transaction: values kept under it are never stale.
    version = models.PositiveBigIntegerField(default=0)
    # Moves with every write except a session dated today or later: what is computed "as of
    # today" (the progression report) reads only sessions before today.
    base_version = models.PositiveBigIntegerField(default=0)
    # When the safety questions were last answered (the gate, rules 34-38).
    screened_at = models.DateTimeField(null=True, blank=True)
    # Thresholds a linked coach or physio set for this runner (kneecap.core.rules).
    rules = models.JSONField(default=dict, blank=True)
    # Set when a re-plan is queued for the worker, cleared when it starts (tasks.replan_soon).
    replan_queued_at = models.DateTimeField(null=True, blank=True)
    # The runner's reminders (kneecap.core.reminders), each column named as its core field.
    session_time = models.TimeField(default=_DEFAULT.session_time)
    lead_minutes = models.PositiveSmallIntegerField(default=_DEFAULT.lead_minutes)
    checkin_time = models.TimeField(default=_DEFAULT.checkin_time)
    session_alarm = models.BooleanField(default=_DEFAULT.session_alarm)
    checkin_event = models.BooleanField(default=_DEFAULT.checkin_event)
    session_email = models.BooleanField(default=_DEFAULT.session_email)
    checkin_email = models.BooleanField(default=_DEFAULT.checkin_email)
    time_zone = models.CharField(max_length=64, blank=True, default=_DEFAULT.time_zone)

    def __str__(self) -> str:
        return f"profile of {self.user}"

    def reminders_to_core(self) -> Reminders:
        return Reminders(**{name: getattr(self, name) for name in _REMINDERS})

    def reminders_from_core(self, reminders: Reminders) -> list[str]:
        """Set the reminder columns; returns their names (for ``save(update_fields=…)``)."""
        for name in _REMINDERS:
            setattr(self, name, getattr(reminders, name))
        return list(_REMINDERS)

    def new_calendar_token(self) -> str:
        """A fresh secret for the .ics feed; the old URL stops working at once."""
        token = secrets.token_urlsafe(24)
        self.calendar_token_hash = hash_token(token)
        return token


class SentReminder(models.Model):
    """An email reminder sent (or being sent): one per runner, kind and day, so a sweep that
    runs again, or on a second worker, never sends it twice."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField(max_length=10)  # kneecap.core.reminders.Kind
    date = models.DateField()  # the day the reminder is about, in the runner's time zone
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "date"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.date}"


class CoachLink(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        ACTIVE = "active"
        REVOKED = "revoked"

    class Role(models.TextChoices):
        COACH = "coach"
        PHYSIO = "physio"

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_links"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="athlete_links"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.COACH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "coach"],
                condition=~Q(status="revoked"),
                name="one_live_link_per_pair",
            ),
            models.CheckConstraint(condition=~Q(athlete=models.F("coach")), name="no_self_link"),
        ]

    def __str__(self) -> str:
        return f"{self.coach} → {self.athlete} ({self.status})"


class ApiToken(models.Model):
    """A personal access token: shown once, stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple[ApiToken, str]:
        token = "kc_" + secrets.token_urlsafe(32)
        obj = cls.objects.create(
            user=user, name=name, prefix=token[3:11], token_hash=hash_token(token)
        )
        return obj, token
