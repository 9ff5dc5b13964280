"""The ``kneecap`` command line: a thin Typer shell over the core and the web app.

Commands that need no database (exercises, plan, progress) never import Django; the
others set up Django lazily inside the command.
"""

from __future__ import annotations

import typer

from kneecap import __version__
from kneecap.cli import errors

app = typer.Typer(
    name="kneecap",
    help="Knee strength and mobility training for runners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kneecap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Knee strength and mobility training for runners."""


def _register() -> None:
    # Each module adds its own commands; the order here is the order in --help.
    from kneecap.cli import (
        account,
        account_setup,
        backup,
        exercises,
        outcome,
        plan,
        progress,
        reminders,
        runs,
        server,
        training,
    )

    for module in (
        server,
        account_setup,
        exercises,
        plan,
        progress,
        outcome,
        training,
        runs,
        account,
        reminders,
        backup,
    ):
        module.register(app)


def main() -> None:
    """Console-script entry: one clear line and a non-zero exit instead of a traceback."""
    _register()
    try:
        app()  # click handles usage errors itself (one line, exit 2)
    except errors.UserError as exc:
        errors.fail(str(exc), exc.code)
    except KeyboardInterrupt:
        errors.fail("aborted", 130)
    except Exception as exc:  # a bug: still one line, with a hint how to see more
        import os

        if os.environ.get("KNEECAP_TRACEBACK"):
            raise
        errors.fail(f"{type(exc).__name__}: {exc} (set KNEECAP_TRACEBACK=1 for details)", 1)
