"""What an import reports for each file it looked at."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kneecap.core.activity import Activity
from kneecap.ingest.store import Kept


class Status(StrEnum):
    OK = "ok"  # one or more activities were read
    SKIPPED = "skipped"  # a valid file that is not an activity (settings, course, photo…)
    ERROR = "error"  # damaged, refused or over a limit; ``message`` says which


@dataclass(frozen=True, slots=True)
class FileResult:
    name: str  # the file, or "export.zip/activities/123.fit.gz" inside an archive
    status: Status
    activities: tuple[Activity, ...] = ()
    message: str = ""  # why it was skipped or failed, in plain words
    kept: Kept | None = None  # where the original was kept, when the reading had a store

    @classmethod
    def ok(cls, name: str, activities: list[Activity], kept: Kept | None = None) -> FileResult:
        return cls(name, Status.OK, tuple(activities), kept=kept)

    @classmethod
    def skipped(cls, name: str, reason: str) -> FileResult:
        return cls(name, Status.SKIPPED, message=reason)

    @classmethod
    def error(cls, name: str, message: str) -> FileResult:
        return cls(name, Status.ERROR, message=message)
