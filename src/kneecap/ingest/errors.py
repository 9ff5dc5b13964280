"""The errors a reader reports for one file. Every failure a reader meets becomes one of these,
with a plain message a runner can read; no foreign exception leaves ``kneecap.ingest``."""

from __future__ import annotations


class IngestError(Exception):
    """A file that could not be imported; ``str(err)`` is the message for the import report."""


class NotAnActivity(IngestError):
    """A valid file that holds no activity (settings, course, workout, untimed track…).

    Not a failure: archives count these as skipped.
    """


class CorruptFile(IngestError):
    """The bytes do not follow the format (bad header, bad checksum, truncated…)."""


class UnsupportedFile(IngestError):
    """Not a FIT, GPX or TCX file (or an archive) as far as the content tells."""


class LimitExceeded(IngestError):
    """The input is larger, deeper or more compressed than ``kneecap.ingest.limits`` allows."""


class UnsafeInput(IngestError):
    """Refused on purpose: XML DTDs and entities, symbolic links, paths leaving the archive."""
