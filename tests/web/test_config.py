from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kneecap import config


def test_it_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    db = config.database("", tmp_path)
    assert db["ENGINE"] == "kneecap.web.sqlite"
    assert db["NAME"] == str(tmp_path / "kneecap.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "foreign_keys=ON" in db["OPTIONS"]["init_command"]


def test_it_parses_a_postgres_url(tmp_path: Path) -> None:
    db = config.database("postgres://kc:p%40ss@db.example:6543/kneecap?sslmode=require", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "kc",
        "p@ss",
        "db.example",
        "6543",
    )
    assert db["NAME"] == "kneecap"
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_it_refuses_an_unknown_database_scheme(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="mysql"):
        config.database("mysql://x/y", tmp_path)


def test_it_generates_and_keeps_a_private_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KNEECAP_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) > 40
    assert config.secret_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_it_prefers_the_secret_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECAP_SECRET_KEY", "from-env")
    assert config.secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_it_reads_a_secret_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "key").write_text("from-file\n")
    monkeypatch.setenv("KNEECAP_SECRET_KEY_FILE", str(tmp_path / "key"))
    assert config.env_str("KNEECAP_SECRET_KEY") == "from-file"


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("0", False), ("", False), ("YES", True)]
)
def test_it_reads_booleans(raw: str, value: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECAP_DEBUG", raw)
    assert config.env_bool("KNEECAP_DEBUG") is value


def test_it_names_a_bad_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECAP_DEBUG", "maybe")
    with pytest.raises(config.ConfigError, match="KNEECAP_DEBUG"):
        config.env_bool("KNEECAP_DEBUG")
