"""Push upload (issue 17 §4): one activity file as the raw request body, with a personal
token, as ``curl --data-binary @run.fit`` or a phone automation sends it."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from kneecap.db.accounts.models import ApiToken
from kneecap.db.runs.models import Activity, ImportJob
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"
RUN = (DATA / "fitparse__garmin-fenix-5-run.fit").read_bytes()
CURL = "application/x-www-form-urlencoded"  # what curl --data-binary sends by default


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


@pytest.fixture
def token(alice: Any) -> dict[str, str]:
    _, secret = ApiToken.issue(alice, "phone automation")
    return {"Authorization": f"Bearer {secret}"}


def push(
    client: Any, body: bytes, query: str = "", content_type: str = CURL, **headers: str
) -> Any:
    return client.post(f"/api/imports{query}", body, content_type=content_type, headers=headers)


def kept_uploads(settings: Any) -> list[Path]:
    folder = Path(settings.UPLOAD_DIR)
    return sorted(folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize(
    "content_type", [CURL, "application/octet-stream", "application/vnd.ant.fit"]
)
def test_a_raw_body_with_a_token_is_queued_and_imported(
    client: Any, token: dict[str, str], alice: Any, content_type: str, commits: Any, settings: Any
) -> None:
    with commits(execute=True):
        response = push(client, RUN, "?name=run.fit", content_type, **token)
    assert response.status_code == 201, response.content
    queued = response.json()
    assert queued["status"] == "queued" and queued["original_name"] == "run.fit"
    job = client.get(f"/api/imports/{queued['id']}", headers=token).json()
    assert (job["status"], job["imported"], job["errors"]) == ("done", 1, [])
    (run,) = Activity.objects.filter(owner=alice)
    assert (run.sport, run.source, round(run.distance_m or 0, 2)) == ("running", "fit", 157.56)
    assert not [p for p in kept_uploads(settings) if p.is_file()]  # read, then let go


def test_the_name_comes_from_content_disposition_first(
    client: Any, token: dict[str, str], commits: Any
) -> None:
    disposition = {"Content-Disposition": "attachment; filename*=UTF-8''morgenl%C3%B8b.fit"}
    with commits(execute=True):
        response = push(client, RUN, "?name=ignored.fit", **token, **disposition)
    assert response.status_code == 201
    assert response.json()["original_name"] == "morgenløb.fit"
    assert ImportJob.objects.get().upload.endswith("/morgenl_b.fit")


def test_without_a_name_a_recognisable_body_is_named_for_its_content(
    client: Any, token: dict[str, str], commits: Any
) -> None:
    tcx = (DATA / "togeojson__sample.tcx").read_bytes()
    with commits(execute=True):
        fit = push(client, RUN, **token)
        gz = push(client, gzip.compress(tcx), **token)
    assert [fit.json()["original_name"], gz.json()["original_name"]] == ["upload.fit", "upload.gz"]
    jobs = ImportJob.objects.order_by("pk")
    assert [(j.status, j.imported) for j in jobs] == [("done", 1), ("done", 1)]


def test_the_same_run_pushed_twice_is_one_run(
    client: Any, token: dict[str, str], alice: Any, commits: Any
) -> None:
    with commits(execute=True):
        push(client, RUN, "?name=run.fit", **token)
        again = push(client, RUN, "?name=run-again.fit", **token)
    job = client.get(f"/api/imports/{again.json()['id']}", headers=token).json()
    assert (job["imported"], job["duplicates"]) == (0, 1)
    assert Activity.objects.filter(owner=alice).count() == 1


def test_an_unnamed_body_that_cannot_be_recognised_is_422(
    client: Any, token: dict[str, str], settings: Any
) -> None:
    response = push(client, b"lap,time\n1,300\n", **token)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("file: ") and "Content-Disposition" in detail and "?name=" in detail
    assert not ImportJob.objects.exists() and not kept_uploads(settings)


def test_a_named_body_that_is_no_activity_is_queued_and_reported(
    client: Any, token: dict[str, str], commits: Any
) -> None:
    with commits(execute=True):
        response = push(client, b"lap,time\n1,300\n", "?name=laps.fit", **token)
    job = client.get(f"/api/imports/{response.json()['id']}", headers=token).json()
    assert job["status"] == "done" and job["imported"] == 0
    assert job["errors"][0]["error"] == "not FIT, GPX or TCX"


def test_an_empty_body_is_422(client: Any, token: dict[str, str]) -> None:
    response = push(client, b"", "?name=run.fit", **token)
    assert response.status_code == 422 and "empty" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_a_body_over_the_limit_is_413_before_anything_is_kept(
    client: Any, token: dict[str, str], settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = len(RUN) - 1
    response = push(client, RUN, "?name=run.fit", **token)
    assert response.status_code == 413
    assert response.json()["detail"].endswith(f"limit of {len(RUN) - 1:,} bytes")
    assert not ImportJob.objects.exists() and not kept_uploads(settings)


def test_without_a_token_it_is_401(client: Any, settings: Any) -> None:
    assert push(client, RUN, "?name=run.fit").status_code == 401
    bad = push(client, RUN, "?name=run.fit", Authorization="Bearer kc_not-a-token")
    assert bad.status_code == 401
    assert not ImportJob.objects.exists() and not kept_uploads(settings)


def test_raw_uploads_count_against_the_upload_rate_limit(
    client: Any, token: dict[str, str], settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (1, 3600)}
    cache.clear()  # earlier tests' uploads under the same account id
    assert push(client, RUN, "?name=run.fit", **token).status_code == 201
    refused = push(client, RUN, "?name=run.fit", **token)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert ImportJob.objects.count() == 1


def test_the_browser_session_may_push_a_body_too(alice: Any, commits: Any) -> None:
    with commits(execute=True):
        response = push(client_for(alice), RUN, "?name=run.fit", "application/octet-stream")
    assert response.status_code == 201
    assert Activity.objects.filter(owner=alice).count() == 1


def test_the_openapi_document_shows_both_bodies_and_the_curl_line(client: Any) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/api/imports"]["post"]
    body = operation["requestBody"]
    assert set(body["content"]) == {"application/octet-stream", "multipart/form-data"}
    assert "curl -H 'Authorization: Bearer kc_…' --data-binary @run.fit" in body["description"]
    assert "name" in {p["name"] for p in operation["parameters"]}


def test_a_script_without_a_token_gets_401_not_a_csrf_403(alice: Any) -> None:
    """A real client (CSRF checks on) with no session cookie and no token is told to
    authenticate; a browser session without its CSRF token still gets 403."""
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post("/api/imports", b"x", content_type="application/octet-stream").status_code
        == 401
    )
    wrong = anonymous.post(
        "/api/imports",
        b"x",
        content_type="application/octet-stream",
        headers={"Authorization": "Bearer kc_nope"},
    )
    assert wrong.status_code == 401
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post("/api/sessions", {}, content_type="application/json").status_code == 403
