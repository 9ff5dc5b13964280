"""Running history: activities imported from files or logged by hand, and import jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Activity(models.Model):
    class Kind(models.TextChoices):
        EASY = "easy"
        QUALITY = "quality"
        LONG = "long"
        RACE = "race"
        OTHER = "other"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    start = models.DateTimeField()
    tz_name = models.CharField(max_length=64, blank=True)
    utc_offset_s = models.IntegerField(null=True, blank=True)
    sport = models.CharField(max_length=40, default="running")
    kind = models.CharField(max_length=10, choices=Kind.choices, blank=True)
    name = models.CharField(max_length=200, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    elapsed_s = models.FloatField(null=True, blank=True)
    moving_s = models.FloatField(null=True, blank=True)
    ascent_m = models.FloatField(null=True, blank=True)
    descent_m = models.FloatField(null=True, blank=True)
    avg_hr = models.PositiveSmallIntegerField(null=True, blank=True)
    max_hr = models.PositiveSmallIntegerField(null=True, blank=True)
    rpe = models.PositiveSmallIntegerField(null=True, blank=True)
    has_gps = models.BooleanField(default=False)
    device = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=20, default="manual")  # fit, gpx, tcx, manual
    source_sha256 = models.CharField(max_length=64, blank=True)
    source_index = models.PositiveSmallIntegerField(default=0)  # session within a multisport file
    file = models.CharField(max_length=300, blank=True)  # path under DATA_DIR/files
    # Where the original lies in ``file`` when that is an import's pack (ingest.store);
    # None: the whole file is the original.
    file_offset = models.PositiveBigIntegerField(null=True, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        # (owner, sport): the runs page's sport list and sport filter read only the index
        indexes = [models.Index(fields=["owner", "start"]), models.Index(fields=["owner", "sport"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_sha256", "source_index"],
                condition=~models.Q(source_sha256=""),
                name="one_activity_per_file_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sport} {self.start:%Y-%m-%d}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    upload = models.CharField(max_length=300, blank=True)  # path under DATA_DIR/uploads
    original_name = models.CharField(max_length=255, blank=True)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"
