"""`kneecap backup` and `kneecap restore`: the whole instance in one archive (docs/backup.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from kneecap.cli import errors
from kneecap.cli.server import migrate_database, setup_django


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)


def backup(
    path: Annotated[
        Path, typer.Argument(help="Archive to write (.zip), or a folder to write it into.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing archive.")] = False,
) -> None:
    """Write the database, the stored activity files and the secret key into one archive."""
    target = archive_path(path, datetime.now(UTC))
    if target.exists() and not force:
        raise errors.UserError(f"{target} already exists: pass --force to replace it")
    if not target.parent.is_dir():
        raise errors.UserError(f"{target.parent} is not a folder")
    setup_django()
    from kneecap.application import backup as service

    with progress_bar("backing up") as progress, _one_line(service.BackupError):
        manifest = service.create(target, progress)
    typer.echo(f"backup written to {target}: {summary(manifest)}")


def restore(
    path: Annotated[Path, typer.Argument(help="An archive written by `kneecap backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that already holds accounts.")
    ] = False,
) -> None:
    """Restore an archive into this data dir, checking every file and row count on the way."""
    setup_django()
    from kneecap.application import backup as service

    with progress_bar("restoring") as progress, _one_line(service.BackupError):
        manifest = service.restore(path, force=force, progress=progress)
    migrate_database()  # a backup from an older kneecap gets the newer tables
    typer.echo(f"restored from {path}: {summary(manifest)}")
    if manifest.get("secret_key_from_environment"):
        typer.echo("note: the backed-up instance took its key from KNEECAP_SECRET_KEY; set it here")


def archive_path(path: Path, now: datetime) -> Path:
    """A folder gets a dated archive name inside it."""
    if path.is_dir():
        return path / f"kneecap-backup-{now:%Y%m%d-%H%M%S}.zip"
    return path


def summary(manifest: dict[str, Any]) -> str:
    rows = sum(manifest["row_counts"].values())
    tables = len(manifest["row_counts"])
    stored = sum(1 for f in manifest["files"] if f["path"].startswith("files/"))
    vendor = manifest["database"]["vendor"]
    return f"{vendor} database ({rows} rows in {tables} tables), {stored} stored files"


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich bar on a terminal (stderr), silent otherwise; yields the (done, total) callback."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(
        f"[bold]{label}", *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def _one_line(error: type[Exception]) -> Iterator[None]:
    try:
        yield
    except error as exc:
        raise errors.UserError(str(exc)) from None
