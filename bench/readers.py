"""Reader benchmark: kneecap's FIT/GPX/TCX readers against the reference libraries, and a
synthetic Strava-style export read with one and two worker processes.

    .venv/bin/python bench/readers.py            # everything (a few minutes on 2 cores)
    .venv/bin/python bench/readers.py --quick    # fewer repeats, a 600-activity export

The samples come from ../shared/data/activities next to the checkout (see its MANIFEST.md).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import gzip
import io
import os
import re
import resource
import struct
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from kneecap.core.activity import Activity, dedupe
from kneecap.ingest.crc import fit_crc
from kneecap.ingest.errors import IngestError
from kneecap.ingest.fit import read_fit
from kneecap.ingest.gpx import read_gpx
from kneecap.ingest.parallel import iter_parallel
from kneecap.ingest.reader import read_bytes
from kneecap.ingest.tcx import read_tcx

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "data" / "activities"
DAY = 86_400
sys.path.insert(0, str(REPO))  # the reference suite lives with the tests
from tests.ingest.reference import problems, reference  # noqa: E402


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` wall-clock runs (the machine is shared; the best is the
    least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


# --- reference libraries, each producing the same summary as kneecap ----------------------


def fitdecode_summary(path: Path) -> None:
    import fitdecode

    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                frame.get_value("total_distance", fallback=None)


def garmin_sdk_summary(path: Path) -> None:
    from garmin_fit_sdk import Decoder, Stream

    messages, _errors = Decoder(Stream.from_file(str(path))).read()
    messages.get("session_mesgs")


def gpxpy_summary(data: bytes) -> None:
    import gpxpy

    gpx = gpxpy.parse(data.decode("utf-8", "replace"))
    gpx.length_2d()
    gpx.get_time_bounds()
    gpx.get_uphill_downhill()
    gpx.get_moving_data()


def tcxreader_summary(path: Path) -> None:
    from tcxreader.tcxreader import TCXReader

    TCXReader().read(str(path), only_gps=False)


def kneecap_loop(reader: Callable[[bytes, str, str], list[Activity]], blobs: list[bytes]) -> None:
    for blob in blobs:
        with contextlib.suppress(IngestError):
            reader(blob, "bench", "")


def agreement(reader: Callable[[bytes, str, str], list[Activity]], paths: list[Path]) -> str:
    """How many of the timed files kneecap reads as the reference suite expects (tolerances
    in tests/ingest/reference.py)."""
    known = [p for p in paths if p.name in reference()]
    agreeing = 0
    for path in known:
        try:
            acts = reader(path.read_bytes(), path.name, "")
        except IngestError:
            acts = []
        agreeing += (
            not problems(acts, path.name) if acts else not reference()[path.name]["activities"]
        )
    return f"{agreeing}/{len(known)} files"


def throughput_table(repeat: int, ref_repeat: int) -> list[tuple[str, str, float, float, str]]:
    rows: list[tuple[str, str, float, float, str]] = []
    for fmt, reader, refs in (
        (
            "FIT",
            read_fit,
            [("fitdecode", fitdecode_summary), ("garmin-fit-sdk", garmin_sdk_summary)],
        ),
        ("GPX", read_gpx, [("gpxpy", None)]),
        ("TCX", read_tcx, [("tcxreader", tcxreader_summary)]),
    ):
        paths = sorted((SAMPLES / fmt.lower()).glob(f"*.{fmt.lower()}"))
        blobs = [p.read_bytes() for p in paths]
        size = sum(map(len, blobs))
        mine = best_of(repeat, lambda r=reader, b=blobs: kneecap_loop(r, b))
        rows.append((fmt, "kneecap", size / mine / 1e6, 1.0, agreement(reader, paths)))
        for name, ref in refs:
            if ref is None:
                took = best_of(ref_repeat, lambda b=blobs: [gpxpy_summary(x) for x in b])
            else:
                took = best_of(ref_repeat, lambda f=ref, ps=paths: [f(p) for p in ps])
            rows.append((fmt, name, size / took / 1e6, took / mine, ""))
        print(f"  {fmt}: {len(paths)} files, {size / 1e6:.2f} MB", file=sys.stderr)
    return rows


# --- the synthetic export -------------------------------------------------------------


def shift_fit(data: bytes, seconds: int) -> bytes:
    """A FIT file with every date-time moved by ``seconds`` (a multiple of 32, so compressed
    timestamp headers stay valid) and its checksums redone."""
    assert seconds % 32 == 0
    out = bytearray(data)
    pos = 0
    while pos + 12 <= len(out) and out[pos + 8 : pos + 12] == b".FIT":
        header = out[pos]
        (size,) = struct.unpack_from("<I", out, pos + 4)
        end = pos + header + size
        _shift_messages(out, pos + header, end, seconds)
        struct.pack_into("<H", out, end, fit_crc(bytes(out[pos:end])))
        pos = end + 2
    return bytes(out)


# Date-time fields besides 253 (timestamp): session/lap start_time, activity local time,
# file_id time_created.
_TIME_FIELDS = {18: {2}, 19: {2}, 34: {5}, 0: {4}}


def _shift_messages(out: bytearray, pos: int, end: int, seconds: int) -> None:
    defs: dict[int, tuple[int, str, list[int]]] = {}
    while pos < end:
        h = out[pos]
        pos += 1
        if h & 0x80 == 0 and h & 0x40:
            pos = _shift_definition(out, pos, h, defs)
            continue
        size, order, offsets = defs[(h >> 5) & 3 if h & 0x80 else h & 0x0F]
        for offset in offsets:
            (value,) = struct.unpack_from(order + "I", out, pos + offset)
            if value not in (0xFFFFFFFF, 0) and value >= 0x10000000:
                struct.pack_into(order + "I", out, pos + offset, value + seconds)
        pos += size


def _shift_definition(
    out: bytearray, pos: int, h: int, defs: dict[int, tuple[int, str, list[int]]]
) -> int:
    order = "<" if out[pos + 1] == 0 else ">"
    (gnum,) = struct.unpack_from(order + "H", out, pos + 2)
    count = out[pos + 4]
    pos += 5
    offsets, offset = [], 0
    wanted = _TIME_FIELDS.get(gnum, set()) | {253}
    for _ in range(count):
        num, size = out[pos], out[pos + 1]
        if num in wanted and size == 4:
            offsets.append(offset)
        offset += size
        pos += 3
    if h & 0x20:
        dev = out[pos]
        offset += sum(out[pos + 2 + 3 * i] for i in range(dev))
        pos += 1 + 3 * dev
    defs[h & 0x0F] = (offset, order, offsets)
    return pos


_XML_TIME = re.compile(rb"(<(?:\w+:)?(?:time|Time|Id)>|StartTime=\")([0-9T:.+\-Z]{19,35})")


def shift_xml(data: bytes, seconds: int) -> bytes:
    """A GPX/TCX file with every time moved by ``seconds``."""

    def move(match: re.Match[bytes]) -> bytes:
        try:
            when = datetime.fromisoformat(match.group(2).decode())
        except ValueError:
            return match.group(0)
        return match.group(1) + (when + timedelta(seconds=seconds)).isoformat().encode()

    return _XML_TIME.sub(move, data)


def distinct_samples() -> list[tuple[str, bytes]]:
    """Valid single-activity samples that are not copies of each other (same run twice)."""
    found: list[tuple[str, bytes, Activity]] = []
    for fmt in ("fit", "gpx", "tcx"):
        for path in sorted((SAMPLES / fmt).glob(f"*.{fmt}")):
            data = path.read_bytes()
            try:
                acts = read_bytes(data, path.name)
            except IngestError:
                continue
            if len(acts) == 1 and acts[0].start.year > 2000:
                found.append((fmt, data, acts[0]))
    keep = {id(a) for a in dedupe(a for _, _, a in found)}
    return [(fmt, data) for fmt, data, act in found if id(act) in keep]


def build_export(target: Path, count: int) -> Path:
    """A Strava-style zip: activities.csv and activities/N.<fmt>.gz, ``count`` distinct runs."""
    if target.exists():
        return target
    samples = distinct_samples()
    rows = []
    tmp = target.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
        for i in range(count):
            fmt, data = samples[i % len(samples)]
            copy = i // len(samples) + 1
            shift = copy * 9 * DAY  # nine days apart: never the same run twice
            shifted = shift_fit(data, shift) if fmt == "fit" else shift_xml(data, shift)
            name = f"activities/{1000 + i}.{fmt}.gz"
            archive.writestr(name, gzip.compress(shifted, compresslevel=5))
            rows.append([1000 + i, "", f"Run {i}", "Run", name])
        table = io.StringIO()
        writer = csv.writer(table)
        writer.writerow(
            ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"]
        )
        writer.writerows(rows)
        archive.writestr("activities.csv", table.getvalue())
    tmp.rename(target)
    return target


def build_garmin_export(target: Path, count: int) -> Path:
    """A Garmin-style export: a zip holding a zip of ``count`` plain FIT files."""
    if target.exists():
        return target
    fits = [data for fmt, data in distinct_samples() if fmt == "fit"]
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            data = shift_fit(fits[i % len(fits)], (i // len(fits) + 1) * 9 * DAY)
            archive.writestr(f"{1000 + i}_ACTIVITY.fit", data)
    tmp = target.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as outer:
        outer.writestr(
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", inner.getvalue()
        )
    tmp.rename(target)
    return target


def read_export(export: Path, workers: int) -> tuple[collections.Counter[str], int]:
    """Statuses of every file and the number of distinct activities."""
    counts: collections.Counter[str] = collections.Counter()
    activities: list[Activity] = []
    for result in iter_parallel([export], workers=workers):
        counts[result.status.value] += 1
        activities.extend(result.activities)
    return counts, len(dedupe(activities))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


Timing = tuple[float, float, collections.Counter[str], int]  # wall, cpu, statuses, distinct


def export_timings(export: Path, repeat: int) -> dict[int, Timing]:
    """Best time with 1 and 2 workers; the runs alternate so that both see the same load."""
    best: dict[int, Timing] = {}
    for _ in range(repeat):
        for workers in (1, 2):
            start, cpu = time.perf_counter(), cpu_seconds()
            counts, distinct = read_export(export, workers)
            took, used = time.perf_counter() - start, cpu_seconds() - cpu
            if workers not in best or took < best[workers][0]:
                best[workers] = (took, used, counts, distinct)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller export")
    parser.add_argument("--count", type=int, default=None, help="activities in the export")
    parser.add_argument("--only", choices=["readers", "exports"], help="run one part")
    args = parser.parse_args()
    if not SAMPLES.is_dir():
        sys.exit(f"the samples are missing: {SAMPLES}")
    warnings.simplefilter("ignore")  # fitdecode warns about every damaged sample
    repeat, ref_repeat = (2, 1) if args.quick else (5, 2)
    count = args.count or (600 if args.quick else 3000)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"(load average before the run: {load}; 2 cores shared with other work)\n")
    if args.only != "exports":
        print_throughput(repeat, ref_repeat)
    if args.only != "readers":
        print_exports(count, quick=args.quick)


def print_throughput(repeat: int, ref_repeat: int) -> None:
    print("## Reader throughput (same files, one process)\n")
    print("| format | reader | MB/s | kneecap speed-up | agrees with the reference suite |")
    print("|---|---|---:|---:|---:|")
    for fmt, name, mbps, ratio, agree in throughput_table(repeat, ref_repeat):
        speed_up = "—" if name == "kneecap" else f"{ratio:.1f}×"
        print(f"| {fmt} | {name} | {mbps:.2f} | {speed_up} | {agree} |")


def print_exports(count: int, *, quick: bool) -> None:
    cache = Path(tempfile.gettempdir()) / "kneecap-bench"
    cache.mkdir(exist_ok=True)
    for label, export in (
        ("Strava-style export", build_export(cache / f"strava-{count}.zip", count)),
        (
            "Garmin-style export (nested zip of FIT files)",
            build_garmin_export(cache / f"garmin-{count}.zip", count),
        ),
    ):
        size = export.stat().st_size / 1e6
        print(f"\n## {label}: {count} activities, {size:.0f} MB zip (parse only, no database)\n")
        print("| workers | wall s | CPU s (all processes) | ok / skipped / error | distinct |")
        print("|---:|---:|---:|---|---:|")
        timings = export_timings(export, 2 if quick else 3)
        for workers, (took, used, counts, distinct) in timings.items():
            status = f"{counts['ok']} / {counts['skipped']} / {counts['error']}"
            print(f"| {workers} | {took:.2f} | {used:.2f} | {status} | {distinct} |")
        print(f"\nspeed-up from 1 to 2 workers: {timings[1][0] / timings[2][0]:.2f}×")


if __name__ == "__main__":
    main()
