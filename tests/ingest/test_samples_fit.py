"""Every non-activity and bad shared sample (issue 7 §6); the valid ones are held against the
reference suite (test_reference.py). Skipped when ../shared is absent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kneecap.ingest.errors import IngestError, NotAnActivity
from kneecap.ingest.reader import read_bytes
from tests.ingest.samples import SALVAGED, SAMPLES, samples

# --- files that are not activities, and bad files -----------------------------------------


@pytest.mark.parametrize("path", samples("nonactivity"), ids=lambda p: p.name)
def test_every_nonactivity_sample_is_skipped(path: Path) -> None:
    with pytest.raises(NotAnActivity):
        read_bytes(path.read_bytes(), path.name)


def manifest_kinds() -> dict[str, str]:
    text = (SAMPLES / "MANIFEST.md").read_text() if SAMPLES.is_dir() else ""
    return dict(re.findall(r"^\| bad \| `([^`]+)` \| \d+ \| ([^|]*) \|", text, re.MULTILINE))


@pytest.mark.parametrize("path", samples("bad"), ids=lambda p: p.name)
def test_every_bad_sample_is_an_error_or_salvaged_as_the_manifest_allows(path: Path) -> None:
    kind = manifest_kinds().get(path.name, "")
    try:
        outcome = "ok" if read_bytes(path.read_bytes(), path.name) else "empty"
    except NotAnActivity:
        outcome = "skipped"
    except IngestError:
        outcome = "error"
    if path.name in SALVAGED:
        allowed = {"ok"}
    elif kind.startswith("ERR"):
        allowed = {"error"}
    elif kind.strip() == "activity":  # a salvageable activity
        allowed = {"ok", "error"}
    else:  # gpx-no-timed-track, tcx-course-or-empty: not an activity after all
        allowed = {"skipped", "error"}
    assert outcome in allowed, f"{path.name} ({kind.strip()}): {outcome}"
