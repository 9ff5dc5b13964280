"""`kneecap progress`: the next prescription of each logged exercise, with no account or
database (the profile and the training log are files)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.cli import errors

if TYPE_CHECKING:
    from kneecap.core.catalog import Catalog
    from kneecap.core.log import TrainingLog
    from kneecap.core.progression import Report


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(progress)


def progress(
    profile: Annotated[
        Path,
        typer.Option("--profile", help="Profile file (JSON or TOML), as for `kneecap plan`."),
    ],
    log: Annotated[
        Path, typer.Option("--log", help="Training log (JSON); see docs/progression.md.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Day of the next session (YYYY-MM-DD); default: the day after the last one.",
        ),
    ] = None,
    load_spike: Annotated[
        bool,
        typer.Option("--load-spike", help="Running load jumped this week: deload (rule 29)."),
    ] = False,
) -> None:
    """Advance, hold or step back each exercise by the pain-gated rules, and say why."""
    from kneecap.core.catalog import load_catalog
    from kneecap.core.log import LogError, load_log_file
    from kneecap.core.profile import ProfileError, load_profile_file
    from kneecap.core.progression import context_from_profile
    from kneecap.core.progression import progress as run

    try:
        runner = load_profile_file(profile)
    except ProfileError as exc:
        raise errors.UserError(f"profile: {exc}") from None
    catalog = load_catalog()
    try:
        training = load_log_file(log)
        training.check_catalog(catalog.get)
    except LogError as exc:
        raise errors.UserError(f"log: {exc}") from None
    day = _as_of(as_of, training, runner.start_date)
    ctx = context_from_profile(runner, day, load_spike=load_spike, pins=training.pins)
    report = run(catalog.get, training, ctx)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        from kneecap.core import units

        units.activate(runner.units)
        _print(report, catalog)


def _as_of(given: str | None, training: TrainingLog, start: date) -> date:
    if given is not None:
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise errors.UserError(f"--as-of: {given!r} is not an ISO date (YYYY-MM-DD)") from None
    if not training.sessions:
        return start
    return training.sessions[-1].date + timedelta(days=1)


def _print(report: Report, catalog: Catalog) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table("exercise", "decision", "level", "next", "rules")
    table.title = f"Next session, {report.as_of.isoformat()}"
    for d in report.exercises:
        ex = catalog.get(d.exercise)
        dose = d.prescription.describe() if d.prescription else "—"
        if d.side is not None:
            dose += f", {d.side.value} leg only"
        rules = " ".join(str(r) for r in sorted(set(d.rules)))
        table.add_row(ex.name, d.action.value, ex.level(d.level).name, dose, rules)
    console.print(table)
    for d in report.exercises:
        console.print(f"[bold]{catalog.get(d.exercise).name}[/]")
        for line in d.why:
            console.print(f"  · {line}", style="dim")
    for alert in report.alerts:
        console.print(f"[bold red]![/] {alert}")
