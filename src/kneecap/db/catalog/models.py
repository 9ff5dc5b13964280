"""Users' own exercises; the shipped catalog stays in the package's TOML files."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CustomExercise(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_exercises"
    )
    slug = models.SlugField(max_length=60)
    data = models.JSONField()  # validated by kneecap.core.catalog on every save
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="custom_slug_per_owner")
        ]

    def __str__(self) -> str:
        return self.slug
