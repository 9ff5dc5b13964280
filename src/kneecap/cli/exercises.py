"""`kneecap exercises`: list the catalog, or show one exercise with its ladder.

No database and no Django: the catalog is read from the shipped TOML files.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap.cli.errors import UserError
from kneecap.core.catalog import (
    Catalog,
    CatalogError,
    Equipment,
    Exercise,
    Stress,
    equipment_options,
    estimate_duration_s,
    exercise_to_dict,
    load_catalog,
)

if TYPE_CHECKING:  # Rich's Markdown costs 0.1 s of every command's start: loaded on use
    from rich.console import Group
    from rich.table import Table

exercises_app = typer.Typer(
    help="Browse the exercise catalog: the seven knee drills and the hip module.",
    invoke_without_command=True,
    no_args_is_help=False,
)

_EQUIPMENT_HELP = "Only exercises using this equipment (repeat for any of several); 'none': no kit."


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(exercises_app, name="exercises")


def _catalog() -> Catalog:
    try:
        return load_catalog()
    except CatalogError as exc:
        raise UserError(f"the exercise catalog is broken: {exc}", 1) from None


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@exercises_app.callback()
def list_exercises(
    ctx: typer.Context,
    equipment: Annotated[
        list[Equipment],
        typer.Option("--equipment", "-e", help=_EQUIPMENT_HELP, case_sensitive=False),
    ] = [],  # noqa: B006 (Typer copies the default; it is never mutated)
    stress: Annotated[
        Stress | None,
        typer.Option("--stress", "-s", help="Only exercises with a level of this stress class."),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array instead of a table."),
) -> None:
    """List the exercises (a table, or JSON with --json). `exercises show SLUG` for one."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = _catalog().filter(equipment=equipment, stress=stress)
    if as_json:
        _print_json([exercise_to_dict(ex) for ex in chosen])
        return
    from rich.console import Console

    Console().print(_table(chosen))


@exercises_app.command("show")
def show(
    slug: str = typer.Argument(..., help="The exercise's slug, e.g. tibialis-raise."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a page."),
) -> None:
    """Show one exercise: why, how, cautions and its ladder of levels."""
    catalog = _catalog()
    if slug not in catalog:
        known = ", ".join(catalog.slugs())
        raise UserError(f"no exercise {slug!r}; known: {known}", 2)
    exercise = catalog.get(slug)
    if as_json:
        _print_json(exercise_to_dict(exercise))
        return
    from rich.console import Console

    Console().print(_page(exercise))


_STRESS_ORDER = list(Stress)


def _stress_range(ex: Exercise) -> str:
    """ "low–high" across the ladder, or the one class all levels share."""
    classes = [ex.level_stress(lvl) for lvl in ex.levels]
    low, high = min(classes, key=_STRESS_ORDER.index), max(classes, key=_STRESS_ORDER.index)
    return low.value if low is high else f"{low.value}–{high.value}"


def _table(catalog: Catalog) -> Table:
    from rich.table import Table

    table = Table(title=f"kneecap exercises ({len(catalog)})", title_justify="left")
    table.add_column("slug", no_wrap=True, style="bold")
    for column in ("name", "equipment", "stress", "first level"):
        table.add_column(column, overflow="fold")
    for ex in catalog:
        table.add_row(
            ex.slug,
            ex.name + (" (hip)" if ex.module == "hip" else ""),
            ", ".join(equipment_options(ex)),
            _stress_range(ex),
            ex.levels[0].prescription.describe(),
        )
    return table


def _bullets(title: str, items: tuple[str, ...], numbered: bool = False) -> str:
    if not items:
        return ""
    lines = [f"{i}. {s}" if numbered else f"- {s}" for i, s in enumerate(items, 1)]
    return f"**{title}**\n\n" + "\n".join(lines) + "\n\n"


def _page(ex: Exercise) -> Group:
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    origin = "added by kneecap" if ex.origin.value == "kneecap" else ex.origin.value
    facts = (
        f"*{ex.summary}*\n\n{ex.purpose}\n\n"
        f"**Muscles:** {', '.join(ex.muscles)}  \n"
        f"**Equipment:** {', '.join(equipment_options(ex))}  \n"
        f"**Stress:** {_stress_range(ex)} · **Dose:** {ex.dose_kind.value}"
        f"{' per side' if ex.per_side else ''} · **Module:** {ex.module} ({origin}) · "
        f"**Evidence grade:** {ex.evidence_grade}\n\n"
    )
    body = (
        facts
        + _bullets("Steps", ex.steps, numbered=True)
        + _bullets("Cues", ex.cues)
        + _bullets("Cautions", ex.cautions)
        + _bullets("Do not do this exercise if", ex.contraindications)
    )
    sources = _bullets("Sources", ex.sources)
    return Group(
        Panel(Markdown(body), title=Text(f"{ex.name} ({ex.slug})", style="bold")),
        _ladder(ex),
        Markdown(sources),
    )


def _ladder(ex: Exercise) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Ladder", title_justify="left", show_lines=True)
    table.add_column("#")
    for column in ("level", "dose: start → top of level", "move on when"):
        table.add_column(column, overflow="fold")
    for i, lvl in enumerate(ex.levels, 1):
        minutes = estimate_duration_s(ex, lvl.prescription) / 60
        top = (lvl.target or lvl.prescription).describe()
        when = Text(lvl.advance_when)
        if lvl.note:
            when.append(f"\n{lvl.note}", style="dim")
        table.add_row(
            str(i),
            f"{lvl.name}\n{lvl.slug} · {ex.level_stress(lvl).value} stress",
            f"{lvl.prescription.describe()}\n→ {top}\n≈ {minutes:.0f} min",
            when,
        )
    return table
