"""Commands that run the web app or its database: serve, migrate, doctor."""

from __future__ import annotations

import typer

from kneecap.cli import errors


def setup_django() -> None:
    """Configure Django from the ``KNEECAP_*`` environment; settings errors become one line."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneecap.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from kneecap.config import ConfigError

    try:
        django.setup()
    except (ConfigError, ImproperlyConfigured) as exc:
        raise errors.UserError(f"configuration: {exc}") from None


def migrate_database(verbosity: int = 0) -> None:
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        if verbosity or _unapplied():
            call_command("migrate", interactive=False, verbosity=verbosity)
    except OperationalError as exc:
        raise errors.UserError(f"cannot reach the database: {exc}".strip()) from None


def _unapplied() -> bool:
    """Whether any migration on disk is not recorded as applied. Django's ``migrate`` loads
    every migration module to find out (0.12 s of each command); a listing of the migration
    packages and one query do. Anything unusual (squashed migrations, a new app) runs the
    real command."""
    import importlib
    import pkgutil

    from django.apps import apps
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return True
    applied = set(recorder.applied_migrations())
    for config in apps.get_app_configs():
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for module in pkgutil.iter_modules(package.__path__):
            if module.name[0] not in "_~" and (config.label, module.name) not in applied:
                return True
    return False


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
    app.command()(migrate)
    app.command()(doctor)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    migrate_first: bool = typer.Option(True, "--migrate/--no-migrate", help="Apply migrations."),
    with_worker: bool = typer.Option(
        True, "--worker/--no-worker", help="Also run a background worker for imports."
    ),
) -> None:
    """Serve the web app (single process; use gunicorn for production, see docs/deploy.md)."""
    import subprocess
    import sys

    setup_django()
    if migrate_first:
        migrate_database()
    from django.core.management import call_command

    background = (
        subprocess.Popen([sys.executable, "-m", "kneecap.cli", "worker"]) if with_worker else None
    )
    typer.echo(f"kneecap is serving at http://{host}:{port}/")
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=False)
    finally:
        if background is not None:
            background.terminate()
            background.wait(timeout=10)


def worker() -> None:
    """Run queued background jobs (imports) until stopped; run several for more throughput.
    Also sends due reminder emails (every ``KNEECAP_REMINDER_SWEEP_S``), and with
    ``KNEECAP_WATCH_DIR`` set imports what appears in that folder."""
    import logging
    from contextlib import nullcontext

    from kneecap.config import ConfigError, watched_folder

    try:
        watching = watched_folder()
    except ConfigError as exc:
        raise errors.UserError(f"configuration: {exc}") from None
    setup_django()
    migrate_database()
    from django.conf import settings
    from django.core.management import call_command

    from kneecap.application import reminders, watch

    log = logging.getLogger("kneecap.watch")
    with (
        watch.in_background(*watching, log) if watching else nullcontext(),
        reminders.in_background(settings.REMINDER_SWEEP_S),
    ):
        call_command("db_worker", interval=0.5)


def migrate(verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Create or upgrade the database schema."""
    setup_django()
    migrate_database(verbosity=1 if verbose else 0)
    typer.echo("database is up to date")


def doctor(
    deploy: bool = typer.Option(False, "--deploy", help="Run Django's deployment checks too."),
) -> None:
    """Print versions, the database and data dir in use, and run Django's checks."""
    from kneecap.cli import doctor as report

    setup_django()
    issues = report.run(deploy=deploy)
    if issues:
        raise typer.Exit(1)
