"""Admin for the instance owner: accounts, coach links and tokens; health data read-only.

Health data belongs to the runner. The owner of an instance may look at it to help (an
import that went wrong, a question about a plan) but never edit or delete it: the runner does
that, or deletes their whole account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from kneecap.db.accounts.models import ApiToken, CoachLink, RunnerProfile
from kneecap.db.accounts.users import User
from kneecap.db.catalog.models import CustomExercise
from kneecap.db.runs.models import Activity, ImportJob
from kneecap.db.training.models import (
    CoachNote,
    ExerciseLog,
    MorningCheckin,
    Pin,
    PlannedSession,
    SessionLog,
    SetLog,
)

if TYPE_CHECKING:  # generic in django-stubs only: subscripting them at run time would fail
    _ModelAdmin = admin.ModelAdmin[Any]
    _UserAdmin = UserAdmin[User]
else:
    _ModelAdmin, _UserAdmin = admin.ModelAdmin, UserAdmin


class ReadOnlyAdmin(_ModelAdmin):
    """Look, never touch: no add, change or delete, every field shown read-only."""

    list_select_related = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewAdmin(ReadOnlyAdmin):
    """Records the app makes: the owner may look and remove them, not write them by hand."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj)


class AccountAdmin(_UserAdmin):
    """Django's user admin, except that deleting an account also removes its files and
    sessions, the same way as the runner's own "delete my account"."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # The account takes its read-only health data with it: no per-row permission needed.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        from kneecap.application.portability.services import delete_user

        delete_user(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from kneecap.application.portability.services import delete_user

        for user in queryset:
            delete_user(user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)


@admin.register(CoachLink)
class CoachLinkAdmin(ReviewAdmin):
    list_display = ("athlete", "coach", "role", "status", "invited_by", "created_at", "changed_at")
    list_filter = ("status", "role")
    search_fields = ("athlete__username", "coach__username")
    actions = ("revoke",)

    @admin.action(description="Revoke the selected links", permissions=["delete"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[CoachLink]) -> None:
        # The same effect as the runner's revoke: the link ends at once, the row stays.
        count = queryset.exclude(status=CoachLink.Status.REVOKED).update(
            status=CoachLink.Status.REVOKED
        )
        self.message_user(request, f"{count} link(s) revoked.", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(ReviewAdmin):
    """Deleting a token revokes it; its hash and prefix are never shown."""

    list_display = ("name", "user", "created_at", "last_used_at")
    fields = ("user", "name", "created_at", "last_used_at")
    search_fields = ("name", "user__username")


@admin.register(RunnerProfile)
class RunnerProfileAdmin(ReadOnlyAdmin):
    list_display = ("user", "baseline_morning_pain", "onboarded_at", "updated_at")
    exclude = ("calendar_token_hash",)
    search_fields = ("user__username",)


@admin.register(CustomExercise)
class CustomExerciseAdmin(ReviewAdmin):
    list_display = ("slug", "owner", "created_by", "created_at", "updated_at")
    search_fields = ("slug", "owner__username")


@admin.register(ImportJob)
class ImportJobAdmin(ReviewAdmin):
    list_display = (
        "pk",
        "owner",
        "status",
        "original_name",
        "files_done",
        "files_total",
        "imported",
        "duplicates",
        "skipped",
        "created_at",
        "finished_at",
    )
    list_filter = ("status",)
    search_fields = ("owner__username", "original_name")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("start", "owner", "sport", "kind", "distance_m", "elapsed_s", "source")
    list_filter = ("sport", "source")
    search_fields = ("owner__username", "name")


@admin.register(SessionLog)
class SessionLogAdmin(ReadOnlyAdmin):
    list_display = ("date", "owner", "minutes", "rpe", "pain_after")
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
