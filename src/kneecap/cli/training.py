"""`kneecap session`, `kneecap log` and `kneecap history`: the training log in the terminal."""

from __future__ import annotations

import inspect
import json
import time
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap.cli import errors, fields
from kneecap.cli.runs import UserOption, local_user
from kneecap.cli.server import migrate_database, setup_django

if TYPE_CHECKING:  # Django is set up inside the commands
    from kneecap.db.accounts.users import User
    from kneecap.db.training.models import SessionLog

log_app = typer.Typer(help="Record a strength session or a run from flags (for scripts).")


def register(app: typer.Typer) -> None:
    app.command()(session)
    app.add_typer(log_app, name="log")
    app.command()(history)


def _owner(username: str | None) -> User:
    setup_django()
    migrate_database()
    return local_user(username)


def _save(owner: User, payload: dict[str, Any]) -> SessionLog:
    """A session in core's JSON shape, checked and stored like any other door's."""
    from django.utils import timezone

    from kneecap.application import record
    from kneecap.application.safety import GateClosed
    from kneecap.core import log as core
    from kneecap.core.log import LogError

    try:
        client_id = record.client_id_of(payload.pop("client_id", None))
        session = core.from_json(core.SessionLog, payload)
        row, _ = record.record_session(owner, session, timezone.localdate(), client_id)
    except (LogError, GateClosed) as exc:
        raise errors.UserError(str(exc)) from None
    return row


# --- the guided session ------------------------------------------------------------------


def session(
    user: UserOption = None,
    exercise: Annotated[
        str | None, typer.Option(help="Any exercise instead of today's plan.")
    ] = None,
    speed: Annotated[float, typer.Option(min=1, max=1000, help="Run the clock faster.")] = 1,
) -> None:
    """Guide today's session with countdowns, then record what was done and the pain."""
    owner = _owner(user)
    from kneecap.cli import guide

    found = guide.today(owner)
    if guide.ask_missing(owner, found):
        found = guide.today(owner)  # a rating given may change today's doses
    items = guide.todays_items(owner, found, exercise)
    if not items:
        typer.echo("No strength session is planned today. Try: kneecap session --exercise SLUG")
        return
    payload = guide.play(items, speed=speed, clock=time, ceiling=found.ceiling)
    row = _save(owner, payload)
    typer.echo(f"Saved session {row.pk} of {row.date}. See it with: kneecap history")


# --- kneecap log session / run -------------------------------------------------------------

# Session fields whose names an exercise's fields already take: their flags say "session".
_SESSION_RENAMED = {"pain_location": "session_pain_location", "rpe": "session_rpe", "date": "day"}
_FIXED = [
    inspect.Parameter("user", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=UserOption),
    inspect.Parameter(
        "file",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            Path | None,
            typer.Option(help="A session in the log's JSON shape (docs/progression.md)."),
        ],
    ),
    inspect.Parameter(
        "exercise",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[str | None, typer.Option(help="Exercise slug (one exercise).")],
    ),
    inspect.Parameter(
        "level",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[str | None, typer.Option(help="Level slug (default: the first).")],
    ),
    inspect.Parameter(
        "sets",
        inspect.Parameter.KEYWORD_ONLY,
        default=1,
        annotation=Annotated[int, typer.Option(min=1, max=50, help="Sets like the one given.")],
    ),
]


def _log_session(**given: Any) -> None:
    """Record a strength session, from a JSON file or from flags for one exercise.

    Every field of core's session model has a flag: the set's amounts, the exercise's pain,
    place and effort, and the session's (flags that an exercise also has say "session").
    """
    owner = _owner(given["user"])
    if given["file"] is not None:
        if given["exercise"] is not None:
            raise errors.UserError("give either --file or --exercise, not both")
        payload = _read_json(given["file"])
    else:
        payload = _from_flags(owner, given)
    payload.setdefault("client_id", str(uuid.uuid4()))
    row = _save(owner, payload)
    typer.echo(json.dumps({"id": row.pk, "date": row.date.isoformat()}))


def _read_json(file: Path) -> dict[str, Any]:
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise errors.UserError(f"{file}: {exc}") from None
    if not isinstance(payload, dict):
        raise errors.UserError(f"{file}: expected a session object")
    return payload


def _from_flags(owner: User, given: dict[str, Any]) -> dict[str, Any]:
    from kneecap.core import log as core

    if given["exercise"] is None:
        raise errors.UserError("give --exercise SLUG (or --file FILE)")
    entry = {
        "exercise": given["exercise"],
        "level": given["level"] or _first_level(owner, given["exercise"]),
        "sets": [fields.values(core.SetResult, given)] * given["sets"],
        **fields.values(core.ExerciseLog, given),
    }
    session = fields.values(core.SessionLog, given, _SESSION_RENAMED)
    session.setdefault("date", date.today().isoformat())  # noqa: DTZ011 - the runner's own day
    return {**session, "exercises": [entry]}


def _log_options() -> list[inspect.Parameter]:
    from kneecap.core import log as core

    return [
        *fields.options(core.SetResult),
        *fields.options(core.ExerciseLog, skip=("exercise", "level")),
        *fields.options(core.SessionLog, rename=_SESSION_RENAMED),
    ]


log_app.command("session")(fields.command(_log_session, _FIXED, _log_options()))


def _first_level(owner: User, slug: str) -> str:
    from kneecap.application.catalog import catalog_for

    try:
        return catalog_for(owner).get(slug).levels[0].slug
    except KeyError:
        raise errors.UserError(f"exercise: no exercise {slug!r} in the catalog") from None


@log_app.command("run")
def log_run(
    minutes: Annotated[float, typer.Option(min=1, max=1440, help="How long.")],
    user: UserOption = None,
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today).")] = None,
    distance_km: Annotated[float | None, typer.Option("--distance-km", min=0, max=500)] = None,
    kind: Annotated[str, typer.Option(help="easy|quality|long|race|other")] = "easy",
    rpe: Annotated[int | None, typer.Option(min=0, max=10)] = None,
    name: Annotated[str, typer.Option(help="A title.")] = "",
    stopped_for_pain: Annotated[
        bool, typer.Option("--stopped-for-pain", help="The run was stopped early for pain.")
    ] = False,
) -> None:
    """Record a run by hand."""
    owner = _owner(user)
    from django.utils import timezone

    from kneecap.application import runs
    from kneecap.core import log as core
    from kneecap.core.log import LogError

    given = {
        "date": (day or date.today().isoformat()),  # noqa: DTZ011 - the runner's own day
        "minutes": minutes,
        "distance_m": None if distance_km is None else distance_km * 1000,
        "kind": kind,
        "rpe": rpe,
        "name": name,
        "stopped_for_pain": stopped_for_pain,
    }
    try:
        run = core.from_json(core.RunLog, given)
        row = runs.add_run(owner, run, timezone.localdate())
    except LogError as exc:
        raise errors.UserError(str(exc)) from None
    typer.echo(json.dumps({"id": row.pk, "date": run.date.isoformat()}))


# --- history ---------------------------------------------------------------------------------


def history(
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """The logged sessions, newest first, with their sets and pain."""
    owner = _owner(user)
    from kneecap.application.log import sessions_of
    from kneecap.core.log import to_json
    from kneecap.db.training.models import SessionLog

    newest = SessionLog.objects.filter(owner=owner).order_by("-date", "-id")
    rows = list(newest.prefetch_related("exercises__sets")[:limit])
    sessions = [
        {"id": row.pk, **to_json(s)} for row, s in zip(rows, sessions_of(rows), strict=True)
    ]
    if as_json:
        typer.echo(json.dumps(sessions, indent=2))
        return
    from rich.console import Console

    from kneecap.application.profile import units_of
    from kneecap.core import units

    units.activate(units_of(owner))
    console = Console()
    for s in sessions:
        pain = f", pain after {s['pain_after']}/10" if s["pain_after"] is not None else ""
        console.print(f"[bold]{s['date']}[/]{pain}")
        for e in s["exercises"]:
            sets = "; ".join(", ".join(_set_words(st)) for st in e["sets"])
            console.print(f"  {e['exercise']} ({e['level']}): {sets}")
    if not sessions:
        console.print("No session logged yet.")


def _set_words(logged: dict[str, Any]) -> list[str]:
    """A set as "reps 10, 22 lb": distances and loads in the units in force."""
    from kneecap.core import units

    shown = {"distance_m": units.distance, "load_kg": units.load}
    return [shown[k](v) if k in shown else f"{k} {v}" for k, v in logged.items() if v is not None]
