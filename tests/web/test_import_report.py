"""An import that tells you what happened (issue 18.6), and never where the server keeps
things: no page and no import error shows the data directory's path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kneecap.application import imports as importer
from kneecap.core.profile import WEEKDAYS
from kneecap.db.runs.models import ImportJob
from tests.web.conftest import client_for
from tests.web.test_api_plan_runs import PROFILE, put_profile
from tests.web.test_import import DATA, export_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any, tmp_path: Path) -> None:
    """Uploads and kept files under a data directory of this test, so its path is known."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DATA_DIR = tmp_path / "kneecap-data"
    settings.MEDIA_ROOT = settings.DATA_DIR / "files"
    settings.UPLOAD_DIR = settings.DATA_DIR / "uploads"


def _places() -> list[str]:
    return [str(settings.DATA_DIR), str(settings.UPLOAD_DIR), "/uploads/"]


def _upload(client: Any, commits: Any, name: str, data: bytes) -> str:
    with commits(execute=True):
        response = client.post("/runs/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    return str(client.get(response["Location"]).content.decode())


def _clean(page: str) -> None:
    for place in _places():
        assert place not in page, place


def test_the_report_lists_runs_skipped_files_and_errors_with_reasons(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(alice)
    page = _upload(client, django_capture_on_commit_callbacks, "export.zip", export_zip())
    _clean(page)
    assert "Runs imported" in page and " km</td>" in page
    assert "Skipped (" in page and "Files that could not be read" in page
    assert "export.zip/<wbr>export/<wbr>" in page  # named inside the upload, wrapping
    again = _upload(client, django_capture_on_commit_callbacks, "export.zip", export_zip())
    _clean(again)
    assert "Already there (" in again and "already in your history" in again


@pytest.mark.parametrize(
    "name",
    [
        "fitparse__activity-unexpected-eof.fit",  # damaged
        "tormoder__unterminated-strings.fit",
        "fitparse__Settings.fit",  # not an activity: skipped
        "togeojson__empty_trk.gpx",
    ],
)
def test_no_kind_of_import_error_shows_a_server_path(
    alice: Any, django_capture_on_commit_callbacks: Any, name: str
) -> None:
    page = _upload(
        client_for(alice), django_capture_on_commit_callbacks, name, (DATA / name).read_bytes()
    )
    _clean(page)
    job = ImportJob.objects.get()
    _clean(str(job.errors))
    assert job.imported or job.skipped or job.errors


def test_an_unreadable_upload_names_no_server_path(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    page = _upload(
        client_for(alice), django_capture_on_commit_callbacks, "run.fit", b"not a fit file at all"
    )
    _clean(page)
    assert "run.fit" in page


def test_an_import_that_stops_names_no_server_path(
    alice: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(owner: Any, paths: list[Path], **kwargs: Any) -> Any:
        raise OSError(f"[Errno 28] No space left on device: '{paths[0]}'")

    monkeypatch.setattr(importer, "import_paths", broken)
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):  # the task backend logs the error
        client.post("/runs/import/", {"file": SimpleUploadedFile("run.fit", b"x")})
    job = ImportJob.objects.get()
    page = client.get(f"/runs/import/{job.pk}/").content.decode()
    _clean(page)
    assert "the import stopped" in page and "run.fit" in page


MAIN_PAGES = [
    "/",
    "/today/",
    "/plan/",
    "/plan/month/",
    "/progress/",
    "/history/",
    "/sessions/new/",
    "/runs/",
    "/runs/import/",
    "/load/",
    "/exercises/",
    "/coaching/",
    "/coaching/athletes/",
    "/settings/",
]


def test_no_main_page_shows_the_data_directory(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(alice)
    today = WEEKDAYS[timezone.localdate().weekday()]
    put_profile(client, {**PROFILE, "runs": {today: {"kind": "quality", "minutes": 45}}})
    _upload(client, django_capture_on_commit_callbacks, "export.zip", export_zip())
    for path in MAIN_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        _clean(response.content.decode())
