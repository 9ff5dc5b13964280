"""Builds tests/data/reference.json: the expected summary of every sample file, from the
independent decoders (fitdecode and the Garmin FIT SDK, gpxpy, tcxreader) and the files' own
summary messages (FIT sessions and activity, TCX laps), never from kneecap's readers.

    .venv/bin/python -m tests.ingest.make_reference        # needs ../shared/data

Each value records which sources gave it and whether they agreed; where the decoders
disagree the file's own summary messages decide, and the note says so. The rules for
choosing among a file's sources are the ones docs/import.md states (the fullest consistent
source: a session that stops before its records gives way to them; missing heart rate or
distance is taken from the records or a developer field).
"""

from __future__ import annotations

import io
import itertools
import json
import sys
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.ingest.reference import DATA, REFERENCE, SHARED

Summary = dict[str, Any]
FIT_EPOCH = 631_065_600
# Moving time as docs/import.md defines it (written again here, apart from kneecap.ingest.geo).
SLOW_MPS, MIN_STOP_S, GAP_MIN_S, GAP_FACTOR = 1000 / 3600, 10.0, 20.0, 4.0
BEYOND_S, BEYOND_FRACTION, DISAGREE_FRACTION = 10.0, 0.01, 0.10


def moving_s(times: list[float], along: list[float]) -> float:
    steps = [b - a for a, b in itertools.pairwise(times) if b > a]
    if not steps:
        return 0.0
    gap = max(GAP_MIN_S, GAP_FACTOR * sorted(steps)[len(steps) // 2])
    total = slow = 0.0
    for i in range(1, len(times)):
        dt = times[i] - times[i - 1]
        if dt <= 0:
            continue
        if dt > gap or along[i] - along[i - 1] > SLOW_MPS * dt:
            total += slow if slow < MIN_STOP_S else 0.0
            slow = 0.0
            total += dt if dt <= gap else 0.0
        else:
            slow += dt
    return total + (slow if slow < MIN_STOP_S else 0.0)


def beyond(extra: float, span: float) -> bool:
    return extra > BEYOND_S and extra > BEYOND_FRACTION * span


def iso(unix: float) -> str:
    return datetime.fromtimestamp(unix, tz=UTC).isoformat().replace("+00:00", "Z")


def unix(value: Any) -> float | None:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, int) and value < 0x10000000:  # a device-relative time, kept raw
        return float(FIT_EPOCH + value)
    return None


# --- FIT: the same rules over each decoder's messages --------------------------------------


def fitdecode_messages(path: Path) -> dict[str, list[dict[str, Any]]]:
    import fitdecode

    out: dict[str, list[dict[str, Any]]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.RAISE)
        with reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    values: dict[str, Any] = {}
                    for f in frame.fields:
                        if f.value is None:
                            continue
                        dev = type(f.field_def).__name__ == "DevFieldDefinition"
                        values[("dev:" if dev else "") + str(f.name)] = f.value
                    out.setdefault(frame.name, []).append(values)
    return out


def garmin_messages(path: Path) -> dict[str, list[dict[str, Any]]]:
    from garmin_fit_sdk import Decoder, Stream

    messages, errors = Decoder(Stream.from_file(str(path))).read()
    if errors:
        raise ValueError(f"the Garmin SDK reports {errors[0]}")
    descriptions = {d.get("key"): d for d in messages.get("field_description_mesgs", [])}
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in ("session", "record", "activity", "lap"):
        for m in messages.get(f"{kind}_mesgs", []):
            values = {k: v for k, v in m.items() if k != "developer_fields" and v is not None}
            for key, v in (m.get("developer_fields") or {}).items():
                name = descriptions.get(key, {}).get("field_name")
                if name is not None:
                    values[f"dev:{name}"] = v
            out.setdefault(kind, []).append(values)
    out["field_description"] = [
        {**d, "native_mesg_num": _mesg_name(d.get("native_mesg_num"))}
        for d in descriptions.values()
    ]
    return out


def _mesg_name(num: Any) -> Any:
    return {18: "session", 19: "lap", 20: "record"}.get(num, num)


def dev_name(msgs: dict[str, list[dict[str, Any]]], mesg: str, field: int, names: set[str]) -> str:
    """The developer field standing for a native one: by its description, or its name."""
    for d in msgs.get("field_description", []):
        if d.get("native_mesg_num") == mesg and d.get("native_field_num") == field:
            return f"dev:{d.get('field_name')}"
    for d in msgs.get("field_description", []):
        name = str(d.get("field_name", "")).lower()
        native = d.get("native_field_num") is None and d.get("native_mesg_num") in (None, mesg)
        if native and name in names:
            return f"dev:{d.get('field_name')}"
    return "dev:-"


def fit_summaries(msgs: dict[str, list[dict[str, Any]]]) -> list[Summary]:
    dist_dev = dev_name(msgs, "record", 5, {"distance"})
    hr_dev = dev_name(msgs, "record", 3, {"heart rate", "heart_rate", "hr"})
    records = []
    for r in msgs.get("record", []):
        t = unix(r.get("timestamp"))
        if t is not None:
            d = r.get("distance", r.get(dist_dev))
            records.append((t, d, r.get("heart_rate", r.get(hr_dev)) or None))
    activity = (msgs.get("activity") or [{}])[0]
    timer = activity.get("total_timer_time")
    sessions = msgs.get("session", [])
    if not sessions and not records:
        return []  # not an activity (settings, workout…)
    if not sessions:
        return [records_summary(records, msgs.get("lap", []), timer)]
    out: list[Summary] = []
    for i, s in enumerate(sessions):
        last = i == len(sessions) - 1
        following = unix(sessions[i + 1].get("start_time")) if not last else None
        out.append(session_summary(s, records, msgs, (last, following), timer, out))
    return out


def session_summary(
    s: dict[str, Any],
    records: list[tuple[float, Any, Any]],
    msgs: dict[str, list[dict[str, Any]]],
    place: tuple[bool, float | None],  # the last session? the next one's start
    timer: float | None,
    earlier: list[Summary],
) -> Summary:
    last, following = place
    elapsed, moving = s.get("total_elapsed_time"), s.get("total_timer_time")
    start = unix(s.get("start_time"))
    stamp = unix(s.get("timestamp"))
    if start is None and stamp is not None:
        start = stamp - (elapsed or 0)
    assert start is not None
    end = max(stamp or start, start + round(elapsed or 0))
    cut = last and bool(records) and beyond(records[-1][0] - end, end - start)
    stop = records[-1][0] if cut else min(end, following or end)
    window = [r for r in records if start <= r[0] <= stop]
    before = [r[1] for r in records if r[0] < start and r[1] is not None]
    hrs = [r[2] for r in window if r[2]]
    rec_hr = round(sum(hrs) / len(hrs)) if hrs else None
    rec_d = increase([r[1] for r in window], before[-1] if before else 0.0)
    summary: Summary = {
        "start": start, "sport": s.get("sport"), "elapsed_s": elapsed, "moving_s": moving,
        "distance_m": s.get("total_distance"), "avg_hr": s.get("avg_heart_rate") or None,
        "sources": {"start": "session", "elapsed_s": "session", "moving_s": "session",
                    "distance_m": "session", "avg_hr": "session"},
    }  # fmt: skip
    if not summary["distance_m"]:
        dev = s.get(dev_name(msgs, "session", 9, {"distance", "total_distance"}))
        if dev:
            summary["distance_m"], summary["sources"]["distance_m"] = float(dev), "developer field"
        elif summary["distance_m"] is None and rec_d is not None:
            summary["distance_m"], summary["sources"]["distance_m"] = rec_d, "records"
    if summary["avg_hr"] is None and rec_hr is not None:
        summary["avg_hr"], summary["sources"]["avg_hr"] = rec_hr, "records"
    if cut:
        done = sum(e["moving_s"] or 0 for e in earlier)
        use_timer = timer is not None and timer - done > (moving or 0)
        times = [r[0] for r in window]
        along = filled([r[1] for r in window])
        summary.update(
            elapsed_s=window[-1][0] - start,
            distance_m=rec_d if rec_d is not None else summary["distance_m"],
            moving_s=timer - done if use_timer else moving_s(times, along),  # type: ignore[operator]
            avg_hr=rec_hr or summary["avg_hr"],
        )
        summary["sources"].update(
            elapsed_s="records", distance_m="records", avg_hr="records",
            moving_s="activity timer" if use_timer else "records (moving-time rule)",
        )  # fmt: skip
    return summary


def increase(values: list[Any], base: float) -> float | None:
    """The distance covered: the increases from ``base`` (a leg may start again from 0)."""
    if all(v is None for v in values):
        return None
    total, last = 0.0, base
    for v in values:
        if v is not None:
            total += max(0.0, v - last)
            last = v
    return total


def filled(values: list[Any]) -> list[float]:
    out, last = [], next((v for v in values if v is not None), 0.0)
    for v in values:
        last = last if v is None else v
        out.append(last)
    return out


def records_summary(
    records: list[tuple[float, Any, Any]], laps: list[dict[str, Any]], timer: float | None
) -> Summary:
    times = [r[0] for r in records]
    hrs = [r[2] for r in records if r[2]]
    span = times[-1] - times[0]
    summary: Summary = {
        "start": times[0], "sport": None, "elapsed_s": span,
        "distance_m": increase([r[1] for r in records], 0.0),
        "moving_s": timer or moving_s(times, filled([r[1] for r in records])),
        "avg_hr": round(sum(hrs) / len(hrs)) if hrs else None,
        "sources": {"start": "records", "elapsed_s": "records", "distance_m": "records",
                    "moving_s": "activity timer" if timer else "records (moving-time rule)",
                    "avg_hr": "records"},
    }  # fmt: skip
    lap_elapsed = sum(lap.get("total_elapsed_time") or 0 for lap in laps)
    if laps and not beyond(span - lap_elapsed, lap_elapsed):
        for key, field in (("distance_m", "total_distance"), ("elapsed_s", "total_elapsed_time"),
                           ("moving_s", "total_timer_time")):  # fmt: skip
            values = [lap[field] for lap in laps if lap.get(field) is not None]
            if values:
                summary[key], summary["sources"][key] = sum(values), "laps"
    return summary


def fit_entry(path: Path) -> dict[str, Any]:
    return decode_all(path, {
        "fitdecode": lambda p: fit_summaries(fitdecode_messages(p)),
        "garmin-fit-sdk": lambda p: fit_summaries(garmin_messages(p)),
    })  # fmt: skip


def decode_all(path: Path, decoders: dict[str, Callable[[Path], list[Summary]]]) -> dict[str, Any]:
    found: dict[str, list[Summary]] = {}
    refused = []
    for name, decode in decoders.items():
        try:
            found[name] = decode(path)
        except Exception as err:  # a decoder that refuses a file is reported, not fatal
            found[name] = []
            refused.append(f"{name}: {type(err).__name__}: {str(err)[:80]}")
    entry = merge(found)
    if refused:
        entry["refused"] = refused
    ok = bool(entry["activities"])
    entry["outcome"] = "ok" if ok else ("error" if len(refused) == len(decoders) else "skipped")
    return entry


# --- GPX: gpxpy and the file read with ElementTree ---------------------------------------


def gpxpy_gpx(path: Path) -> list[Summary]:
    import gpxpy

    gpx = gpxpy.parse(io.StringIO(path.read_text(encoding="utf-8", errors="replace")))
    segments = []
    for track in gpx.tracks:
        for seg in track.segments:
            pts = [p for p in seg.points if p.time is not None]
            segments.append([
                (p.time.timestamp(), p.latitude, p.longitude, p.elevation, hr_of(p.extensions))
                for p in pts
            ])  # fmt: skip
    return gpx_summary(segments, gpx.length_2d())


def hr_of(extensions: list[Any]) -> float | None:
    for ext in extensions:
        for el in ext.iter():
            if el.tag.rsplit("}", 1)[-1].lower() == "hr" and el.text:
                return float(el.text)
    return None


def etree_gpx(path: Path) -> list[Summary]:
    root = ET.parse(path).getroot()  # noqa: S314 - the project's own sample files
    segments, length = [], 0.0
    for seg in root.iter():
        if local(seg.tag) != "trkseg":
            continue
        points, placed = [], []
        for p in seg:
            if local(p.tag) != "trkpt":
                continue
            values = {local(e.tag): e.text for e in p.iter()}
            placed.append((None, float(p.get("lat", 0)), float(p.get("lon", 0))))
            if values.get("time"):
                when = datetime.fromisoformat(values["time"].strip().replace("Z", "+00:00"))
                when = when if when.tzinfo else when.replace(tzinfo=UTC)
                ele = values.get("ele")
                points.append((when.timestamp(), float(p.get("lat", 0)), float(p.get("lon", 0)),
                               float(ele) if ele else None,
                               float(values["hr"]) if values.get("hr") else None))  # fmt: skip
        segments.append(points)
        length += path_m(placed)[-1] if len(placed) > 1 else 0.0
    return gpx_summary(segments, length)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def path_m(points: list[tuple[Any, ...]]) -> list[float]:
    import math

    out = [0.0]
    for a, b in itertools.pairwise(points):
        p1, p2 = math.radians(a[1]), math.radians(b[1])
        dl = math.radians(b[2] - a[2])
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        out.append(out[-1] + 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h))))
    return out


def gpx_summary(segments: list[list[tuple[Any, ...]]], length: float) -> list[Summary]:
    times = [p[0] for s in segments for p in s]
    if len(times) < 10:
        return []
    hrs = [p[4] for s in segments for p in s if p[4]]
    moving = 0.0
    for s in segments:
        if len(s) > 1:
            moving += moving_s([p[0] for p in s], path_3d(s))
    return [{
        "start": min(times), "sport": None, "distance_m": length,
        "elapsed_s": max(times) - min(times), "moving_s": moving,
        "avg_hr": round(sum(hrs) / len(hrs)) if hrs else None,
        "sources": dict.fromkeys(("start", "distance_m", "elapsed_s", "avg_hr"), "track")
        | {"moving_s": "track (moving-time rule)"},
    }]  # fmt: skip


def path_3d(points: list[tuple[Any, ...]]) -> list[float]:
    """Steps in 3D where both heights are known and non-zero, as gpxpy measures them."""
    flat = path_m(points)
    out = [0.0]
    for i in range(1, len(points)):
        d = flat[i] - flat[i - 1]
        e1, e2 = points[i - 1][3], points[i][3]
        out.append(out[-1] + ((d * d + (e2 - e1) ** 2) ** 0.5 if e1 and e2 else d))
    return out


def gpx_entry(path: Path) -> dict[str, Any]:
    return decode_all(path, {"gpxpy": gpxpy_gpx, "ElementTree": etree_gpx})


# --- TCX: tcxreader and the laps read with ElementTree -------------------------------------


def tcx_laps(path: Path) -> list[Summary]:
    root = ET.parse(path).getroot()  # noqa: S314 - the project's own sample files
    out = []
    for act in root.iter():
        if local(act.tag) not in ("Activity", "Transition"):
            continue
        laps = (
            [act] if local(act.tag) == "Transition" else [e for e in act if local(e.tag) == "Lap"]
        )
        points = [p for lap in laps for p in lap.iter() if local(p.tag) == "Trackpoint"]
        summary = tcx_summary(laps, points)
        if summary:
            summary["sport"] = act.get("Sport", "transition")
            out.append(summary)
    return out


def child(el: ET.Element, name: str) -> str | None:
    for e in el:
        if local(e.tag) == name:
            return e.text
    return None


def when(text: str) -> float:
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).timestamp()


def tcx_summary(laps: list[ET.Element], points: list[ET.Element]) -> Summary | None:
    pts = []
    for p in points:
        t = child(p, "Time")
        if t:
            d = child(p, "DistanceMeters")
            hr = next((v.text for h in p if local(h.tag) == "HeartRateBpm" for v in h), None)
            pts.append((when(t), float(d) if d else None, float(hr) if hr else None))
    seconds = [float(child(lap, "TotalTimeSeconds") or 0) for lap in laps]
    if len(pts) < 10 and (pts or not any(seconds)):
        return None
    starts = [when(lap.get("StartTime", "")) for lap in laps if lap.get("StartTime")]
    start = min([*starts[:1], *(p[0] for p in pts[:1])])
    moving = sum(min(s, (starts[i + 1] - starts[i] + 1) if i + 1 < len(starts) else s)
                 for i, s in enumerate(seconds))  # fmt: skip
    end = max([start + moving, *(starts[-1] + seconds[-1] for _ in starts[:1]),
               *(p[0] for p in pts[-1:])])  # fmt: skip
    lap_d = sum(float(child(lap, "DistanceMeters") or 0) for lap in laps)
    dists = [p[1] for p in pts if p[1] is not None]
    track_d = max(dists) - dists[0] if dists else None
    hrs = [p[2] for p in pts if p[2]]
    use_track = bool(track_d) and (not lap_d or track_d > lap_d * (1 + DISAGREE_FRACTION))  # type: ignore[operator]
    return {
        "start": start, "distance_m": track_d if use_track else lap_d,
        "elapsed_s": end - start, "moving_s": min(moving, end - start),
        "avg_hr": round(sum(hrs) / len(hrs)) if hrs else None,
        "sources": {"start": "laps", "distance_m": "track" if use_track else "laps",
                    "elapsed_s": "laps and track", "moving_s": "laps",
                    "avg_hr": "track"},
    }  # fmt: skip


def tcxreader_summary(path: Path) -> list[Summary]:
    from tcxreader.tcxreader import TCXReader

    r = TCXReader().read(str(path), only_gps=False)
    hr = r.hr_avg
    if r.start_time is None:
        return []
    return [{
        "start": r.start_time.timestamp(), "distance_m": r.distance, "elapsed_s": r.duration,
        "avg_hr": None if hr is None else round(hr), "sport": None,
        "sources": {},
    }]  # fmt: skip


def tcx_entry(path: Path) -> dict[str, Any]:
    return decode_all(path, {"laps (ElementTree)": tcx_laps, "tcxreader": tcxreader_summary})


# --- agreement ---------------------------------------------------------------------------

TOLERANCE = {"start": 1.0, "distance_m": 0.005, "elapsed_s": 1.0, "moving_s": 1.0, "avg_hr": 1}


def agree(key: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if key == "distance_m":
        return abs(a - b) <= max(0.5, TOLERANCE[key] * abs(b))
    return abs(a - b) <= TOLERANCE[key]


def merge(found: dict[str, list[Summary]]) -> dict[str, Any]:
    """The first source's summaries, each value marked with the sources that agree on it."""
    names = [n for n, s in found.items() if s]
    main = found[names[0]] if names else []
    activities = []
    for i, s in enumerate(main):
        entry: dict[str, Any] = {"sport": s.get("sport")}
        for key in ("start", "distance_m", "elapsed_s", "moving_s", "avg_hr"):
            value = s[key]
            others = [n for n in names[1:] if i < len(found[n]) and key in found[n][i]]
            agreeing = [names[0]] + [n for n in others if agree(key, found[n][i][key], value)]
            differing = {n: show(key, found[n][i][key]) for n in others if n not in agreeing}
            entry[key] = show(key, value)
            entry.setdefault("sources", {})[key] = {
                "from": s["sources"].get(key, ""), "agree": agreeing, **(
                    {"differ": differing} if differing else {})}  # fmt: skip
        activities.append(entry)
    counts = {n: len(found[n]) for n in found}
    return {"activities": activities, "decoders": counts}


def show(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "start":
        return iso(value)
    return round(float(value), 3) if key != "avg_hr" else int(value)


# --- the files ---------------------------------------------------------------------------

# Why an entry is not a plain reading of one decoder's session (kept in the file as "note").
NOTES = {
    "tormoder__0134902991.fit": "the session stops 20 s before its records and the activity "
    "message's 740 s timer (written with its start as timestamp): the records give elapsed "
    "time and distance, the activity timer the moving time",
    "fitparse__20170518-191602-1740899583.fit": "an indoor row whose ErgIQ app writes "
    "total_distance = 0 and its 6,163 m in a developer field described as session field 9",
    "fitparse__activity-large-fenxi2-multisport.fit": "no session has a heart rate; each leg's "
    "comes from its own records (transitions included, as activities of their own)",
    "fitparse__activity-small-fenix2-run.fit": "the session has no heart rate: the records'",
    "fitparse__developer-types-sample.fit": "the session has no heart rate: the records'",
    "fittool__activity_developerdata.fit": "the session has neither distance nor heart rate: "
    "the records' (an SDK example: 1 m/s for an hour)",
    "garminsdk__ActivityDevFields.fit": "the session has neither distance nor heart rate: the "
    "records' (the same SDK example)",
    "fitparse__coros-pace-2-cycling-misaligned-fields.fit": "fitdecode refuses a field "
    "declared with a size its type cannot have; the Garmin SDK reads it; no session heart rate",
    "garminsdk__WithGearChangeData.fit": "no session: the records and the activity timer",
    "fitparse__antfs-dump.63.fit": "device-relative times (before 1990-01-01 + 2^28 s) are "
    "kept as written; the Garmin SDK refuses its compressed timestamps, fitdecode reads the "
    "session",
    "fitparse__compressed-speed-distance.fit": "as antfs-dump.63.fit: device-relative times, "
    "the Garmin SDK refuses its compressed timestamps",
    "togeojson__tour_hr.tcx": "its lap starts 16 min before the first track point and covers "
    "6.8 km where the (cropped) track covers 1.4 km: the lap, the file's own summary, decides; "
    "tcxreader starts at the first point and ends at the last",
    "togeojson__sample.tcx": "19 points over 24 min thinned from a longer track: the lap decides",
    "tcxparser__sup_activity_1.tcx": "the last lap ends 1.5 s after the last point",
    "sweatpy__activity_5039744860.tcx": "Garmin Connect's TCX export writes each lap's span as "
    "TotalTimeSeconds (126 s), though the watch paused 32 s (its FIT file: 93.7 s timer)",
    "sweatpy__activity_5039744860.gpx": "the watch was paused 32 s by hand: the moving-time "
    "rule gives 94 s as the FIT file's timer does (gpxpy: 126 s)",
    "togeojson__blue_hills.gpx": "three tracks recorded on different days, out of order: "
    "elapsed runs from the earliest point to the latest",
    "gpxpy__first_and_last_elevation.gpx": "its last point's time goes back an hour: elapsed "
    "runs from the earliest point to the latest",
}

READERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    ".fit": fit_entry,
    ".gpx": gpx_entry,
    ".tcx": tcx_entry,
}


def sample_files() -> list[tuple[str, Path]]:
    """Every valid sample (shared and shipped), the salvaged bad file, and every shipped
    fixture (their places say which)."""
    out = []
    for folder in ("fit", "gpx", "tcx"):
        out += [(f"shared/{folder}", p) for p in sorted((SHARED / folder).glob(f"*.{folder}"))]
    out += [("shared/bad", SHARED / "bad" / "fitparse__coros-pace-2-cycling-misaligned-fields.fit")]
    out += [("tests/data", p) for p in sorted(DATA.iterdir()) if p.suffix in READERS]
    return out


def main() -> None:
    warnings.simplefilter("ignore")
    reference: dict[str, Any] = {}
    for where, path in sample_files():
        entry = reference.get(path.name)
        if entry is None:
            entry = reference[path.name] = READERS[path.suffix](path)
        entry.setdefault("where", []).append(where)
    for name, entry in reference.items():
        if name in NOTES:
            entry["note"] = NOTES[name]
    REFERENCE.write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"{len(reference)} files -> {REFERENCE}\n")


if __name__ == "__main__":
    main()
