"""Shared by the sample tests: where the shared samples are, and the salvaged bad file."""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "activities"


def samples(folder: str, suffix: str = "") -> list[Path]:
    path = SAMPLES / folder
    return sorted(p for p in path.glob(f"*{suffix}") if p.suffix != ".md") if path.is_dir() else []


# Listed as bad because fitdecode refuses a field declared with a size its type cannot have;
# the Garmin FIT SDK reads it with a valid CRC and no error, and so does kneecap (it reads
# around misdeclared fields). The reference suite holds its summary.
SALVAGED = {"fitparse__coros-pace-2-cycling-misaligned-fields.fit"}
