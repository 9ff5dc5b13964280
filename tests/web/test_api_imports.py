from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kneecap.db.accounts.models import ApiToken
from kneecap.db.runs.models import Activity, ImportJob
from tests.web.conftest import client_for
from tests.web.test_import import DATA, export_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def isolated(settings: Any, tmp_path: Path) -> None:
    """Jobs run in the test process, files go under tmp_path."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """The on-commit enqueue, run when the block ends (as after the request's commit)."""
    return django_capture_on_commit_callbacks


def upload(client: Any, name: str, content: bytes, query: str = "", **headers: str) -> Any:
    files = {"file": SimpleUploadedFile(name, content)}
    return client.post(f"/api/imports{query}", files, headers=headers)


def test_an_uploaded_export_is_queued_then_reported(alice: Any, commits: Any) -> None:
    client = client_for(alice)
    with commits(execute=True):
        response = upload(client, "export.zip", export_zip())
    assert response.status_code == 201
    queued = response.json()
    assert queued["status"] == "queued" and queued["original_name"] == "export.zip"
    report = client.get(f"/api/imports/{queued['id']}").json()
    assert report["status"] == "done" and report["files_done"] == report["files_total"] > 0
    assert report["imported"] == Activity.objects.filter(owner=alice).count() > 0
    assert report["skipped"] > 0
    assert report["errors"] and all(set(e) == {"file", "error"} for e in report["errors"])


def test_a_personal_token_uploads_one_file(alice: Any, client: Any, commits: Any) -> None:
    _, token = ApiToken.issue(alice, "watch sync")
    auth = {"Authorization": f"Bearer {token}"}
    content = (DATA / "fitparse__Activity.fit").read_bytes()
    with commits(execute=True):
        response = upload(client, "run.fit", content, **auth)
    assert response.status_code == 201
    job = client.get(f"/api/imports/{response.json()['id']}", headers=auth).json()
    assert (job["status"], job["imported"]) == ("done", 1)
    assert upload(client, "run.fit", content).status_code == 401


def test_an_upload_over_the_limit_is_413_before_anything_is_kept(alice: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(client_for(alice), "big.fit", b"x" * 5000)
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    assert not ImportJob.objects.exists()
    assert not Path(settings.UPLOAD_DIR).exists() or not any(Path(settings.UPLOAD_DIR).iterdir())


def test_the_size_is_judged_before_the_body_is_read(alice: Any, client: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 10
    _, token = ApiToken.issue(alice, "script")
    response = client.post(
        "/api/imports",
        b"not multipart at all" * 10,  # parsing it would answer 400
        content_type="multipart/form-data; boundary=",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
    assert response.json()["detail"].endswith("limit of 10 bytes")


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/api/imports", {"other": SimpleUploadedFile("a.fit", b"fit")}),
        lambda c: c.post("/api/imports", {"file": SimpleUploadedFile("a.fit", b"")}),
        lambda c: c.post("/api/imports", {"name": "run"}, content_type="application/json"),
        lambda c: c.post("/api/imports"),
    ],
)
def test_an_upload_without_a_file_is_422_naming_the_field(alice: Any, send: Any) -> None:
    response = send(client_for(alice))
    assert response.status_code == 422 and "file" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_a_broken_multipart_body_is_400_not_500(alice: Any, client: Any) -> None:
    _, token = ApiToken.issue(alice, "script")
    response = client.post(
        "/api/imports",
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.fit"\r\n',
        content_type="multipart/form-data; boundary=",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400 and response.json()["detail"]


def jobs_for(owner: Any, days_ago: tuple[int, ...]) -> list[ImportJob]:
    jobs = []
    for days in days_ago:
        job = ImportJob.objects.create(owner=owner, original_name=f"{days}.fit", status="done")
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))
        jobs.append(job)
    return jobs


def test_jobs_are_listed_newest_first_paged_and_filtered_by_date(alice: Any) -> None:
    jobs_for(alice, (0, 4, 30))
    client = client_for(alice)
    listing = client.get("/api/imports").json()
    assert listing["count"] == 3
    assert [j["original_name"] for j in listing["items"]] == ["0.fit", "4.fit", "30.fit"]
    page = client.get("/api/imports", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and [j["original_name"] for j in page["items"]] == ["4.fit"]
    today = timezone.localdate()
    week = client.get("/api/imports", {"since": (today - timedelta(days=7)).isoformat()})
    assert week.json()["count"] == 2
    old = client.get("/api/imports", {"until": (today - timedelta(days=10)).isoformat()})
    assert [j["original_name"] for j in old.json()["items"]] == ["30.fit"]
    assert client.get("/api/imports", {"limit": 10_000}).status_code == 422


def test_a_coach_reads_the_imports_but_cannot_upload(alice: Any, bob: Any) -> None:
    (job,) = jobs_for(alice, (1,))
    coach = client_for(bob)
    on = f"?athlete={alice.pk}"
    assert coach.get(f"/api/imports{on}").json()["count"] == 1
    assert coach.get(f"/api/imports/{job.pk}{on}").status_code == 200
    assert coach.get(f"/api/imports/{job.pk}").status_code == 404  # not bob's own
    assert upload(coach, "run.fit", b"fit", on).status_code == 404
    assert ImportJob.objects.count() == 1


@pytest.mark.parametrize("on", ["", "?athlete={alice}"])
def test_a_stranger_gets_404_on_every_import_operation(alice: Any, charlie: Any, on: str) -> None:
    (job,) = jobs_for(alice, (1,))
    on = on.format(alice=alice.pk)
    stranger = client_for(charlie)
    assert stranger.get(f"/api/imports/{job.pk}{on}").status_code == 404
    if on:
        assert stranger.get(f"/api/imports{on}").status_code == 404
        assert upload(stranger, "run.fit", b"fit", on).status_code == 404
    else:
        assert stranger.get("/api/imports").json()["count"] == 0
    assert ImportJob.objects.count() == 1
