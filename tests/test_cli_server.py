"""The console script as a newcomer meets it: version, migrate, doctor, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kneecap import __version__

KNEECAP = str(Path(sys.executable).with_name("kneecap"))


def run(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(KNEECAP_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [KNEECAP, *args], capture_output=True, text=True, env=environ, timeout=120, check=False
    )


def test_it_prints_its_version(tmp_path: Path) -> None:
    result = run("--version", data_dir=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"kneecap {__version__}"


def test_it_migrates_and_reports_the_database_in_use(tmp_path: Path) -> None:
    assert run("migrate", data_dir=tmp_path).returncode == 0
    result = run("doctor", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "SQLite" in result.stdout and str(tmp_path / "kneecap.sqlite3") in result.stdout
    assert "(journal wal)" in result.stdout
    assert "checks: 0 issues" in result.stdout


def test_it_reports_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    result = run("doctor", data_dir=tmp_path, KNEECAP_DATABASE_URL="mysql://nope/db")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "KNEECAP_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_reports_an_unreachable_database_in_one_line(tmp_path: Path) -> None:
    url = "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"
    result = run("migrate", data_dir=tmp_path, KNEECAP_DATABASE_URL=url)
    assert result.returncode == 2
    assert "cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["serve", "migrate", "doctor"])
def test_it_explains_each_command(command: str, tmp_path: Path) -> None:
    result = run(command, "--help", data_dir=tmp_path)
    assert result.returncode == 0
    assert "Usage" in result.stdout


@pytest.mark.django_db
def test_the_quick_migration_check_sees_what_migrate_would_apply() -> None:
    """Commands skip Django's migrate when every migration on disk is recorded as applied."""
    from django.db.migrations.recorder import MigrationRecorder

    from kneecap.cli.server import _unapplied

    assert not _unapplied()  # the test database is migrated
    MigrationRecorder.Migration.objects.filter(app="runs").order_by("-name").first().delete()
    assert _unapplied()


def test_the_rules_file_is_checked_at_start_and_shown_by_doctor(tmp_path: Path) -> None:
    (tmp_path / "rules.toml").write_text("[pain]\namber_max = 4\n", encoding="utf-8")
    assert run("migrate", data_dir=tmp_path).returncode == 0
    shown = run("doctor", data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "rules: pain.amber_max=4" in shown.stdout
    (tmp_path / "rules.toml").write_text("[pain]\ngreen_max = 5\n", encoding="utf-8")
    refused = run("doctor", data_dir=tmp_path)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "pain.green_max" in refused.stderr and "rules.toml" in refused.stderr
