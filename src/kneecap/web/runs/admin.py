from __future__ import annotations

from django.contrib import admin

from kneecap.web.accounts.admin import ReadOnlyAdmin, ReviewAdmin
from kneecap.web.runs.models import Activity, ImportJob


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
