"""``kneecap.json``: every record linked to one account, collected and parsed back.

Rows are listed in primary-key order, which import preserves, so exporting an imported
account gives the same document again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from kneecap.application.imports import original_key
from kneecap.application.portability.archive import FILE_NAME
from kneecap.application.portability.records import (
    PortabilityError,
    build,
    dump,
    expect_list,
    expect_name,
    expect_object,
)
from kneecap.core.catalog import CatalogError, Origin, exercise_from_dict
from kneecap.core.profile import ProfileError, parse_profile
from kneecap.db.accounts.models import ApiToken, CoachLink, RunnerProfile
from kneecap.db.catalog.models import CustomExercise
from kneecap.db.runs.models import Activity, ImportJob
from kneecap.db.training.models import (
    CoachNote,
    ExerciseLog,
    MorningCheckin,
    Pin,
    PlannedSession,
    SessionLog,
    SetLog,
)

FORMAT = "kneecap-account"
VERSION = 1
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
)
SHA256 = re.compile(r"[0-9a-f]{64}")


def _name(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def collect(user: Any, files: dict[str, str]) -> dict[str, Any]:
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
    }


def _training_log(user: Any) -> dict[str, list[dict[str, Any]]]:
    mine = {"owner": user}
    sessions = SessionLog.objects.filter(**mine).order_by("pk").prefetch_related("exercises__sets")
    exercises = CustomExercise.objects.filter(**mine).select_related("created_by")
    return {
        "custom_exercises": [
            dump(x, created_by=_name(x.created_by)) for x in exercises.order_by("pk")
        ],
        "sessions": [
            dump(
                s,
                exercises=[
                    dump(e, sets=[dump(t) for t in e.sets.all()]) for e in s.exercises.all()
                ],
            )
            for s in sessions
        ],
        "planned_sessions": [dump(p) for p in PlannedSession.objects.filter(**mine).order_by("pk")],
        "checkins": [dump(c) for c in MorningCheckin.objects.filter(**mine).order_by("pk")],
    }


def _with_others(user: Any) -> dict[str, list[dict[str, Any]]]:
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

    user: Any
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


def parse(doc: Any) -> Parsed:
    """Check the whole document and build its rows; raises PortabilityError naming the spot."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PortabilityError("kneecap.json is not a kneecap account export")
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
    return parsed


def _rows(items: Any, where: str, model: Any, *relations: str) -> list[tuple[Any, Any, str]]:
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
    for session, raw, at in _rows(doc["sessions"], "sessions", SessionLog, "exercises"):
        exercises = [
            (e, [s for s, _, _ in _rows(r["sets"], f"{w}.sets", SetLog)])
            for e, r, w in _rows(raw["exercises"], f"{at}.exercises", ExerciseLog, "sets")
        ]
        parsed.sessions.append((session, exercises))
    parsed.planned = [
        p for p, _, _ in _rows(doc["planned_sessions"], "planned_sessions", PlannedSession)
    ]
    parsed.checkins = [c for c, _, _ in _rows(doc["checkins"], "checkins", MorningCheckin)]
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
    profile: RunnerProfile = build(RunnerProfile, raw, "profile", set())
    if not isinstance(profile.data, dict):
        raise PortabilityError("profile.data: expected an object")
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
