from __future__ import annotations

from django.contrib import admin

from kneecap.web.accounts.admin import ReviewAdmin
from kneecap.web.catalog.models import CustomExercise


@admin.register(CustomExercise)
class CustomExerciseAdmin(ReviewAdmin):
    list_display = ("slug", "owner", "created_by", "created_at", "updated_at")
    search_fields = ("slug", "owner__username")
