"""Every shared FIT sample against fitdecode (and the Garmin SDK for a salvaged file), and
every non-activity and bad sample (issue 7 §5, §6). Skipped when ../shared is absent."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kneecap.ingest.errors import IngestError, NotAnActivity
from kneecap.ingest.fit import FIT_EPOCH
from kneecap.ingest.reader import read_bytes
from tests.ingest.samples import SALVAGED, SAMPLES, check, samples

# --- FIT: fitdecode ---------------------------------------------------------------------------


def _fit_time(raw: int) -> datetime:
    return datetime.fromtimestamp(FIT_EPOCH + raw, tz=UTC)


def fitdecode_summaries(path: Path) -> list[dict[str, Any]]:
    import fitdecode

    sessions, records = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = fitdecode.FitReader(
            str(path), processor=None, check_crc=fitdecode.CrcCheck.DISABLED, keep_raw_chunks=False
        )
        with reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name in (
                    "session",
                    "record",
                ):
                    values = {f.name: f.value for f in frame.fields if f.value is not None}
                    (sessions if frame.name == "session" else records).append(values)
    if sessions:
        return [_from_session(s) for s in sessions]
    return [_from_records(records)]


def _from_session(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": _fit_time(s["start_time"]),
        "distance": s.get("total_distance"),
        "elapsed": s.get("total_elapsed_time"),
        "moving": s.get("total_timer_time"),
        "avg_hr": s.get("avg_heart_rate") or None,
        "max_hr": s.get("max_heart_rate") or None,
    }


def _from_records(records: list[dict[str, Any]]) -> dict[str, Any]:
    timed = [r for r in records if "timestamp" in r]
    hrs = [r["heart_rate"] for r in timed if r.get("heart_rate")]
    distances = [r["distance"] for r in timed if "distance" in r]
    return {
        "start": _fit_time(timed[0]["timestamp"]),
        "distance": distances[-1] if distances else None,
        "elapsed": timed[-1]["timestamp"] - timed[0]["timestamp"],
        "avg_hr": sum(hrs) / len(hrs) if hrs else None,
        "max_hr": max(hrs) if hrs else None,
    }


@pytest.mark.parametrize("path", samples("fit", ".fit"), ids=lambda p: p.name)
def test_fit_summaries_match_fitdecode(path: Path) -> None:
    mine = read_bytes(path.read_bytes(), path.name)
    refs = fitdecode_summaries(path)
    assert len(mine) == len(refs)
    for act, ref in zip(mine, refs, strict=True):
        check(act, ref, path.name)


@pytest.mark.parametrize("path", [p for p in samples("bad") if p.name in SALVAGED], ids=str)
def test_a_salvaged_fit_file_matches_the_garmin_sdk(path: Path) -> None:
    from garmin_fit_sdk import Decoder, Stream

    messages, errors = Decoder(Stream.from_file(str(path))).read()
    assert not errors
    s = messages["session_mesgs"][0]
    ref = {"start": s["start_time"], "distance": s["total_distance"],
           "elapsed": s["total_elapsed_time"], "moving": s["total_timer_time"],
           "avg_hr": s.get("avg_heart_rate"), "max_hr": s.get("max_heart_rate")}  # fmt: skip
    (act,) = read_bytes(path.read_bytes(), path.name)
    check(act, ref, path.name)


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
