"""The admin: the instance owner manages accounts, links, tokens and imports; health data
is for reading only, and an account deleted here goes the same way as "delete my account"."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models

from kneecap.application import imports as importer
from kneecap.db.accounts.models import ApiToken, CoachLink, RunnerProfile
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
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

HEALTH = (
    RunnerProfile,
    SessionLog,
    ExerciseLog,
    SetLog,
    MorningCheckin,
    Pin,
    CoachNote,
    Activity,
    PlannedSession,
)


@pytest.fixture
def owner(db: Any) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def health(alice: Any, bob: Any) -> dict[type[models.Model], models.Model]:
    """One row of each kind of health data, all alice's."""
    session = SessionLog.objects.create(owner=alice, date=date(2026, 3, 2), minutes=20)
    exercise = ExerciseLog.objects.create(session=session, exercise="split-squat", level="bw")
    rows: list[models.Model] = [
        RunnerProfile.objects.create(user=alice, data={}),
        session,
        exercise,
        SetLog.objects.create(exercise=exercise, reps=8),
        MorningCheckin.objects.create(owner=alice, date=date(2026, 3, 3), pain=2),
        Pin.objects.create(owner=alice, exercise="split-squat", level="bw", pinned_by=bob),
        CoachNote.objects.create(athlete=alice, author=bob, text="Nice."),
        Activity.objects.create(owner=alice, start=datetime(2026, 3, 1, tzinfo=UTC)),
        PlannedSession.objects.create(
            owner=alice, date=date(2026, 3, 2), week_kind="build", minutes=20
        ),
    ]
    return {type(row): row for row in rows}


def url(model: type[models.Model], page: str = "", pk: Any = None) -> str:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return base + (f"{pk}/" if pk is not None else "") + page


@pytest.mark.parametrize("model", HEALTH, ids=[m.__name__ for m in HEALTH])
def test_health_data_is_shown_but_cannot_be_added_changed_or_deleted(
    owner: Any, health: dict[type[models.Model], models.Model], model: type[models.Model]
) -> None:
    row, client = health[model], client_for(owner)
    assert client.get(url(model)).status_code == 200
    page = client.get(url(model, "change/", row.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    shown = [f for fieldset in page.context["adminform"] for line in fieldset for f in line]
    assert shown and all(f.is_readonly for f in shown)
    assert client.post(url(model, "change/", row.pk), {}).status_code == 403
    assert client.get(url(model, "add/")).status_code == 403
    assert client.post(url(model, "delete/", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_tokens_are_listed_and_revoked_without_showing_their_hash(owner: Any, alice: Any) -> None:
    token, secret = ApiToken.issue(alice, "laptop")
    client = client_for(owner)
    for page in (url(ApiToken), url(ApiToken, "change/", token.pk)):
        body = client.get(page).content
        assert b"laptop" in body
        assert token.token_hash.encode() not in body and secret.encode() not in body
    assert client.get(url(ApiToken, "add/")).status_code == 403
    client.post(url(ApiToken, "delete/", token.pk), {"post": "yes"})
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_coach_links_and_reviews_imports(
    owner: Any, alice: Any, bob: Any
) -> None:
    job = ImportJob.objects.create(owner=alice, status="done", original_name="strava.zip")
    client = client_for(owner)
    assert b"strava.zip" in client.get(url(ImportJob)).content
    assert client.post(url(ImportJob, "change/", job.pk), {}).status_code == 403
    link = CoachLink.objects.get()
    response = client.post(
        url(CoachLink), {"action": "revoke", "_selected_action": [link.pk]}, follow=True
    )
    assert b"1 link(s) revoked." in response.content
    link.refresh_from_db()
    assert link.status == "revoked"


def test_a_runner_or_coach_cannot_open_the_admin(alice: Any, bob: Any) -> None:
    for user in (alice, bob):
        response = client_for(user).get(url(SessionLog))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_deleting_an_account_in_the_admin_removes_its_files_too(
    owner: Any, alice: Any, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    data = b"original"
    sha = hashlib.sha256(data).hexdigest()
    stored = importer.store_file(alice.pk, data, sha, "fit")
    Activity.objects.create(owner=alice, start=datetime(2026, 3, 1, tzinfo=UTC), file=stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            url(get_user_model(), "delete/", alice.pk), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not (tmp_path / stored).exists()


def test_deleting_several_accounts_at_once_goes_the_same_way(
    owner: Any, alice: Any, charlie: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client_for(alice)  # a live session that must end with the account
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(
            url(get_user_model()),
            {
                "action": "delete_selected",
                "_selected_action": [alice.pk, charlie.pk],
                "post": "yes",
            },
        )
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["root"]
    assert Session.objects.count() == 1  # the owner's own
