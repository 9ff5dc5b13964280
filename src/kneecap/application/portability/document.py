"""``kneecap.json``: every record linked to one account, collected and parsed back.

Rows are listed in primary-key order, which import preserves, so exporting an imported
account gives the same document again.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from kneecap.application.imports import original_key
from kneecap.application.log import checkins, sessions_of
from kneecap.application.portability.archive import FILE_NAME
from kneecap.application.portability.records import (
    M,
    PortabilityError,
    build,
    dump,
    expect_list,
    expect_name,
    expect_object,
)
from kneecap.core import log as core
from kneecap.core.catalog import CatalogError, Origin, exercise_from_dict
from kneecap.core.log import LogError
from kneecap.core.outcomes import OutcomeError, respond
from kneecap.core.profile import ProfileError, parse_profile
from kneecap.core.reminders import ReminderError, Reminders, parse_reminders
from kneecap.db.accounts.models import ApiToken, CoachLink, RunnerProfile
from kneecap.db.accounts.users import User
from kneecap.db.catalog.models import CustomExercise
from kneecap.db.runs.models import Activity, ImportJob
from kneecap.db.training.models import (
    CoachNote,
    ExerciseLog,
    MorningCheckin,
    OutcomeResponse,
    OutcomeSchedule,
    Pin,
    PlannedSession,
    SafetyEvent,
    SessionLog,
    SetLog,
)

FORMAT = "kneecap-account"
VERSION = 3
OLDER = (1, 2)  # read, upgraded to this version first (``_upgrade``)
SECTIONS = (
    "profile",
    "custom_exercises",
    "sessions",
    "planned_sessions",
    "checkins",
    "pins",
    "coach_notes",
    "notes_written",
    "activities",
    "import_jobs",
    "coach_links",
    "api_tokens",
    "files",
    "safety_events",
    "outcome_responses",
    "outcome_schedule",
)
ADDED_IN_3 = ("safety_events", "outcome_responses", "outcome_schedule")
SHA256 = re.compile(r"[0-9a-f]{64}")


def _name(user: User | None) -> str | None:
    return None if user is None else str(user.get_username())


def collect(user: User, files: dict[str, str]) -> dict[str, Any]:
    """Every record of ``user``; ``files`` maps stored paths to their archive names."""
    profile = RunnerProfile.objects.filter(user=user).first()
    mine = {"owner": user}
    return {
        "user": dump(user),
        "profile": None if profile is None else dump(profile),
        **_training_log(user),
        "activities": [
            dump(a, file=files.get(original_key(a)))
            for a in Activity.objects.filter(**mine).order_by("pk")
        ],
        "import_jobs": [dump(j) for j in ImportJob.objects.filter(**mine).order_by("pk")],
        **_with_others(user),
        "api_tokens": [dump(t) for t in ApiToken.objects.filter(user=user).order_by("pk")],
        **_safety_and_outcomes(user),
    }


def _safety_and_outcomes(user: User) -> dict[str, list[dict[str, Any]]]:
    """What the safety gate counts from (an account moved to another instance keeps its
    pauses), and the questionnaires with their schedule."""
    events = SafetyEvent.objects.filter(owner=user).select_related("by").order_by("at", "pk")
    schedule = OutcomeSchedule.objects.filter(owner=user).select_related("set_by")
    return {
        "safety_events": [dump(e, by=_name(e.by)) for e in events],
        "outcome_responses": [
            dump(r) for r in OutcomeResponse.objects.filter(owner=user).order_by("pk")
        ],
        "outcome_schedule": [dump(s, set_by=_name(s.set_by)) for s in schedule],
    }


def _training_log(user: User) -> dict[str, list[dict[str, Any]]]:
    mine = {"owner": user}
    sessions = list(
        SessionLog.objects.filter(**mine).order_by("pk").prefetch_related("exercises__sets")
    )
    exercises = CustomExercise.objects.filter(**mine).select_related("created_by")
    return {
        "custom_exercises": [
            dump(x, created_by=_name(x.created_by)) for x in exercises.order_by("pk")
        ],
        "sessions": [
            {
                "client_id": str(row.client_id) if row.client_id else None,
                "created_at": row.created_at.isoformat(),
                "updated_at": row.updated_at.isoformat(),
                **core.to_json(session),
            }
            for row, session in zip(sessions, sessions_of(sessions), strict=True)
        ],
        "planned_sessions": [dump(p) for p in PlannedSession.objects.filter(**mine).order_by("pk")],
        "checkins": [core.to_json(c) for c in checkins(user)],
    }


def _with_others(user: User) -> dict[str, list[dict[str, Any]]]:
    """Rows that involve another account, which travels as a username."""
    pins = Pin.objects.filter(owner=user).select_related("pinned_by")
    notes = CoachNote.objects.filter(athlete=user).select_related("author")
    written = CoachNote.objects.filter(author=user).exclude(athlete=user).select_related("athlete")
    links = CoachLink.objects.filter(Q(athlete=user) | Q(coach=user))
    return {
        "pins": [dump(p, pinned_by=_name(p.pinned_by)) for p in pins.order_by("pk")],
        "coach_notes": [dump(n, author=_name(n.author)) for n in notes.order_by("pk")],
        "notes_written": [dump(n, athlete=_name(n.athlete)) for n in written.order_by("pk")],
        "coach_links": [
            dump(k, athlete=_name(k.athlete), coach=_name(k.coach), invited_by=_name(k.invited_by))
            for k in links.select_related("athlete", "coach", "invited_by").order_by("pk")
        ],
    }


@dataclass
class Parsed:
    """A validated document as unsaved rows; relations to other accounts still by name."""

    user: User
    old_name: str = ""  # the username in the archive; ``user`` may get a new one
    profile: RunnerProfile | None = None
    custom: list[tuple[CustomExercise, str | None]] = field(default_factory=list)
    sessions: list[tuple[SessionLog, list[tuple[ExerciseLog, list[SetLog]]]]] = field(
        default_factory=list
    )
    planned: list[PlannedSession] = field(default_factory=list)
    checkins: list[MorningCheckin] = field(default_factory=list)
    pins: list[tuple[Pin, str | None]] = field(default_factory=list)
    notes: list[tuple[CoachNote, str]] = field(default_factory=list)
    notes_written: list[tuple[CoachNote, str]] = field(default_factory=list)
    activities: list[tuple[Activity, str | None]] = field(default_factory=list)
    jobs: list[ImportJob] = field(default_factory=list)
    links: list[tuple[CoachLink, str, str, str]] = field(default_factory=list)
    tokens: int = 0
    files: dict[str, tuple[str, int]] = field(default_factory=dict)
    events: list[tuple[SafetyEvent, str | None]] = field(default_factory=list)
    responses: list[OutcomeResponse] = field(default_factory=list)
    schedule: list[tuple[OutcomeSchedule, str | None]] = field(default_factory=list)


def parse(doc: Any) -> Parsed:
    """Check the whole document and build its rows; raises PortabilityError naming the spot."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PortabilityError("kneecap.json is not a kneecap account export")
    if doc.get("version") in OLDER:
        doc = _upgrade(doc)
    if doc.get("version") != VERSION:
        raise PortabilityError(f"unknown format version {doc.get('version')!r}: expected {VERSION}")
    expect_object(doc, "kneecap.json", {"format", "version", "exported_at", "user", *SECTIONS})
    user = build(get_user_model(), doc["user"], "user", set())
    parsed = Parsed(user=user, old_name=user.get_username())
    parsed.files = _files(doc["files"])
    parsed.profile = _profile(doc["profile"])
    _training(doc, parsed)
    parsed.activities = [
        (a, _file_ref(r["file"], parsed.files, w))
        for a, r, w in _rows(doc["activities"], "activities", Activity, "file")
    ]
    parsed.jobs = [j for j, _, _ in _rows(doc["import_jobs"], "import_jobs", ImportJob)]
    parsed.links = _links(doc["coach_links"], parsed.user.get_username())
    parsed.tokens = len(_rows(doc["api_tokens"], "api_tokens", ApiToken))
    _outcomes(doc, parsed)
    return parsed


def _outcomes(doc: dict[str, Any], parsed: Parsed) -> None:
    parsed.events = [
        (e, expect_name(r["by"], f"{w}.by", optional=True))
        for e, r, w in _rows(doc["safety_events"], "safety_events", SafetyEvent, "by")
    ]
    for row, _, at in _rows(doc["outcome_responses"], "outcome_responses", OutcomeResponse):
        try:  # scored again by core: the stored scores are never taken on the archive's word
            checked = respond(row.instrument, row.answered, row.answers, row.activities)
        except OutcomeError as exc:
            raise PortabilityError(f"{at}: {exc}") from None
        parsed.responses.append(OutcomeResponse.from_core(checked, created_at=row.created_at))
    schedule = _rows(doc["outcome_schedule"], "outcome_schedule", OutcomeSchedule, "set_by")
    if len(schedule) > 1:
        raise PortabilityError("outcome_schedule: an account has one schedule at most")
    parsed.schedule = [
        (s, expect_name(r["set_by"], f"{w}.set_by", optional=True)) for s, r, w in schedule
    ]


def _rows(items: Any, where: str, model: type[M], *relations: str) -> list[tuple[M, Any, str]]:
    """Each row of a list: (unsaved object, raw object, where it sits for messages)."""
    rows = []
    for i, raw in enumerate(expect_list(items, where)):
        at = f"{where}[{i}]"
        rows.append((build(model, raw, at, set(relations)), raw, at))
    return rows


def _training(doc: dict[str, Any], parsed: Parsed) -> None:
    for row, raw, at in _rows(
        doc["custom_exercises"], "custom_exercises", CustomExercise, "created_by"
    ):
        _check_exercise(row, at)
        parsed.custom.append(
            (row, expect_name(raw["created_by"], f"{at}.created_by", optional=True))
        )
    for i, raw in enumerate(expect_list(doc["sessions"], "sessions")):
        parsed.sessions.append(_session(raw, f"sessions[{i}]"))
    parsed.planned = [
        p for p, _, _ in _rows(doc["planned_sessions"], "planned_sessions", PlannedSession)
    ]
    parsed.checkins = [
        MorningCheckin.from_core(_logged(core.Checkin, raw, f"checkins[{i}]"))
        for i, raw in enumerate(expect_list(doc["checkins"], "checkins"))
    ]
    parsed.pins = [
        (p, expect_name(r["pinned_by"], f"{w}.pinned_by", optional=True))
        for p, r, w in _rows(doc["pins"], "pins", Pin, "pinned_by")
    ]
    parsed.notes = [
        (n, str(expect_name(r["author"], f"{w}.author")))
        for n, r, w in _rows(doc["coach_notes"], "coach_notes", CoachNote, "author")
    ]
    parsed.notes_written = [
        (n, str(expect_name(r["athlete"], f"{w}.athlete")))
        for n, r, w in _rows(doc["notes_written"], "notes_written", CoachNote, "athlete")
    ]


_SESSION_META = ("client_id", "created_at", "updated_at")


def _session(raw: Any, at: str) -> tuple[SessionLog, list[tuple[ExerciseLog, list[SetLog]]]]:
    """A session as core's JSON shape with its row's id and times; its next morning is the
    document's check-in of that day, so it is not stored twice."""
    if not isinstance(raw, dict):
        raise PortabilityError(f"{at}: expected an object")
    meta = {k: raw.get(k) for k in _SESSION_META}
    session = _logged(core.SessionLog, {k: v for k, v in raw.items() if k not in meta}, at)
    row = SessionLog.from_core(session, client_id=_uuid(meta["client_id"], f"{at}.client_id"))
    for name in ("created_at", "updated_at"):
        setattr(row, name, _instant(meta[name], f"{at}.{name}"))
    children = [
        (
            ExerciseLog.from_core(entry, position=p),
            [SetLog.from_core(done, position=i) for i, done in enumerate(entry.sets)],
        )
        for p, entry in enumerate(session.exercises)
    ]
    return row, children


def _logged(cls: type[Any], raw: Any, at: str) -> Any:
    try:
        return core.from_json(cls, raw, at)
    except LogError as exc:
        raise PortabilityError(str(exc)) from None


def _uuid(raw: Any, at: str) -> uuid.UUID | None:
    try:
        return None if raw is None else uuid.UUID(str(raw))
    except ValueError:
        raise PortabilityError(f"{at}: expected a UUID") from None


def _instant(raw: Any, at: str) -> datetime:
    try:
        found = datetime.fromisoformat(str(raw))
    except ValueError:
        found = None
    if found is None or found.tzinfo is None:
        raise PortabilityError(f"{at}: expected a date and time with its offset")
    return found


def _upgrade(doc: dict[str, Any]) -> dict[str, Any]:
    """An older document in this version's shape: version 2 lacks only the sections added in
    3 (empty then); version 1 also had sessions and check-ins in an older shape and rows
    without the fields they have gained since (taken at the values they had then)."""
    older = doc.get("version")
    doc = {**doc, "version": VERSION, **{name: [] for name in ADDED_IN_3 if name not in doc}}
    if older == 2:
        return doc
    doc["sessions"] = [_session_v1(s) for s in expect_list(doc.get("sessions"), "sessions")]
    doc["checkins"] = [
        {**c, "pain_location": None} if isinstance(c, dict) else c
        for c in expect_list(doc.get("checkins"), "checkins")
    ]
    doc["pins"] = [{"paused": False, **p} if isinstance(p, dict) else p for p in doc["pins"]]
    doc["activities"] = [
        {"stopped_for_pain": False, "summary_source": "", **a} if isinstance(a, dict) else a
        for a in doc["activities"]
    ]
    if isinstance(doc.get("profile"), dict):
        old = doc["profile"]
        doc["profile"] = {"screened_at": old.get("onboarded_at"), "rules": {}, **old}
    return doc


def _session_v1(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = {k: raw.get(k) for k in (*_SESSION_META, "date", "pain_after", "minutes", "rpe")}
    out["notes"] = raw.get("notes") or ""
    out["exercises"] = [_entry_v1(e) for e in raw.get("exercises") or []]
    return out


def _entry_v1(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = {k: raw.get(k) for k in ("exercise", "level", "pain_during", "rpe")}
    out["pain_location"] = raw.get("pain_location") or None
    out["sets"] = [
        {
            **{k: s.get(k) for k in ("reps", "hold_s", "distance_m", "duration_s", "load_kg")},
            "side": s.get("side") or None,
        }
        if isinstance(s, dict)
        else s
        for s in raw.get("sets") or []
    ]
    return out


def _files(raw: Any) -> dict[str, tuple[str, int]]:
    """The manifest: archive name → (SHA-256, size) of each original activity file."""
    files: dict[str, tuple[str, int]] = {}
    for i, entry in enumerate(expect_list(raw, "files")):
        at = f"files[{i}]"
        item = expect_object(entry, at, {"name", "sha256", "size"})
        name, sha, size = item["name"], item["sha256"], item["size"]
        if not isinstance(name, str) or not FILE_NAME.fullmatch(name) or name in files:
            raise PortabilityError(f"{at}.name: expected a unique name like files/NAME")
        if not isinstance(sha, str) or not SHA256.fullmatch(sha):
            raise PortabilityError(f"{at}.sha256: expected 64 lowercase hex digits")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise PortabilityError(f"{at}.size: expected a byte count")
        files[name] = (sha, size)
    return files


def _profile(raw: Any) -> RunnerProfile | None:
    if raw is None:
        return None
    if isinstance(raw, dict):  # exported before reminders existed: they take their defaults
        raw = {**Reminders().as_dict(), **raw}
    profile: RunnerProfile = build(RunnerProfile, raw, "profile", set())
    if not isinstance(profile.data, dict):
        raise PortabilityError("profile.data: expected an object")
    try:
        parse_reminders(profile.reminders_to_core().as_dict())
    except ReminderError as exc:
        raise PortabilityError(f"profile.{exc}") from None
    if profile.onboarded_at is not None:  # the planner reads it: it must be a valid profile
        try:
            parse_profile({**profile.data, "start_date": "2000-01-03"})
        except ProfileError as exc:
            raise PortabilityError(f"profile.data: {exc}") from None
    return profile


def _check_exercise(row: CustomExercise, where: str) -> None:
    if not isinstance(row.data, dict):
        raise PortabilityError(f"{where}.data: expected an object")
    try:
        exercise_from_dict(row.data, f"custom:{row.slug}", Origin.CUSTOM)
    except CatalogError as exc:
        raise PortabilityError(f"{where}.data: {exc}") from None


def _file_ref(raw: Any, files: dict[str, tuple[str, int]], where: str) -> str | None:
    if raw is None or (isinstance(raw, str) and raw in files):
        return raw
    raise PortabilityError(f"{where}.file: not listed in the files manifest")


def _links(raw: Any, me: str) -> list[tuple[CoachLink, str, str, str]]:
    links = []
    for link, row, at in _rows(raw, "coach_links", CoachLink, "athlete", "coach", "invited_by"):
        athlete, coach = (
            expect_name(row["athlete"], f"{at}.athlete"),
            expect_name(row["coach"], f"{at}.coach"),
        )
        inviter = expect_name(row["invited_by"], f"{at}.invited_by")
        if me not in (athlete, coach) or athlete == coach:
            raise PortabilityError(f"{at}: a link must join this account and another one")
        links.append((link, str(athlete), str(coach), str(inviter)))
    return links
