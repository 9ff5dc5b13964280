"""`kneecap import` and `kneecap runs`: running history from files, in the terminal."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap.cli import errors
from kneecap.cli.server import migrate_database, setup_django

if TYPE_CHECKING:  # Django is set up inside the commands
    from kneecap.db.accounts.users import User

UserOption = Annotated[
    str | None,
    typer.Option("--user", "-u", help="Whose history (default: the only account)."),
]


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
    app.command()(runs)


def local_user(username: str | None) -> User:
    """The account a terminal command acts for; a fresh instance gets a local one."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise errors.UserError(f"no account named {username!r}")
        return user
    count = users.count()
    if count == 1:
        return users.get()
    if count > 1:
        raise errors.UserError("this instance has several accounts: name one with --user")
    user = users.create_user("runner", password=None)  # claimed later on the first-run page
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def import_files(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files, folders or zip exports.")
    ] = None,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    workers: Annotated[int, typer.Option(help="Reading processes (1 = this one).")] = 0,
    watch: Annotated[
        Path | None,
        typer.Option(
            "--watch",
            metavar="DIR",
            help="Keep importing each activity file that appears in DIR (docs/import.md).",
        ),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="With --watch: one pass, then exit (for cron).")
    ] = False,
    settle: Annotated[
        float,
        typer.Option(help="With --watch: seconds a file must stay unchanged before it is read."),
    ] = 2.0,
) -> None:
    """Import FIT, GPX and TCX files, folders, and whole Garmin or Strava exports."""
    if watch is not None:
        if paths or as_json:
            raise errors.UserError("--watch takes no PATH and no --json: one line per file")
        if settle <= 0:
            raise errors.UserError("--settle must be more than 0 seconds")
        _watch(watch, user, once=once, settle=settle)
        return
    if once:
        raise errors.UserError("--once goes with --watch DIR")
    if not paths:
        raise errors.UserError("name the files, folders or exports to import, or --watch DIR")
    _import(paths, user, as_json=as_json, workers=workers)


def _import(paths: list[Path], user: str | None, *, as_json: bool, workers: int) -> None:
    from kneecap import config
    from kneecap.ingest.parallel import ReadingPool, default_workers, iter_parallel, read_ahead
    from kneecap.ingest.store import ImportSpace

    count = workers or default_workers()
    try:
        files = config.files_dir(config.data_dir())
    except (OSError, config.ConfigError) as exc:
        raise errors.UserError(f"configuration: {exc}") from None
    # Reading starts first, into a folder of this import's own, and goes on while Django
    # sets up (about 1 s). Fork: nothing else runs in this process yet.
    with (
        ImportSpace(files) as space,
        ReadingPool(count, "fork") if count > 1 else nullcontext() as pool,
        read_ahead(iter_parallel(paths, workers=count, store=space.store, pool=pool)) as results,
    ):
        setup_django()
        migrate_database()
        from kneecap.application import imports as importer

        owner = local_user(user)
        with _progress(quiet=as_json) as advance:
            report = importer.import_read(owner, results, space, progress=advance)
    from django.utils import timezone

    from kneecap.application import plans

    plans.snapshot(owner, timezone.localdate())
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        _print_report(report)


def _watch(folder: Path, user: str | None, *, once: bool, settle: float) -> None:
    """Import what appears in ``folder`` until Ctrl-C or SIGTERM, which stop after the file
    being read (its import commits first); a second Ctrl-C stops at once."""
    import signal
    import threading

    setup_django()
    migrate_database()
    from kneecap.application import watch

    stop = threading.Event()

    def stopping(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with watch.Watcher(folder, local_user(user), settle=settle, say=typer.echo) as watcher:
            if not once:
                typer.echo(f"watching {watcher.folder} (Ctrl-C to stop)", err=True)
            watcher.run(stop, once=once)
    except watch.WatchError as exc:
        raise errors.UserError(str(exc)) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _progress(quiet: bool) -> Any:
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    @contextmanager
    def bar() -> Any:
        console = Console(stderr=True, quiet=quiet)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} files"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("reading", total=None)

            def advance(report: Any, name: str) -> None:
                progress.update(
                    task, completed=report.files, description=f"imported {report.imported}"
                )

            yield advance

    return bar()


def _print_report(report: Any) -> None:
    typer.echo(
        f"imported {report.imported}, duplicates {report.duplicates}, "
        f"skipped {report.skipped}, errors {len(report.errors)}"
    )
    for err in report.errors:
        typer.echo(f"  {err['file']}: {err['error']}")


def runs(
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List stored activities, newest first."""
    setup_django()
    migrate_database()
    from kneecap.application.imports import activity_dict
    from kneecap.db.runs.models import Activity

    owner = local_user(user)
    rows = Activity.objects.filter(owner=owner).order_by("-start")
    if as_json:
        typer.echo(json.dumps([activity_dict(a) for a in rows], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    from kneecap.application.profile import units_of
    from kneecap.core import units

    units.activate(units_of(owner))
    table = Table("date", "sport", units.long_unit(), "min", "avg HR", "source")
    for a in rows:
        far = f"{units.long_value(a.distance_m):.2f}" if a.distance_m else ""
        minutes = f"{(a.moving_s or a.elapsed_s or 0) / 60:.0f}"
        table.add_row(f"{a.start:%Y-%m-%d}", a.sport, far, minutes, str(a.avg_hr or ""), a.source)
    Console().print(table)
