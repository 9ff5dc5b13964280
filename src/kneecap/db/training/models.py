"""The training log: sessions, exercises and sets done, pain, morning check-ins, pins, notes.

Each logged model stores the fields of one core type (``kneecap.core.log``) in columns of
the same names, and converts through one pair: ``from_core`` (a core value to an unsaved row)
and ``to_core`` (a row, or the tuple ``values_list(*Model.CORE)`` gives, to the core value).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from kneecap.core import log as core
from kneecap.core import outcomes, safety
from kneecap.db.convert import core_value, db_value

PAIN = [MinValueValidator(0), MaxValueValidator(10)]
EFFORT = [MinValueValidator(0), MaxValueValidator(10)]


def _row_values(cls: type[Any], value: Any, names: Sequence[str]) -> dict[str, Any]:
    specs = dict(core.specs(cls))
    return {name: db_value(specs[name], getattr(value, name)) for name in names}


def _core_values(cls: type[Any], names: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    specs = dict(core.specs(cls))
    return {
        name: core_value(specs[name], v)
        for name, v in zip(names, values, strict=True)
        if v is not None
    }


class SessionLog(models.Model):
    CORE: ClassVar[tuple[str, ...]] = (
        "date",
        "pain_before",
        "pain_after",
        "pain_location",
        "swelling",
        "twisted_or_fell",
        "minutes",
        "rpe",
        "notes",
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(db_index=True)
    client_id = models.UUIDField(null=True, blank=True)  # makes offline re-sends idempotent
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_location = models.CharField(max_length=20, blank=True)  # of before and after
    swelling = models.BooleanField(default=False)
    twisted_or_fell = models.BooleanField(default=False)
    minutes = models.FloatField(null=True, blank=True)
    rpe = models.FloatField(null=True, blank=True, validators=EFFORT)  # session effort
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

    @classmethod
    def from_core(cls, session: core.SessionLog, **rest: Any) -> SessionLog:
        """An unsaved row; ``rest`` holds what core does not (owner, client_id)."""
        return cls(**_row_values(core.SessionLog, session, cls.CORE), **rest)

    @classmethod
    def to_core(
        cls,
        values: Sequence[Any],
        exercises: tuple[core.ExerciseLog, ...] = (),
        morning: core.Checkin | None = None,
    ) -> core.SessionLog:
        """The core session from ``values_list(*CORE)``, its exercises and next morning."""
        found = _core_values(core.SessionLog, cls.CORE, values)
        if morning is not None:
            found.update(
                pain_next_morning=morning.pain,
                stiffness_next_morning=morning.stiffness,
                pain_location_next_morning=morning.pain_location,
            )
        return core.SessionLog(exercises=exercises, **found)

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.CORE)


class ExerciseLog(models.Model):
    CORE: ClassVar[tuple[str, ...]] = (
        "exercise",
        "level",
        "pain_during",
        "pain_location",
        "rpe",
    )

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="exercises")
    position = models.PositiveSmallIntegerField(default=0)
    exercise = models.CharField(max_length=80)
    level = models.CharField(max_length=80)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_location = models.CharField(max_length=20, blank=True)
    rpe = models.FloatField(null=True, blank=True, validators=EFFORT)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["exercise"])]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.level})"

    @classmethod
    def from_core(cls, entry: core.ExerciseLog, **rest: Any) -> ExerciseLog:
        return cls(**_row_values(core.ExerciseLog, entry, cls.CORE), **rest)

    @classmethod
    def to_core(
        cls, values: Sequence[Any], sets: tuple[core.SetResult, ...] = ()
    ) -> core.ExerciseLog:
        return core.ExerciseLog(sets=sets, **_core_values(core.ExerciseLog, cls.CORE, values))

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.CORE)


class SetLog(models.Model):
    CORE: ClassVar[tuple[str, ...]] = (
        "reps",
        "hold_s",
        "distance_m",
        "duration_s",
        "load_kg",
        "flights",
        "side",
    )

    exercise = models.ForeignKey(ExerciseLog, on_delete=models.CASCADE, related_name="sets")
    position = models.PositiveSmallIntegerField(default=0)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_s = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    load_kg = models.FloatField(null=True, blank=True)
    flights = models.PositiveSmallIntegerField(null=True, blank=True)
    side = models.CharField(max_length=5, blank=True)  # "", "left", "right"

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"set {self.position + 1}"

    @classmethod
    def from_core(cls, done: core.SetResult, **rest: Any) -> SetLog:
        return cls(**_row_values(core.SetResult, done, cls.CORE), **rest)

    @classmethod
    def to_core(cls, values: Sequence[Any]) -> core.SetResult:
        return core.SetResult(**_core_values(core.SetResult, cls.CORE, values))

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.CORE)


class MorningCheckin(models.Model):
    CORE: ClassVar[tuple[str, ...]] = ("date", "pain", "stiffness", "swelling", "pain_location")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    date = models.DateField()
    pain = models.PositiveSmallIntegerField(validators=PAIN)
    stiffness = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    swelling = models.BooleanField(default=False)
    pain_location = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["owner", "date"], name="one_checkin_a_day")]

    def __str__(self) -> str:
        return f"check-in {self.date}"

    @classmethod
    def from_core(cls, checkin: core.Checkin, **rest: Any) -> MorningCheckin:
        return cls(**_row_values(core.Checkin, checkin, cls.CORE), **rest)

    @classmethod
    def to_core(cls, values: Sequence[Any]) -> core.Checkin:
        return core.Checkin(**_core_values(core.Checkin, cls.CORE, values))

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.CORE)


class Pin(models.Model):
    """The runner or their coach fixes an exercise's level or prescription."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pins"
    )
    exercise = models.CharField(max_length=80)
    level = models.CharField(max_length=80, blank=True)  # "": the engine's level
    prescription = models.JSONField(default=dict)  # empty: the level's own prescription
    paused = models.BooleanField(default=False)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "exercise"], name="one_pin_each")]

    def __str__(self) -> str:
        return f"pin {self.exercise}"

    @classmethod
    def from_core(cls, pin: core.Pin, **rest: Any) -> Pin:
        """``rest`` holds owner and pinned_by; ``by`` follows from who pinned it."""
        return cls(
            exercise=pin.exercise,
            level=pin.level or "",
            prescription=dict(pin.prescription or {}),
            paused=pin.paused,
            note=pin.note,
            **rest,
        )

    def to_core(self) -> core.Pin:
        by = (
            core.PinnedBy.RUNNER
            if self.pinned_by_id in (None, self.owner_id)
            else core.PinnedBy.COACH
        )
        return core.Pin(
            self.exercise,
            self.level or None,
            self.prescription or None,
            by,
            self.paused,
            self.note,
        )


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
    """A planned session as it stood when its day passed; future days are computed live.

    The plan itself is never stored: this is the record of what was planned on days that
    have passed, which re-planning must not rewrite (issue 4 §4)."""

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


class SafetyEvent(models.Model):
    """What the safety gate counts from (``kneecap.core.safety``): rule-38 triggers as they
    were logged, the runner's answers to the safety questions, a coach's or physio's clearance
    with its note, a recent injury confirmed to be settling. Kept as they happened."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_events"
    )
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in safety.EventKind])
    key = models.CharField(max_length=120, blank=True)  # a trigger's identity, a clearance's scope
    text = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["owner", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @classmethod
    def from_core(cls, event: safety.Event, **rest: Any) -> SafetyEvent:
        """``rest`` holds owner and, for a clearance, who gave it (``by``)."""
        return cls(
            at=event.at,
            kind=event.kind.value,
            key=event.key,
            text=event.text,
            note=event.note,
            answers=dict(event.answers),
            **rest,
        )

    def to_core(self, by: str = "") -> safety.Event:
        return safety.Event(
            self.at,
            safety.EventKind(self.kind),
            self.key,
            self.text,
            by,
            self.note,
            dict(self.answers or {}),
        )


class OutcomeResponse(models.Model):
    """A questionnaire the runner filled in (``kneecap.core.outcomes``): the answers in the
    instrument's order (null for a skipped item) and the scores core computed from them."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_responses"
    )
    instrument = models.CharField(max_length=20, choices=[(i, i) for i in outcomes.INSTRUMENTS])
    answered = models.DateField()
    answers = models.JSONField(default=list)
    activities = models.JSONField(default=list, blank=True)  # PSFS: the runner's words
    scores = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-answered", "-id"]
        indexes = [models.Index(fields=["owner", "instrument", "answered"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.answered}"

    @classmethod
    def from_core(cls, response: outcomes.Response, **rest: Any) -> OutcomeResponse:
        """An unsaved row; ``rest`` holds the owner."""
        return cls(
            instrument=response.instrument,
            answered=response.answered,
            answers=list(response.answers),
            activities=list(response.activities),
            scores=dict(response.scores),
            **rest,
        )

    def to_core(self) -> outcomes.Response:
        return outcomes.Response(
            self.instrument,
            self.answered,
            tuple(self.answers),
            dict(self.scores),
            tuple(self.activities or ()),
        )


class OutcomeSchedule(models.Model):
    """How often the runner is asked (weeks after the last answer); no row: the default."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_schedule"
    )
    interval_weeks = models.PositiveSmallIntegerField(
        default=outcomes.DEFAULT_WEEKS,
        validators=[
            MinValueValidator(outcomes.MIN_WEEKS),
            MaxValueValidator(outcomes.MAX_WEEKS),
        ],
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"questionnaires every {self.interval_weeks} weeks"
