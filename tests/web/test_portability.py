"""Export, delete and re-import an account: nothing lost, nothing left behind, nothing leaked."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import uuid
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.http import Http404

from kneecap.application import coaching, outcomes
from kneecap.application import imports as importer
from kneecap.application.access import athlete_for
from kneecap.application.exercises import save_custom
from kneecap.application.portability.archive import Limits
from kneecap.application.portability.services import (
    PortabilityError,
    delete_user,
    export_user,
    import_account,
    write_export,
)
from kneecap.core.catalog import exercise_to_dict, load_catalog
from kneecap.core.reminders import Reminders
from kneecap.db.accounts.models import ApiToken, CoachLink, RunnerProfile
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
from tests.web.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

User = get_user_model()
OWNED = (
    RunnerProfile,
    SafetyEvent,
    OutcomeResponse,
    OutcomeSchedule,
    CustomExercise,
    SessionLog,
    ExerciseLog,
    SetLog,
    PlannedSession,
    MorningCheckin,
    Pin,
    CoachNote,
    Activity,
    ImportJob,
    ApiToken,
    CoachLink,
)
PROFILE = {
    "runs": {"tue": {"kind": "quality", "minutes": 50}, "sun": {"kind": "long", "minutes": 100}},
    "equipment": ["wall"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 1,
    "screening": {},
    "races": [],
}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run on-commit work (file moves and removals) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def fill(user: Any, coach: Any) -> None:
    """A bit of everything a runner accumulates, with a coach's pin and note."""
    RunnerProfile.objects.create(
        user=user,
        data=PROFILE,
        baseline_morning_pain=1,
        onboarded_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    exercise = exercise_to_dict(load_catalog().get("split-squat"))
    save_custom(user, {**exercise, "slug": "my-split-squat"}, author=coach)
    session = SessionLog.objects.create(
        owner=user, date=date(2026, 3, 2), client_id=uuid.uuid4(), minutes=25, rpe=6, notes="ok"
    )
    logged = ExerciseLog.objects.create(
        session=session, exercise="split-squat", level="bodyweight", pain_during=2, rpe=6
    )
    SetLog.objects.create(exercise=logged, position=0, reps=8, load_kg=12.5, side="left")
    SetLog.objects.create(exercise=logged, position=1, hold_s=30.25, side="right", flights=2)
    SessionLog.objects.create(
        owner=user, date=date(2026, 3, 4), pain_after=3, twisted_or_fell=True, pain_before=1
    )
    PlannedSession.objects.create(
        owner=user, date=date(2026, 3, 2), week_kind="build", minutes=25, why=["w"], items=[{}]
    )
    MorningCheckin.objects.create(owner=user, date=date(2026, 3, 3), pain=2, swelling=True)
    Pin.objects.create(
        owner=user,
        exercise="split-squat",
        level="bodyweight",
        prescription={"reps": 6},
        pinned_by=coach,
        note="stay here",
    )
    CoachNote.objects.create(athlete=user, author=coach, text="Good week.")
    for day, payload in enumerate([b"FIT original one", b"<gpx>two</gpx>"], start=1):
        sha = hashlib.sha256(payload).hexdigest()
        Activity.objects.create(
            owner=user,
            start=datetime(2026, 3, day, 7, tzinfo=UTC),
            distance_m=8012.5,
            source="fit",
            source_sha256=sha,
            file=importer.store_file(user.pk, payload, sha, "fit"),
        )
    Activity.objects.create(owner=user, start=datetime(2026, 3, 5, 18, tzinfo=UTC), name="Track")
    ImportJob.objects.create(
        owner=user,
        status="done",
        original_name="export.zip",
        files_total=2,
        imported=2,
        errors=[{"file": "x.fit", "error": "truncated"}],
        upload="1/export.zip",
    )
    ApiToken.issue(user, "laptop")
    # the gate's history: a trigger, the answers after it, a coach's clearance
    for minute, kind, extra in (
        (0, "trigger", {"key": "twist:2026-03-04", "text": "a twist or fall on 2026-03-04"}),
        (1, "answered", {"answers": {"urgent_weight": False}}),
        (2, "cleared", {"key": "rescreen", "note": "seen, fine", "by": coach}),
    ):
        at = datetime(2026, 3, 5, 9, minute, tzinfo=UTC)
        SafetyEvent.objects.create(owner=user, at=at, kind=kind, **extra)
    outcomes.record(user, "sane", [70], date(2026, 3, 5))
    OutcomeSchedule.objects.create(owner=user, interval_weeks=6, set_by=coach)


def document(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        loaded: dict[str, Any] = json.loads(zf.read("kneecap.json"))
    return loaded


def canonical(user: Any) -> dict[str, Any]:
    """Everything of the user that import restores, file hashes included."""
    doc = document(export_user(user))
    del doc["exported_at"], doc["api_tokens"]  # tokens are secrets: never restored
    return doc


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (User, *OWNED)}


def test_export_then_delete_then_import_restores_equal_data(
    alice: Any, bob: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    before, archive = canonical(alice), export_user(alice)
    assert len(before["files"]) == 2 and len(before["sessions"][0]["exercises"][0]["sets"]) == 2
    with commit():
        delete_user(alice)
    with commit():
        result = import_account(archive)

    assert canonical(result.user) == before
    assert result.skipped == ["1 API token(s): tokens are secrets, create new ones"]
    assert not result.user.has_usable_password()
    assert CoachLink.objects.get(athlete=result.user).coach == bob
    for run in Activity.objects.filter(owner=result.user).exclude(file=""):
        assert run.file.startswith(f"activities/{result.user.pk}/")
        original = gzip.decompress((media / run.file).read_bytes())
        assert hashlib.sha256(original).hexdigest() == run.source_sha256
    assert not list(media.glob(".import-account-*"))


def _as_version_1(doc: dict[str, Any]) -> dict[str, Any]:
    """A version-2 document written the way the first release wrote it: sessions, check-ins
    and pins as plain rows, without the fields rows have gained since."""
    old = {**doc, "version": 1}

    def entry(e: dict[str, Any], position: int) -> dict[str, Any]:
        sets = [
            {"position": i, **{k: v for k, v in one.items() if k not in {"flights", "side"}}}
            | {"side": one["side"] or ""}
            for i, one in enumerate(e["sets"])
        ]
        row = {k: e[k] for k in ("exercise", "level", "pain_during", "rpe")}
        return {
            **row,
            "position": position,
            "pain_location": e["pain_location"] or "",
            "sets": sets,
        }

    old["sessions"] = [
        {
            **{k: s[k] for k in ("date", "client_id", "pain_after", "notes", "created_at")},
            **{k: s[k] for k in ("updated_at", "minutes", "rpe")},
            "planned": True,
            "exercises": [entry(e, i) for i, e in enumerate(s["exercises"])],
        }
        for s in doc["sessions"]
    ]
    old["checkins"] = [
        {k: c[k] for k in ("date", "pain", "stiffness", "swelling")} for c in doc["checkins"]
    ]
    old["pins"] = [{k: v for k, v in p.items() if k != "paused"} for p in doc["pins"]]
    old["activities"] = [
        {k: v for k, v in a.items() if k not in {"stopped_for_pain", "summary_source"}}
        for a in doc["activities"]
    ]
    old["profile"] = {k: v for k, v in doc["profile"].items() if k not in {"screened_at", "rules"}}
    return old


def test_an_archive_of_the_first_format_still_imports(
    alice: Any, bob: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    SetLog.objects.filter(flights__isnull=False).update(flights=None)  # unknown then
    SessionLog.objects.update(twisted_or_fell=False, pain_before=None)
    before, archive = canonical(alice), export_user(alice)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    old = edited(entries, lambda d: d.update(_as_version_1(d)))
    with commit():
        delete_user(alice)
    with commit():
        result = import_account(zipped(old))
    after = canonical(result.user)
    assert after["sessions"] == before["sessions"] and after["checkins"] == before["checkins"]
    assert after["profile"]["screened_at"] == before["profile"]["onboarded_at"]


def test_imported_runs_travel_with_their_originals(alice: Any, media: Path, commit: Any) -> None:
    """Runs imported from files keep their originals in packs; the export writes each one
    (a multisport file once) and an import-account restores them whole."""
    data = Path(__file__).resolve().parents[1] / "data"
    files = ["fitparse__Activity.fit", "togeojson__sample.tcx", "fittool__activity_multisport.fit"]
    importer.import_paths(alice, [data / name for name in files])
    runs = Activity.objects.filter(owner=alice)
    assert runs.count() > len(files) and all(r.file.endswith(".pack") for r in runs)
    archive = export_user(alice)
    listed = document(archive)["files"]
    assert len(listed) == len(files)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert {zf.read(e["name"]) for e in listed} == {(data / n).read_bytes() for n in files}
    with commit():
        delete_user(alice)
    with commit():
        result = import_account(archive)
    for run in Activity.objects.filter(owner=result.user):
        original = gzip.decompress(importer.read_original(run))
        assert hashlib.sha256(original).hexdigest() == run.source_sha256


def test_an_archive_never_grants_access_to_another_runners_data(
    alice: Any, bob: Any, charlie: Any, media: Path, commit: Any
) -> None:
    CoachLink.objects.create(athlete=charlie, coach=alice, invited_by=charlie, status="active")
    CoachNote.objects.create(athlete=charlie, author=alice, text="Easy week, Charlie.")
    archive = export_user(alice)
    assert len(document(archive)["notes_written"]) == 1
    with commit():
        delete_user(alice)
    with commit():
        result = import_account(archive)

    invitation = CoachLink.objects.get(coach=result.user)
    assert (invitation.athlete, invitation.status) == (charlie, "pending")
    with pytest.raises(Http404):
        athlete_for(result.user, charlie.pk)
    assert not CoachNote.objects.filter(athlete=charlie).exists()
    assert any("invitation to accept" in line for line in result.skipped)
    assert any("note written for charlie" in line for line in result.skipped)
    assert CoachLink.objects.get(athlete=result.user).status == "active"  # bob sees alice's own
    coaching.accept(charlie, invitation.pk)  # charlie alone decides
    assert athlete_for(result.user, charlie.pk) == charlie


def test_links_and_notes_to_accounts_missing_here_are_skipped_and_reported(
    alice: Any, bob: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    archive = export_user(alice)
    with commit():
        delete_user(alice)
        delete_user(bob)
    with commit():
        result = import_account(archive, username="alice2")
    assert result.user.username == "alice2"
    assert any("coach link with bob" in line for line in result.skipped)
    assert any("note from bob" in line for line in result.skipped)
    assert not CoachLink.objects.exists()
    assert Pin.objects.get().pinned_by is None  # the pin stays; who pinned it is unknown here
    # a clearance counts only with its coach: without bob the trigger closes the gate again
    assert any("clearance by bob" in line for line in result.skipped)
    kinds = SafetyEvent.objects.filter(owner=result.user).values_list("kind", flat=True)
    assert sorted(kinds) == ["answered", "trigger"]


def test_an_archive_from_before_safety_events_and_questionnaires_imports(
    alice: Any, bob: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    archive = export_user(alice)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}

    def version_2(doc: dict[str, Any]) -> None:
        doc["version"] = 2
        for name in ("safety_events", "outcome_responses", "outcome_schedule"):
            del doc[name]

    with commit():
        delete_user(alice)
    with commit():
        result = import_account(zipped(edited(entries, version_2)))
    assert not SafetyEvent.objects.filter(owner=result.user).exists()
    assert not OutcomeResponse.objects.filter(owner=result.user).exists()


def test_a_questionnaire_is_scored_again_on_import(
    alice: Any, bob: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    archive = export_user(alice)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}

    def forged(doc: dict[str, Any]) -> None:
        doc["outcome_responses"][0]["scores"] = {"score": 100.0}

    def out_of_range(doc: dict[str, Any]) -> None:
        doc["outcome_responses"][0]["answers"] = [170]

    with commit():
        delete_user(alice)
    with pytest.raises(PortabilityError, match=r"outcome_responses\[0\]"):
        import_account(zipped(edited(entries, out_of_range)))
    with commit():
        result = import_account(zipped(edited(entries, forged)))
    assert OutcomeResponse.objects.get(owner=result.user).scores == {"score": 70.0}


def test_the_export_is_byte_for_byte_repeatable_and_holds_no_secret(
    alice: Any, bob: Any, media: Path
) -> None:
    fill(alice, bob)
    profile = RunnerProfile.objects.get(user=alice)
    profile.new_calendar_token()
    profile.save()
    when, first, second = datetime(2026, 3, 9, tzinfo=UTC), io.BytesIO(), io.BytesIO()
    write_export(alice, first, now=when)
    write_export(alice, second, now=when)
    assert first.getvalue() == second.getvalue()
    text = json.dumps(document(first.getvalue()))
    token = ApiToken.objects.get(user=alice)
    for secret in (token.token_hash, token.prefix, profile.calendar_token_hash, alice.password):
        assert secret not in text
    assert document(first.getvalue())["api_tokens"][0]["name"] == "laptop"


def test_an_original_missing_on_disk_is_left_out_not_fatal(
    alice: Any, bob: Any, media: Path
) -> None:
    fill(alice, bob)
    lost = Activity.objects.exclude(file="").order_by("pk").first()
    assert lost is not None
    (media / lost.file).unlink()
    doc = document(export_user(alice))
    assert len(doc["files"]) == 1
    assert [a["file"] is None for a in doc["activities"]] == [True, False, True]


# The web pages -----------------------------------------------------------------------------


def test_the_download_button_gives_the_runner_their_own_zip(
    alice: Any, bob: Any, media: Path
) -> None:
    fill(alice, bob)
    response = client_for(alice).post("/account/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="kneecap-alice-' in response["Content-Disposition"]
    doc = document(b"".join(response.streaming_content))
    assert doc["user"]["username"] == "alice" and len(doc["sessions"]) == 2


def test_coach_and_stranger_get_only_their_own_data(
    alice: Any, bob: Any, charlie: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    for user in (bob, charlie):
        response = client_for(user).get("/account/export/", {"athlete": alice.pk})
        doc = document(b"".join(response.streaming_content))
        assert doc["user"]["username"] == user.username
        assert doc["sessions"] == doc["activities"] == doc["files"] == doc["pins"] == []
    with commit():
        response = client_for(charlie).post(
            "/account/delete/", {"password": PASSWORD, "confirm": "DELETE"}
        )
    assert response.status_code == 302
    assert not User.objects.filter(username="charlie").exists()
    assert canonical(alice)["sessions"]  # charlie deleted himself, never alice


def test_anonymous_visitors_are_sent_to_log_in(alice: Any) -> None:
    client = client_for(alice)
    client.logout()
    for url in ("/account/export/", "/account/delete/"):
        assert client.get(url).status_code == 302


def test_deleting_removes_rows_files_sessions_tokens_and_links(
    alice: Any, bob: Any, charlie: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    upload = media.parent / "uploads" / "1" / "export.zip"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"zip")
    other_browser, bystander = client_for(alice), client_for(charlie)
    folder = media / "activities" / str(alice.pk)
    assert len(list(folder.iterdir())) == 2
    client = client_for(alice, csrf=True)
    page = client.get("/account/delete/")
    assert b"Download all my data" in page.content
    with commit():
        response = client.post(
            "/account/delete/",
            {
                "password": PASSWORD,
                "confirm": "DELETE",
                "csrfmiddlewaretoken": page.context["csrf_token"],
            },
        )
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert not User.objects.filter(username="alice").exists()
    left = counts()
    assert left["CustomExercise"] == left["Pin"] == left["CoachNote"] == left["SessionLog"] == 0
    assert all(left[m.__name__] == 0 for m in OWNED)
    assert not folder.exists() and not upload.exists()
    assert other_browser.get("/settings/").status_code == 302
    assert bystander.get("/settings/").status_code == 200
    assert Session.objects.count() == 1  # charlie's


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("not my password", "DELETE", b"That is not your password."),
        (PASSWORD, "delete", b"Type DELETE in capitals"),
        (PASSWORD, "", b"This field is required."),
    ],
)
def test_a_wrong_password_or_confirmation_keeps_everything(
    alice: Any, bob: Any, media: Path, commit: Any, password: str, confirm: str, message: bytes
) -> None:
    fill(alice, bob)
    before, files = counts(), sorted(media.rglob("*"))
    client = client_for(alice)
    with commit():
        response = client.post("/account/delete/", {"password": password, "confirm": confirm})
    assert response.status_code == 400
    assert message in response.content
    assert counts() == before and sorted(media.rglob("*")) == files
    assert client.get("/settings/").status_code == 200


# Hostile or broken archives ----------------------------------------------------------------


def zipped(entries: dict[str, bytes], symlink: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name == symlink:
                info.external_attr = 0o120777 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


@pytest.fixture
def exported(alice: Any, bob: Any, media: Path, commit: Any) -> dict[str, bytes]:
    """Alice's archive as entries, after her account is gone (so her name is free)."""
    fill(alice, bob)
    with zipfile.ZipFile(io.BytesIO(export_user(alice))) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    with commit():
        delete_user(alice)
    return entries


def edited(entries: dict[str, bytes], change: Any) -> dict[str, bytes]:
    doc = json.loads(entries["kneecap.json"])
    change(doc)
    return {**entries, "kneecap.json": json.dumps(doc).encode()}


def _first_file(entries: dict[str, bytes]) -> str:
    return next(name for name in entries if name.startswith("files/"))


HOSTILE: list[tuple[str, Any, str]] = [
    ("zip slip", lambda e: {**e, "../evil.sh": b"x"}, "unexpected entry '../evil.sh'"),
    ("absolute", lambda e: {**e, "/etc/cron.d/x": b"x"}, "unexpected entry"),
    ("climbing file", lambda e: {**e, "files/../../x": b"x"}, "unexpected entry"),
    ("nested file", lambda e: {**e, "files/a/b.fit": b"x"}, "unexpected entry"),
    ("backslashes", lambda e: {**e, "files\\..\\x": b"x"}, "unexpected entry"),
    ("unlisted file", lambda e: {**e, "files/extra.fit": b"x"}, "not in the manifest"),
    (
        "missing file",
        lambda e: {k: v for k, v in e.items() if k != _first_file(e)},
        "not in the archive",
    ),
    ("altered file", lambda e: {**e, _first_file(e): b"tampered"}, "does not match the SHA-256"),
    (
        "no document",
        lambda e: {k: v for k, v in e.items() if k != "kneecap.json"},
        "no kneecap.json",
    ),
    ("bad JSON", lambda e: {**e, "kneecap.json": b"{not json"}, "not valid JSON"),
    ("deep JSON", lambda e: {**e, "kneecap.json": b"[" * 200_000}, "not valid JSON"),
    ("other JSON", lambda e: {**e, "kneecap.json": b'{"format": "x"}'}, "not a kneecap account"),
    ("newer format", lambda e: edited(e, lambda d: d.update(version=4)), "format version 4"),
    ("extra key", lambda e: edited(e, lambda d: d.update(more=1)), "unexpected more"),
    (
        "pain 11",
        lambda e: edited(e, lambda d: d["checkins"][0].update(pain=11)),
        "checkins[0].pain",
    ),
    (
        "wrong type",
        lambda e: edited(e, lambda d: d["sessions"][0].update(notes={})),
        "sessions[0].notes",
    ),
    (
        "naive time",
        lambda e: edited(e, lambda d: d["pins"][0].update(created_at="2026-03-01T10:00")),
        "pins[0].created_at",
    ),
    (
        "bad set",
        lambda e: edited(e, lambda d: d["sessions"][0]["exercises"][0]["sets"][0].update(reps=-1)),
        "sessions[0].exercises[0].sets[0].reps",
    ),
    (
        "bad exercise",
        lambda e: edited(e, lambda d: d["custom_exercises"][0]["data"].update(levels=[])),
        "custom_exercises[0].data",
    ),
    (
        "unknown file",
        lambda e: edited(e, lambda d: d["activities"][0].update(file="files/nope.fit")),
        "not listed",
    ),
    (
        "stranger's link",
        lambda e: edited(e, lambda d: d["coach_links"][0].update(athlete="eve")),
        "a link must join",
    ),
    (
        "same day twice",
        lambda e: edited(e, lambda d: d["checkins"].append(d["checkins"][0])),
        "uniqueness rule",
    ),
]


@pytest.mark.parametrize(("label", "change", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_broken_or_hostile_archive_is_refused_clearly_and_writes_nothing(
    exported: dict[str, bytes], media: Path, commit: Any, label: str, change: Any, message: str
) -> None:
    before, files = counts(), sorted(media.rglob("*"))
    with (
        commit(),
        pytest.raises(PortabilityError, match=re.escape(message)),
    ):
        import_account(zipped(change(exported)))
    assert counts() == before
    assert sorted(p for p in media.rglob("*") if p.name != ".import.lock") == [
        p for p in files if p.name != ".import.lock"
    ]


def test_a_symlink_entry_is_refused(exported: dict[str, bytes]) -> None:
    data = zipped({**exported, "files/link.fit": b"/etc/passwd"}, symlink="files/link.fit")
    with pytest.raises(PortabilityError, match="symbolic link"):
        import_account(data)


def test_size_limits_and_zip_bombs_are_refused_before_unpacking(exported: dict[str, bytes]) -> None:
    with pytest.raises(PortabilityError, match="larger than 4 bytes"):
        import_account(zipped(exported), limits=Limits(file_bytes=4))
    bomb = zipped({**exported, "files/zeros.fit": bytes(4 << 20)})
    with pytest.raises(PortabilityError, match="zip bomb"):
        import_account(bomb)
    with pytest.raises(PortabilityError, match="more than 2 entries"):
        import_account(zipped(exported), limits=Limits(entries=2))
    with pytest.raises(PortabilityError, match="cannot open the archive as a zip"):
        import_account(b"this is not a zip")


def test_an_existing_username_is_refused(alice: Any, bob: Any, media: Path) -> None:
    fill(alice, bob)
    with pytest.raises(PortabilityError, match="account named 'alice' already exists"):
        import_account(export_user(alice))
    with pytest.raises(PortabilityError, match="username: Enter a valid username"):
        import_account(export_user(alice), username="no spaces allowed")


def test_reminders_travel_and_an_archive_from_before_them_takes_the_defaults(
    alice: Any, bob: Any, media: Path, commit: Any
) -> None:
    fill(alice, bob)
    mine = Reminders(session_time=time(6, 15), lead_minutes=60, checkin_email=True)
    RunnerProfile.objects.filter(user=alice).update(**mine.as_dict())
    with zipfile.ZipFile(io.BytesIO(export_user(alice))) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    with commit():
        delete_user(alice)
    with commit():
        restored = import_account(zipped(entries)).user
    assert RunnerProfile.objects.get(user=restored).reminders_to_core() == mine
    with commit():
        delete_user(restored)

    def forget(doc: dict[str, Any]) -> None:
        for name in mine.as_dict():
            del doc["profile"][name]

    with commit():
        older = import_account(zipped(edited(entries, forget))).user
    assert RunnerProfile.objects.get(user=older).reminders_to_core() == Reminders()
    with commit():
        delete_user(older)
    bad = edited(entries, lambda d: d["profile"].update(time_zone="Mars/Olympus"))
    with pytest.raises(PortabilityError, match=r"profile\.time_zone"):
        import_account(zipped(bad))
