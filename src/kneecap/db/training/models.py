"""The training log: sessions, exercises and sets done, pain, morning check-ins, pins, notes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

PAIN = [MinValueValidator(0), MaxValueValidator(10)]


class SessionLog(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(db_index=True)
    client_id = models.UUIDField(null=True, blank=True)  # makes offline re-sends idempotent
    planned = models.BooleanField(default=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    rpe = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["owner", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["owner", "client_id"], name="session_client_id_once")
        ]

    def __str__(self) -> str:
        return f"session {self.date}"


class ExerciseLog(models.Model):
    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="exercises")
    position = models.PositiveSmallIntegerField(default=0)
    exercise = models.CharField(max_length=60)
    level = models.CharField(max_length=60)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_location = models.CharField(max_length=20, blank=True)
    rpe = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["exercise"])]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.level})"


class SetLog(models.Model):
    exercise = models.ForeignKey(ExerciseLog, on_delete=models.CASCADE, related_name="sets")
    position = models.PositiveSmallIntegerField(default=0)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_s = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    load_kg = models.FloatField(null=True, blank=True)
    side = models.CharField(max_length=5, blank=True)  # "", "left", "right"

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"set {self.position + 1}"


class MorningCheckin(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    date = models.DateField()
    pain = models.PositiveSmallIntegerField(validators=PAIN)
    stiffness = models.PositiveSmallIntegerField(default=0, validators=PAIN)
    swelling = models.BooleanField(default=False)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["owner", "date"], name="one_checkin_a_day")]

    def __str__(self) -> str:
        return f"check-in {self.date}"


class Pin(models.Model):
    """The runner or their coach fixes an exercise's level or prescription."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pins"
    )
    exercise = models.CharField(max_length=60)
    level = models.CharField(max_length=60)
    prescription = models.JSONField(default=dict)  # empty: the level's own prescription
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "exercise"], name="one_pin_each")]

    def __str__(self) -> str:
        return f"pin {self.exercise}"


class CoachNote(models.Model):
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"note for {self.athlete}"


class PlannedSession(models.Model):
    """A planned session as it stood when its day passed; future days are computed live."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planned_sessions"
    )
    date = models.DateField()
    week_kind = models.CharField(max_length=10)
    minutes = models.PositiveSmallIntegerField()
    why = models.JSONField(default=list)
    items = models.JSONField(default=list)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["owner", "date"], name="one_plan_a_day")]

    def __str__(self) -> str:
        return f"planned {self.date}"
