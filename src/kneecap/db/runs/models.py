"""Running history: activities imported from files or logged by hand, and import jobs."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from kneecap.core.activity import RUNNING
from kneecap.core.log import RunLog, RunType

NOON = time(12)  # a run logged by hand, with a day but no time


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
    stopped_for_pain = models.BooleanField(default=False)  # rule 38: asks the questions again
    has_gps = models.BooleanField(default=False)
    device = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=20, default="manual")  # fit, gpx, tcx, manual
    # which part of the file gave the summary: session, records, laps or track (docs/import.md)
    summary_source = models.CharField(max_length=10, blank=True)
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

    @classmethod
    def from_run(cls, run: RunLog, **rest: Any) -> Activity:
        """A run logged by hand as a new, unsaved row; ``rest`` holds the owner."""
        start = timezone.make_aware(datetime.combine(run.date, NOON))
        row = cls(start=start, sport=RUNNING, source="manual", **rest)
        row.apply(run)
        return row

    def apply(self, run: RunLog) -> None:
        """The runner's values on this row (a new run, or an edit that keeps the time of day
        an imported run started at)."""
        local = timezone.localtime(self.start)
        self.start = local.replace(year=run.date.year, month=run.date.month, day=run.date.day)
        self.elapsed_s = self.moving_s = run.minutes * 60
        self.distance_m, self.kind, self.rpe = run.distance_m, run.kind.value, run.rpe
        self.name, self.stopped_for_pain = run.name, run.stopped_for_pain

    def to_run(self) -> RunLog:
        return RunLog(
            timezone.localtime(self.start).date(),
            max(1.0, round((self.moving_s or self.elapsed_s or 60) / 60, 2)),
            self.distance_m,
            RunType(self.kind) if self.kind else RunType.EASY,
            self.rpe,
            self.name,
            self.stopped_for_pain,
        )


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
