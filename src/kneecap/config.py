"""Settings read from the environment: typed helpers, the data dir, the secret key, the DB URL."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from kneecap.core.rules import DEFAULT_RULES, Rules, RulesError, load_rules_file


class ConfigError(Exception):
    """A setting has a value kneecap cannot use; the message names it."""


def env_str(name: str, default: str = "") -> str:
    """The variable, or the content of the file named by ``NAME_FILE`` (Docker secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean: use true or false")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name, "")
    if not raw.strip():
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def data_dir() -> Path:
    """``KNEECAP_DATA_DIR``, default ``./var``; created on first use."""
    path = Path(env_str("KNEECAP_DATA_DIR", "") or "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def watched_folder() -> tuple[Path, str, int] | None:
    """``KNEECAP_WATCH_DIR``: a folder ``kneecap worker`` imports activity files from, into
    the account ``KNEECAP_WATCH_USER`` (empty: the only one), each once it has stayed
    unchanged for ``KNEECAP_WATCH_SETTLE_S`` seconds; ``None`` when no folder is set."""
    folder = env_str("KNEECAP_WATCH_DIR", "").strip()
    if not folder:
        return None
    settle = env_int("KNEECAP_WATCH_SETTLE_S", 2)
    if settle < 1:
        raise ConfigError(f"KNEECAP_WATCH_SETTLE_S={settle} must be 1 second or more")
    return Path(folder), env_str("KNEECAP_WATCH_USER", "").strip(), settle


def rules(directory: Path) -> Rules:
    """The instance's rules: ``KNEECAP_RULES_FILE``, else ``rules.toml`` in the data dir when
    there is one, else the brief's numbers (docs/progression.md, "Numbers a clinician can
    set"). Checked at start: a wrong value stops the process with its key and the file."""
    named = env_str("KNEECAP_RULES_FILE", "").strip()
    path = Path(named) if named else directory / "rules.toml"
    if not named and not path.exists():
        return DEFAULT_RULES
    try:
        return load_rules_file(path)
    except RulesError as exc:
        raise ConfigError(f"rules: {exc}") from None


def fingerprint(rules: Rules) -> str:
    """A short digest of the numbers in force, for keys of values computed from them."""
    return hashlib.blake2b(repr(rules).encode(), digest_size=6).hexdigest()


def files_dir(data: Path) -> Path:
    """Where originals are kept (Django's MEDIA_ROOT; ``kneecap import`` needs it earlier)."""
    return data / "files"


def secret_key(directory: Path) -> str:
    """``KNEECAP_SECRET_KEY``, or a key generated once and kept in the data dir (mode 0600)."""
    key = env_str("KNEECAP_SECRET_KEY", "")
    if key:
        return key
    path = directory / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def database(url: str, directory: Path) -> dict[str, Any]:
    """DATABASES['default'] from ``KNEECAP_DATABASE_URL``; empty means SQLite in the data dir."""
    if not url:
        return sqlite(directory / "kneecap.sqlite3")
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "kneecap",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parts.scheme == "sqlite":
        return sqlite(Path(unquote(parts.path)))
    raise ConfigError(
        f"KNEECAP_DATABASE_URL has scheme {parts.scheme!r}: use postgres://… or sqlite:///path"
    )


def sqlite(path: Path) -> dict[str, Any]:
    """SQLite tuned for concurrent writers: WAL, foreign keys, busy timeout, IMMEDIATE writes."""
    return {
        "ENGINE": "kneecap.web.sqlite",
        "NAME": str(path),
        # Django's default for SQLite, said out loud: tools that recognise SQLite by its
        # engine name (pytest-django's per-worker names) do not know this subclass.
        "TEST": {"NAME": ":memory:"},
        # One connection per server thread, kept: opening one (and its PRAGMAs) on every
        # request was a fifth of the API list's time.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so a reader never has to upgrade to a
            # writer mid-transaction (the case the busy timeout cannot help with).
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=30000;"
            ),
        },
    }
