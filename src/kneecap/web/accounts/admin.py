"""Admin for the instance owner: accounts, coach links and tokens; health data read-only.

Health data belongs to the runner. The owner of an instance may look at it to help (an
import that went wrong, a question about a plan) but never edit or delete it: the runner does
that, or deletes their whole account.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from kneecap.web.accounts.models import ApiToken, CoachLink, RunnerProfile


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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


class AccountAdmin(UserAdmin):  # type: ignore[type-arg]
    """Django's user admin, except that deleting an account also removes its files and
    sessions, the same way as the runner's own "delete my account"."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # The account takes its read-only health data with it: no per-row permission needed.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        from kneecap.web.portability.services import delete_user

        delete_user(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        from kneecap.web.portability.services import delete_user

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
