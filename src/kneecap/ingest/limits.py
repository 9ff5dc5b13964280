"""Every size, count and depth limit of the readers, in one place.

The defaults fit a real 10-year Strava or Garmin export with room to spare while keeping
memory and time bounded for hostile input (issue 7 §6).
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024
GiB = 1024 * MiB


@dataclass(frozen=True, slots=True)
class Limits:
    # One activity file, after gunzip. The largest real FIT/TCX files are a few tens of MB.
    max_file_bytes: int = 64 * MiB
    # Everything decompressed out of one archive, nested archives included.
    max_total_bytes: int = 8 * GiB
    # A nested archive is copied out (to a temporary file above 16 MiB) while it is read.
    max_nested_archive_bytes: int = 1 * GiB
    # Entries in one archive (a 10-year export holds a few thousand activities).
    max_entries: int = 50_000
    # Archives inside archives: a Garmin export nests one level; allow one more.
    max_depth: int = 3
    # Compression ratio above which an entry counts as a bomb (activity files reach ~20:1).
    max_ratio: int = 200
    # Entries smaller than this are never judged by ratio (tiny files compress oddly).
    ratio_floor_bytes: int = 1 * MiB


DEFAULT_LIMITS = Limits()
