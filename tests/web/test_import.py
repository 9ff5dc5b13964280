from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kneecap.application import imports as importer
from kneecap.db.runs.models import Activity, ImportJob
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"
KEYS = {
    "id",
    "start",
    "sport",
    "distance_m",
    "elapsed_s",
    "moving_s",
    "ascent_m",
    "descent_m",
    "avg_hr",
    "max_hr",
    "has_gps",
    "source",
    "summary_source",
}


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """Run the on-commit enqueue inside the test's transaction."""
    return django_capture_on_commit_callbacks


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.UPLOAD_DIR = tmp_path / "uploads"


def export_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(DATA.iterdir()):
            if path.suffix in {".fit", ".gpx", ".tcx"}:
                archive.write(path, f"export/{path.name}")
    return buffer.getvalue()


def test_an_uploaded_export_is_imported_with_a_report(alice: Any, commits: Any) -> None:
    client = client_for(alice)
    upload = SimpleUploadedFile("export.zip", export_zip(), content_type="application/zip")
    with commits(execute=True):
        response = client.post("/runs/import/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "done" and job.files_total == job.files_done > 0
    assert job.imported == Activity.objects.filter(owner=alice).count() > 0
    assert job.skipped > 0 and job.errors  # settings/workouts skipped, damaged files reported
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page and "Could not be read" in page
    from django.conf import settings

    assert not any(Path(settings.UPLOAD_DIR).iterdir())  # the upload is gone once read


def test_importing_the_same_export_twice_adds_nothing(alice: Any, commits: Any) -> None:
    client = client_for(alice)
    for _ in range(2):
        with commits(execute=True):
            client.post("/runs/import/", {"file": SimpleUploadedFile("export.zip", export_zip())})
    first, second = ImportJob.objects.order_by("pk")
    assert second.imported == 0 and second.duplicates == first.imported + first.duplicates


def test_an_upload_over_the_limit_is_refused_with_413(alice: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    response = client_for(alice).post(
        "/runs/import/", {"file": SimpleUploadedFile("big.fit", b"x" * 5000)}
    )
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_a_stranger_cannot_see_an_import(alice: Any, charlie: Any) -> None:
    client_for(alice).post(
        "/runs/import/", {"file": SimpleUploadedFile("export.zip", export_zip())}
    )
    job = ImportJob.objects.get()
    assert client_for(charlie).get(f"/runs/import/{job.pk}/").status_code == 404


def test_the_same_run_from_two_sources_is_stored_once(alice: Any, settings: Any) -> None:
    files = [DATA / "fitparse__Activity.fit", DATA / "fitparse__activity-settings.fit"]
    report = importer.import_paths(alice, files)
    assert report.imported == 1 and report.duplicates == 1
    (row,) = Activity.objects.all()
    pack = (Path(settings.MEDIA_ROOT) / row.file).read_bytes()
    assert pack[: row.file_size] == (files[0]).read_bytes()
    assert not pack[row.file_size :].strip(b"\0")  # the duplicate's bytes are erased


@pytest.mark.parametrize("workers", [1, 2])
def test_originals_are_kept_whole_and_zip_members_stay_compressed(
    alice: Any, settings: Any, tmp_path: Path, workers: int
) -> None:
    """A deflated zip member is kept as a gzip around its own deflate stream; a .gz inside
    the zip as the gzip it is; each file's content hashes to its row's sha256."""
    fit = (DATA / "fitparse__Activity.fit").read_bytes()
    gpx = (DATA / "togeojson__sample.tcx").read_bytes()
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/1.fit", fit)
        archive.writestr("a/2.tcx.gz", gzip.compress(gpx))
    report = importer.import_paths(alice, [export], workers=workers)
    assert report.imported == 2 and not report.errors
    for row in Activity.objects.all():
        kept = importer.read_original(row)
        assert row.file.endswith(".pack") and kept[:2] == b"\x1f\x8b"
        assert hashlib.sha256(gzip.decompress(kept)).hexdigest() == row.source_sha256
    assert gzip.decompress(importer.read_original(Activity.objects.get(source="fit"))) == fit


def test_a_deleted_run_leaves_nothing_of_its_original(
    alice: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    export = tmp_path / "two.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(DATA / "fitparse__Activity.fit", "a.fit")
        archive.write(DATA / "togeojson__sample.tcx", "b.tcx")
    importer.import_paths(alice, [export])
    gone, kept = Activity.objects.order_by("source")
    original = importer.read_original(kept)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(f"/runs/{gone.pk}/delete/")
    assert response.status_code == 302
    pack = (importer.files_root() / kept.file).read_bytes()
    assert not pack[gone.file_offset : gone.file_offset + gone.file_size].strip(b"\0")
    assert importer.read_original(kept) == original  # its neighbour in the pack is intact


def test_the_sweep_removes_what_a_crash_left(alice: Any, settings: Any) -> None:
    """Debris of dead imports goes; a pack in use and a running import's folder stay."""
    from kneecap.ingest.store import ImportSpace

    importer.import_paths(alice, [DATA / "fitparse__Activity.fit"])
    kept = Path(settings.MEDIA_ROOT) / Activity.objects.get().file
    whole = Path(settings.MEDIA_ROOT) / "activities" / str(alice.pk)
    whole.mkdir(parents=True)
    (whole / ".tmp-crashed").write_bytes(b"half")
    (whole / "orphan.fit.gz").write_bytes(b"no row points here")
    dead = Path(settings.MEDIA_ROOT) / "packs" / "dead-import"
    dead.mkdir()
    (dead / "x.pack").write_bytes(b"an import killed before its rows")
    (kept.parent / "unused.pack").write_bytes(b"the rest of the same import")
    with ImportSpace(Path(settings.MEDIA_ROOT)) as running:
        (running.folder / "y.pack").write_bytes(b"rows not committed yet")
        with importer.importing():
            pass
        assert (running.folder / "y.pack").exists()
    assert not list(whole.iterdir()) and not dead.exists()
    assert sorted(p.name for p in kept.parent.iterdir()) == [".lock", kept.name]


def test_the_cli_prints_the_documented_json(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["KNEECAP_DATA_DIR"] = str(tmp_path / "d")
    kneecap = str(Path(sys.executable).with_name("kneecap"))
    result = subprocess.run(
        [kneecap, "import", str(DATA), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"imported", "duplicates", "skipped", "errors", "activities"} <= set(report)
    assert all({"file", "error"} == set(e) for e in report["errors"])
    assert report["activities"] and all(set(a) == KEYS for a in report["activities"])
    listed = json.loads(
        subprocess.run(
            [kneecap, "runs", "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        ).stdout
    )
    assert {a["id"] for a in listed} == {a["id"] for a in report["activities"]}


def test_an_import_moves_the_runners_version_once_at_its_end(
    alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are committed batch by batch, but the kept values' version moves once: pages read
    during a large import keep their values instead of recomputing after every batch."""
    from kneecap.application import cache
    from kneecap.db.accounts.models import RunnerProfile

    RunnerProfile.objects.get_or_create(user=alice)
    monkeypatch.setattr(importer, "BATCH", 1)
    monkeypatch.setattr(importer, "COMMIT_EVERY_S", 0.0)
    before = cache.version_of(alice)
    seen: list[tuple[int, int | None]] = []

    def progress(report: importer.ImportReport, name: str) -> None:
        seen.append((Activity.objects.filter(owner=alice).count(), cache.version_of(alice)))

    files = [DATA / "fitparse__Activity.fit", DATA / "fitparse__garmin-fenix-5-run.fit"]
    files += [DATA / "togeojson__sample.tcx", DATA / "fittool__activity_multisport.fit"]
    report = importer.import_paths(alice, files, progress=progress)
    assert report.imported > 2
    assert any(stored > 0 for stored, _ in seen)  # batches were committed along the way
    assert {version for _, version in seen} == {before}
    assert cache.version_of(alice) not in (before, None)
