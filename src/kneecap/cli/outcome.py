"""`kneecap outcome`: score a file of questionnaire answers, or list the instruments.

No account, database or Django: the scoring is pure code in ``kneecap.core.outcomes``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap.cli import errors

if TYPE_CHECKING:
    from kneecap.core.outcomes import Instrument, Scores

outcome_app = typer.Typer(help="Outcome questionnaires: score answers, list the instruments.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(outcome_app, name="outcome")


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@outcome_app.command("score")
def score_answers(
    instrument_id: Annotated[
        str,
        typer.Option("--instrument", metavar="NAME", help="sane, psfs, koos-12, koos-pf, kujala."),
    ],
    answers: Annotated[
        Path,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="A JSON list in the instrument's order; null: skipped.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Score one questionnaire's answers by the instrument's published rule."""
    from kneecap.core.outcomes import OutcomeError, instrument, score

    try:
        inst = instrument(instrument_id)
    except OutcomeError as exc:
        raise errors.UserError(f"--instrument: {exc}") from None
    try:
        result = score(inst, _read_answers(answers))
    except OutcomeError as exc:
        raise errors.UserError(f"{answers}: {exc}") from None
    if as_json:
        _print_json(result)
    else:
        _print_scores(inst, result)


def _read_answers(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise errors.UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise errors.UserError(f"{path}: not valid JSON: {exc}") from None


def _print_scores(inst: Instrument, result: Scores) -> None:
    from rich.console import Console
    from rich.table import Table

    low, high = inst.score_range
    table = Table("score", "value", title=f"{inst.name} ({low}–{high}, higher is better)")
    for key, value in result.items():
        table.add_row(key, "no score (too few answers)" if value is None else f"{value:.1f}")
    Console().print(table)


@outcome_app.command("instruments")
def list_instruments(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The built-in instruments: items, score keys, where the wording comes from, and the
    published smallest important changes."""
    from kneecap.core.outcomes import INSTRUMENTS

    if as_json:
        _print_json([inst.as_dict() for inst in INSTRUMENTS.values()])
        return
    _print_instruments(list(INSTRUMENTS.values()))


def _print_instruments(instruments: list[Instrument]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "name", "answers", "keys", "range", "wording")
    for inst in instruments:
        count = str(len(inst.items))
        if inst.shortest != len(inst.items):
            count = f"{inst.shortest}–{count}"
        low, high = inst.score_range
        wording = "kneecap's own" if inst.text_source == "kneecap" else "the instance owner's"
        table.add_row(inst.id, inst.name, count, ", ".join(inst.keys), f"{low}–{high}", wording)
    console = Console()
    console.print(table)
    console.print("Smallest important changes (published):")
    for inst in instruments:
        for c in inst.important_changes:
            console.print(f"  {inst.id} {c.key}: {c.points:g} points, {c.context}", style="bold")
            console.print(f"    {c.source}", style="dim")
        if not inst.important_changes:
            console.print(f"  {inst.id}: none found in the sources kneecap checked")
