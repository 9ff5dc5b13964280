"""`kneecap doctor --deploy`: production settings pass Django's deployment checks; defaults fail."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

KNEECAP = str(Path(sys.executable).with_name("kneecap"))
PRODUCTION = {
    "KNEECAP_HTTPS": "true",
    "KNEECAP_SECRET_KEY": secrets.token_urlsafe(64),
    "KNEECAP_ALLOWED_HOSTS": "kneecap.example.org",
}


def doctor(data_dir: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    # nothing from the test run's own environment (e.g. DJANGO_ALLOW_ASYNC_UNSAFE) leaks in
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KNEECAP_", "DJANGO_"))}
    env.update(KNEECAP_DATA_DIR=str(data_dir), **variables)
    return subprocess.run(
        [KNEECAP, "doctor", "--deploy"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_every_deployment_check(tmp_path: Path) -> None:
    result = doctor(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "deployment checks: 0 issues" in result.stdout
    assert "security." not in result.stdout


def test_the_defaults_for_a_laptop_are_reported_as_unfit_to_deploy(tmp_path: Path) -> None:
    result = doctor(tmp_path)
    assert result.returncode == 1
    # plain HTTP: no secure cookies, no HSTS, no redirect to HTTPS
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stdout
    assert "deployment checks: 4 issues" in result.stdout


@pytest.mark.parametrize(
    ("variables", "check"),
    [
        ({"KNEECAP_DEBUG": "true"}, "security.W018"),
        ({"KNEECAP_SECRET_KEY": "short-and-guessable"}, "security.W009"),
    ],
    ids=["debug", "weak-key"],
)
def test_one_unsafe_setting_in_production_is_one_issue(
    tmp_path: Path, variables: dict[str, str], check: str
) -> None:
    result = doctor(tmp_path, **{**PRODUCTION, **variables})
    assert result.returncode == 1
    assert check in result.stdout
    assert "deployment checks: 1 issue\n" in result.stdout
