"""`kneecap export`, `kneecap import-account`, `kneecap delete-account`: a runner's data out,
back in (on this or another instance), or gone for good."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.cli import errors
from kneecap.cli.server import migrate_database, setup_django

if TYPE_CHECKING:  # Django is set up inside the commands
    from kneecap.db.accounts.users import User


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command("import-account")(import_account)
    app.command("delete-account")(delete_account)


def _account(username: str | None) -> User:
    """The named account, or the only one; a missing schema is one clear line too."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    users = get_user_model().objects
    try:
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise errors.UserError(f"no account named {username!r}")
            return user
        found = list(users.order_by("pk")[:2])
    except DatabaseError as exc:
        raise errors.UserError(f"cannot read the database ({exc}): run `kneecap migrate`") from None
    if len(found) != 1:
        many = "several accounts: name one with --user"
        raise errors.UserError(f"this instance has {many if found else 'no accounts'}")
    return found[0]


def export(
    user: Annotated[
        str | None, typer.Option("--user", "-u", help="Whose data (default: the only account).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Zip to write (default: kneecap-USER-DATE.zip)."),
    ] = None,
) -> None:
    """Write all of an account's data to a zip: its records as JSON plus the original
    activity files. `kneecap import-account` reads it back."""
    setup_django()
    from django.utils import timezone

    from kneecap.application.portability.services import write_export

    account = _account(user)
    name = account.get_username()
    target = output or Path(f"kneecap-{name}-{timezone.localdate():%Y-%m-%d}.zip")
    partial = target.with_name(f".{target.name}.part")  # never a half-written archive
    try:
        with open(partial, "wb") as fh:
            write_export(account, fh)
        os.replace(partial, target)
    except OSError as exc:
        raise errors.UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    typer.echo(f"wrote {name}'s data to {target}")


def import_account(
    archive: Annotated[Path, typer.Argument(help="A zip made by `kneecap export`.")],
    username: Annotated[
        str | None, typer.Option("--username", help="Import under this name instead.")
    ] = None,
    set_password: Annotated[
        bool, typer.Option("--set-password", help="Ask for the account's new password.")
    ] = False,
) -> None:
    """Recreate an exported account on this instance, with all its data and files."""
    setup_django()
    migrate_database()
    from kneecap.application.portability.services import PortabilityError
    from kneecap.application.portability.services import import_account as restore

    password = _new_password() if set_password else None
    try:
        result = restore(archive, username)
    except PortabilityError as exc:
        raise errors.UserError(f"{archive}: {exc}") from None
    name = result.user.get_username()
    counts = ", ".join(f"{what}: {n}" for what, n in result.counts.items())
    typer.echo(f"imported {name} ({counts})")
    if result.skipped:
        typer.echo("not restored as it was:")
    for line in result.skipped:
        typer.echo(f"  - {line}")
    if password is not None:
        result.user.set_password(password)
        result.user.save(update_fields=["password"])
    else:
        typer.echo(f"{name} has no password yet: use a password reset or --set-password")


def _new_password() -> str:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    password: str = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password)
    except ValidationError as exc:
        raise errors.UserError(f"password: {' '.join(exc.messages)}") from None
    return password


def delete_account(
    username: Annotated[str, typer.Argument(help="The account to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Delete an account with every record and file of it, its sessions, tokens and links."""
    if not yes:
        raise errors.UserError(
            f"this deletes {username!r} and all their data for good: add --yes to go ahead"
        )
    setup_django()
    from kneecap.application.portability.services import delete_user

    delete_user(_account(username))
    typer.echo(f"deleted {username} and all their data")
