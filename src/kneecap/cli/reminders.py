"""`kneecap reminders send`: one sweep of the email reminders, for cron instead of the worker."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from kneecap.cli import errors
from kneecap.cli.server import migrate_database, setup_django

reminders_app = typer.Typer(help="Reminder emails (docs/reminders.md).")


def register(app: typer.Typer) -> None:
    app.add_typer(reminders_app, name="reminders")


@reminders_app.callback()
def _group() -> None:
    """Reminder emails (docs/reminders.md)."""


@reminders_app.command("send")
def send(
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="ISO-TIME",
            help="Send what is due at this instant (with its UTC offset) instead of now.",
        ),
    ] = None,
) -> None:
    """Send the reminder emails due now that were not sent yet (each at most once)."""
    now = _instant(at) if at else None
    setup_django()
    migrate_database()
    from kneecap.application import reminders
    from kneecap.core.reminders import ReminderError

    try:
        swept = reminders.sweep(now)
    except ReminderError as exc:
        raise errors.UserError(str(exc)) from None
    for sent in swept.sent:
        typer.echo(f"sent {sent}")
    for failed in swept.failed:
        typer.echo(f"could not send {failed} (the next run tries again)", err=True)
    if not swept.sent and not swept.failed:
        typer.echo("no reminder due")
    if swept.failed:
        raise typer.Exit(1)


def _instant(text: str) -> datetime:
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise errors.UserError(
            f"--at: {text!r} is not an ISO time, e.g. 2026-03-03T17:30+01:00"
        ) from None
    if found.tzinfo is None:
        raise errors.UserError("--at: give the UTC offset, e.g. 2026-03-03T17:30+01:00")
    return found
