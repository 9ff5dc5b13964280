"""`kneecap export` → `delete-account` → `import-account` in real processes, fresh data dir."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

# Runs the real entry point; registers the account commands if the CLI does not yet.
ENTRY = """
import sys
from kneecap import cli
from kneecap.cli import account

base = cli._register

def register():
    base()
    if not any(c.callback is account.export for c in cli.app.registered_commands):
        account.register(cli.app)

cli._register = register
sys.argv[0] = "kneecap"
cli.main()
"""

SEED = """
import django, hashlib, datetime
django.setup()
from django.contrib.auth import get_user_model
from kneecap.application import imports as importer
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import MorningCheckin, SessionLog

ada = get_user_model().objects.create_user("ada", password="pw-long-enough-1")
SessionLog.objects.create(owner=ada, date=datetime.date(2026, 3, 2), minutes=20, rpe=5)
MorningCheckin.objects.create(owner=ada, date=datetime.date(2026, 3, 3), pain=1)
data = b"an original FIT file"
sha = hashlib.sha256(data).hexdigest()
Activity.objects.create(
    owner=ada, start=datetime.datetime(2026, 3, 1, 7, tzinfo=datetime.UTC), source="fit",
    source_sha256=sha, file=importer.store_file(ada.pk, data, sha, "fit"),
)
"""


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["KNEECAP_DATA_DIR"] = str(data_dir)
    return env


def kneecap(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(data_dir),
        cwd=data_dir.parent,
        timeout=120,
        check=False,
    )


def records(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zf:
        doc: dict[str, Any] = json.loads(zf.read("kneecap.json"))
    del doc["exported_at"]
    return doc


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated data dir with ada's account, made once and copied for each test."""
    data = tmp_path_factory.mktemp("seed") / "data"
    assert kneecap(data, "migrate").returncode == 0
    env = {**environment(data), "DJANGO_SETTINGS_MODULE": "kneecap.web.settings"}
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, capture_output=True)
    return data


@pytest.fixture
def data_dir(seeded: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(seeded, tmp_path / "data"))


def test_export_delete_and_import_account_round_trip_in_the_terminal(
    data_dir: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    exported = kneecap(data_dir, "export", "--user", "ada", "--output", str(first))
    assert exported.returncode == 0, exported.stderr
    assert len(records(first)["files"]) == 1

    refused = kneecap(data_dir, "delete-account", "ada")
    assert refused.returncode == 2 and "add --yes" in refused.stderr
    deleted = kneecap(data_dir, "delete-account", "ada", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert not list((data_dir / "files" / "activities").iterdir())

    imported = kneecap(data_dir, "import-account", str(first))
    assert imported.returncode == 0, imported.stderr
    assert "imported ada (sessions: 1, check-ins: 1, activities: 1, files: 1)" in imported.stdout
    assert kneecap(data_dir, "export", "-o", str(second)).returncode == 0  # the only account
    assert records(second) == records(first)

    again = kneecap(data_dir, "import-account", str(first))
    assert again.returncode == 2
    assert again.stderr.strip().endswith("already exists here: choose another username")
    assert len(again.stderr.strip().splitlines()) == 1


def test_a_renamed_import_can_be_given_a_password(data_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "ada.zip"
    assert kneecap(data_dir, "export", "-o", str(archive)).returncode == 0
    result = kneecap(
        data_dir,
        "import-account",
        str(archive),
        "--username",
        "ada2",
        "--set-password",
        stdin="another-long-pass-9\n" * 2,
    )
    assert result.returncode == 0, result.stderr
    assert "imported ada2" in result.stdout and "no password yet" not in result.stdout
    with sqlite3.connect(data_dir / "kneecap.sqlite3") as db:
        (stored,) = db.execute("SELECT password FROM auth_user WHERE username='ada2'").fetchone()
    assert stored.startswith("pbkdf2_sha256$")


def test_errors_are_one_line_without_a_traceback(data_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    for args in (("import-account", str(junk)), ("delete-account", "nobody", "--yes")):
        result = kneecap(data_dir, *args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("kneecap: ") and "Traceback" not in result.stderr
