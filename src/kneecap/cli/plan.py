"""`kneecap plan`: a what-if plan from a profile file, with no account or database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.cli import errors

if TYPE_CHECKING:
    from rich.table import Table

    from kneecap.core.planning import Plan, Week
    from kneecap.core.units import Units


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(plan)


def plan(
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="Profile file (JSON or TOML); see docs/planning.md."),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    screening_questions: bool = typer.Option(
        False, "--screening-questions", help="List the screening questions and their ids."
    ),
    user: Annotated[
        str | None,
        typer.Option("--user", "-u", help="Without --profile: this account's plan."),
    ] = None,
    weeks: Annotated[int, typer.Option(min=1, max=52, help="Weeks to show (account plan).")] = 4,
    use_pattern: Annotated[
        bool,
        typer.Option(
            "--use-pattern", help="Take the weekly pattern your last three weeks of runs show."
        ),
    ] = False,
) -> None:
    """Plan strength sessions around a runner's week, and say why each sits where it does."""
    if screening_questions:
        _print_questions(as_json)
        return
    if use_pattern:
        if profile is not None:
            raise errors.UserError(
                "--use-pattern changes an account's pattern: leave out --profile"
            )
        _use_pattern(user)
    result = _account_plan(user, weeks) if profile is None else _file_plan(profile)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    from kneecap.core import units

    units.activate(_units_of(user) if profile is None else _file_units(profile))
    _print_plan(result)
    if profile is None:
        _print_pattern(user)


def _account_plan(username: str | None, weeks: int) -> Plan:
    """The stored runner's plan from this week's Monday (the same as the web app shows)."""
    from kneecap.cli.runs import local_user
    from kneecap.cli.server import migrate_database, setup_django

    setup_django()
    migrate_database()
    from django.utils import timezone

    from kneecap.application import plans

    result = plans.plan_for(local_user(username), timezone.localdate(), weeks)
    if result is None:
        raise errors.UserError("no running profile yet: run `kneecap init` or give --profile FILE")
    return result


def _units_of(username: str | None) -> Units:
    from kneecap.application.profile import units_of
    from kneecap.cli.runs import local_user

    return units_of(local_user(username))


def _file_units(profile: Path) -> Units:
    from kneecap.core.profile import load_profile_file

    return load_profile_file(profile).units  # read once already: it is valid


def _file_plan(profile: Path) -> Plan:
    from kneecap.core.catalog import load_catalog
    from kneecap.core.planning import generate_plan
    from kneecap.core.profile import ProfileError, load_profile_file

    try:
        return generate_plan(load_profile_file(profile), load_catalog())
    except ProfileError as exc:
        raise errors.UserError(f"profile: {exc}") from None


def _print_questions(as_json: bool) -> None:
    from kneecap.core.screening import QUESTIONS

    if as_json:
        typer.echo(json.dumps([q.as_dict() for q in QUESTIONS], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "group", "leg", "question", title="Screening questions")
    for q in QUESTIONS:
        table.add_row(q.id, q.group.value, q.leg.value if q.leg else "", q.question)
    Console().print(table)


def _print_plan(result: Plan) -> None:
    from rich.console import Console

    console = Console()
    if result.blocked is not None:
        console.print(f"[bold red]No plan.[/] {result.blocked.reason}")
        console.print(result.blocked.advice)
    for week in result.weeks:
        console.print(_week_table(week))
        for s in week.sessions:
            console.print(f"[bold]{s.date.strftime('%a %d %b')}[/]")
            for line in s.why:
                console.print(f"  · {line}", style="dim")
    for warning in result.warnings:
        console.print(f"[yellow]![/] {warning}")


def _print_pattern(username: str | None) -> None:
    """Say so when the last weeks' runs contradict the weekly pattern (issue 17 §3)."""
    from django.utils import timezone

    from kneecap.application import plans
    from kneecap.cli.runs import local_user

    proposal = plans.pattern_proposal(local_user(username), timezone.localdate())
    if proposal is None:
        return
    typer.echo(f"Your runs of {proposal.first:%d %b}–{proposal.last:%d %b} follow another pattern:")
    for c in proposal.changes:
        was = "rest" if c.was.kind.value == "rest" else f"{c.was.kind.value} {c.was.minutes} min"
        now = "rest" if c.now.kind.value == "rest" else f"{c.now.kind.value} {c.now.minutes} min"
        typer.echo(f"  {c.weekday}: {was} -> {now} (run {c.weeks_run} of the weeks)")
    typer.echo("Plan around them with: kneecap plan --use-pattern")


def _use_pattern(username: str | None) -> None:
    from kneecap.cli.runs import local_user
    from kneecap.cli.server import migrate_database, setup_django

    setup_django()
    migrate_database()
    from django.utils import timezone

    from kneecap.application import profile

    try:
        profile.use_pattern(local_user(username), timezone.localdate())
    except ValueError as exc:
        raise errors.UserError(str(exc)) from None
    typer.echo("Your weekly running pattern now follows your runs.", err=True)


def _week_table(week: Week) -> Table:
    from rich.table import Table

    table = Table("day", "run", "min", "exercise", "dose", "rules")
    table.title = f"Week of {week.start.isoformat()}: {week.kind.value}"
    for s in week.sessions:
        run = "rest" if s.run.is_rest else f"{s.run.kind.value} {s.run.minutes}′"
        for n, item in enumerate(s.items):
            first = n == 0
            dose = item.prescription.describe() + (f", {item.side} leg" if item.side else "")
            table.add_row(
                s.date.strftime("%a %d %b") if first else "",
                run if first else "",
                str(s.minutes) if first else "",
                f"{item.exercise} · {item.level}",
                dose,
                " ".join(str(r) for r in item.rules),
                end_section=n == len(s.items) - 1,
            )
    if not week.sessions:
        table.add_row("", "", "", "no session this week", "", "")
    return table
