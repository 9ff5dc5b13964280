"""``kneecap doctor``: what kneecap runs on, and whether Django's checks pass."""

from __future__ import annotations

import platform
import sqlite3

import django
import typer
from django.conf import settings
from django.core import checks
from django.db import connection

from kneecap import __version__


def _database_line() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA journal_mode")
            mode = cur.fetchone()[0]
        return f"SQLite {sqlite3.sqlite_version} at {db['NAME']} (journal {mode})"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    return f"PostgreSQL {version}, database {db['NAME']} on {db['HOST'] or 'local socket'}"


def _rules_line() -> str:
    """The instance's numbers that differ from the brief's (docs/progression.md)."""
    from kneecap.core.rules import DEFAULT_RULES
    from kneecap.core.rules import settings as rule_settings

    rules = settings.KNEECAP_RULES
    changed = [
        f"{s.section}.{name}={getattr(rules, name)}"
        for name, s in rule_settings()
        if getattr(rules, name) != getattr(DEFAULT_RULES, name)
    ]
    return ", ".join(changed) if changed else "the evidence brief's numbers"


def run(deploy: bool) -> int:
    """Print the report; return the number of check messages at warning level or above."""
    lines = [
        ("kneecap", __version__),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("data dir", str(settings.DATA_DIR)),
        ("rules", _rules_line()),
    ]
    try:
        lines.append(("database", _database_line()))
    except Exception as exc:  # the report must print even when the database is down
        lines.append(("database", f"UNREACHABLE: {exc}".strip()))
    for name, value in lines:
        typer.echo(f"{name:>9}: {value}")
    messages = checks.run_checks(include_deployment_checks=deploy)
    serious = [m for m in messages if m.level >= checks.WARNING]
    for m in serious:
        typer.echo(f"  {m}")
    label = "deployment checks" if deploy else "checks"
    typer.echo(f"{label}: {len(serious)} issue{'s' if len(serious) != 1 else ''}")
    return len(serious)
