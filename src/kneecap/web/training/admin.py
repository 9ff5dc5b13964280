from __future__ import annotations

from django.contrib import admin

from kneecap.web.accounts.admin import ReadOnlyAdmin
from kneecap.web.training.models import (
    CoachNote,
    ExerciseLog,
    MorningCheckin,
    Pin,
    PlannedSession,
    SessionLog,
    SetLog,
)


@admin.register(SessionLog)
class SessionLogAdmin(ReadOnlyAdmin):
    list_display = ("date", "owner", "planned", "minutes", "rpe", "pain_after")
    search_fields = ("owner__username",)


@admin.register(ExerciseLog)
class ExerciseLogAdmin(ReadOnlyAdmin):
    list_display = ("exercise", "level", "session", "pain_during", "rpe")


@admin.register(SetLog)
class SetLogAdmin(ReadOnlyAdmin):
    list_display = ("exercise", "position", "reps", "hold_s", "load_kg", "side")


@admin.register(MorningCheckin)
class MorningCheckinAdmin(ReadOnlyAdmin):
    list_display = ("date", "owner", "pain", "stiffness", "swelling")
    search_fields = ("owner__username",)


@admin.register(Pin)
class PinAdmin(ReadOnlyAdmin):
    list_display = ("exercise", "level", "owner", "pinned_by", "created_at")
    search_fields = ("owner__username", "exercise")


@admin.register(CoachNote)
class CoachNoteAdmin(ReadOnlyAdmin):
    list_display = ("athlete", "author", "created_at")
    search_fields = ("athlete__username", "author__username")


@admin.register(PlannedSession)
class PlannedSessionAdmin(ReadOnlyAdmin):
    list_display = ("date", "owner", "week_kind", "minutes")
    search_fields = ("owner__username",)
