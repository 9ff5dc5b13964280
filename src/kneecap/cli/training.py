"""`kneecap session`, `kneecap log` and `kneecap history`: the training log in the terminal."""

from __future__ import annotations

import json
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from kneecap.cli import errors
from kneecap.cli.runs import UserOption, local_user
from kneecap.cli.server import migrate_database, setup_django

log_app = typer.Typer(help="Record a strength session or a run from flags (for scripts).")


def register(app: typer.Typer) -> None:
    app.command()(session)
    app.add_typer(log_app, name="log")
    app.command()(history)


def _owner(username: str | None) -> Any:
    setup_django()
    migrate_database()
    return local_user(username)


def _save(owner: Any, payload: dict[str, Any]) -> Any:
    from django.utils import timezone

    from kneecap.application import log as logging
    from kneecap.application import plans
    from kneecap.core.log import LogError

    try:
        row, _ = logging.record_session(owner, payload, timezone.localdate())
    except LogError as exc:
        raise errors.UserError(str(exc)) from None
    plans.snapshot(owner, timezone.localdate())
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

    items = guide.todays_items(owner, exercise)
    if not items:
        typer.echo("No strength session is planned today. Try: kneecap session --exercise SLUG")
        return
    payload = guide.play(items, speed=speed, clock=time)
    row = _save(owner, payload)
    typer.echo(f"Saved session {row.pk} of {row.date}. See it with: kneecap history")


# --- kneecap log session / run -------------------------------------------------------------


@log_app.command("session")
def log_session(
    user: UserOption = None,
    file: Annotated[Path | None, typer.Option(help="A session in the log's JSON shape.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today).")] = None,
    exercise: Annotated[str | None, typer.Option(help="Exercise slug (one exercise).")] = None,
    level: Annotated[str | None, typer.Option(help="Level slug (default: the first).")] = None,
    sets: Annotated[int, typer.Option(min=1, max=50)] = 1,
    reps: Annotated[int | None, typer.Option()] = None,
    hold_s: Annotated[float | None, typer.Option("--hold-s")] = None,
    distance_m: Annotated[float | None, typer.Option("--distance-m")] = None,
    load_kg: Annotated[float | None, typer.Option("--load-kg")] = None,
    pain_during: Annotated[int | None, typer.Option("--pain-during")] = None,
    pain_after: Annotated[int | None, typer.Option("--pain-after")] = None,
    rpe: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Record a strength session, from a JSON file or from flags for one exercise."""
    owner = _owner(user)
    if file is not None:
        try:
            payload = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise errors.UserError(f"{file}: {exc}") from None
    else:
        if exercise is None:
            raise errors.UserError("give --exercise SLUG (or --file FILE)")
        done = {"reps": reps, "hold_s": hold_s, "distance_m": distance_m, "load_kg": load_kg}
        payload = {
            "date": day or date.today().isoformat(),  # noqa: DTZ011 - the runner's own day
            "pain_after": pain_after,
            "exercises": [
                {
                    "exercise": exercise,
                    "level": level or _first_level(owner, exercise),
                    "sets": [{k: v for k, v in done.items() if v is not None}] * sets,
                    "pain_during": pain_during,
                    "rpe": rpe,
                }
            ],
        }
    payload.setdefault("client_id", str(uuid.uuid4()))
    row = _save(owner, payload)
    typer.echo(json.dumps({"id": row.pk, "date": row.date.isoformat()}))


def _first_level(owner: Any, slug: str) -> str:
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
) -> None:
    """Record a run by hand."""
    owner = _owner(user)
    from datetime import datetime

    from django.utils import timezone

    from kneecap.application import plans
    from kneecap.db.runs.models import Activity

    when = _day(day)
    if when > timezone.localdate():
        raise errors.UserError("date: a run cannot be logged in the future")
    if kind not in Activity.Kind.values:
        raise errors.UserError(f"kind: use one of {'|'.join(Activity.Kind.values)}")
    start = timezone.make_aware(datetime.combine(when, datetime.min.time())).replace(hour=12)
    run = Activity.objects.create(
        owner=owner,
        start=start,
        sport="running",
        kind=kind,
        elapsed_s=minutes * 60,
        moving_s=minutes * 60,
        distance_m=None if distance_km is None else distance_km * 1000,
        rpe=rpe,
        source="manual",
    )
    plans.snapshot(owner, timezone.localdate())
    typer.echo(json.dumps({"id": run.pk, "date": when.isoformat()}))


def _day(raw: str | None) -> date:
    if raw is None:
        return date.today()  # noqa: DTZ011 - the runner's own day
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise errors.UserError(f"date: {raw!r} is not YYYY-MM-DD") from None


# --- history ---------------------------------------------------------------------------------


def history(
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """The logged sessions, newest first, with their sets and pain."""
    owner = _owner(user)
    from kneecap.application.log import session_payload
    from kneecap.db.training.models import SessionLog

    rows = SessionLog.objects.filter(owner=owner).order_by("-date", "-id")
    rows = rows.prefetch_related("exercises__sets")[:limit]
    sessions = [{"id": row.pk, **session_payload(row)} for row in rows]
    if as_json:
        typer.echo(json.dumps(sessions, indent=2))
        return
    from rich.console import Console

    console = Console()
    for s in sessions:
        pain = f", pain after {s['pain_after']}/10" if s["pain_after"] is not None else ""
        console.print(f"[bold]{s['date']}[/]{pain}")
        for e in s["exercises"]:
            sets = "; ".join(", ".join(f"{k} {v}" for k, v in st.items()) for st in e["sets"])
            console.print(f"  {e['exercise']} ({e['level']}): {sets}")
    if not sessions:
        console.print("No session logged yet.")
