"""`kneecap init`: the first-use onboarding in the terminal (same answers as the web wizard)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap.cli import errors
from kneecap.cli.server import migrate_database, setup_django

if TYPE_CHECKING:  # Django is set up inside the commands
    from kneecap.db.accounts.users import User


def register(app: typer.Typer) -> None:
    app.command()(init)


def init(
    username: Annotated[str, typer.Option("--username", "-u", prompt=True, help="Your account.")],
    profile_file: Annotated[
        Path | None,
        typer.Option("--profile", help="Take the answers from a profile file instead of asking."),
    ] = None,
) -> None:
    """Set up the database, your account and your running profile, then show your plan."""
    setup_django()
    migrate_database()
    from django.utils import timezone

    from kneecap.core.profile import ProfileError, load_profile_file

    user = _user(username)
    if profile_file is not None:
        try:
            load_profile_file(profile_file)  # validates every field
        except ProfileError as exc:
            raise errors.UserError(f"profile: {exc}") from None
        raw = json.loads(json.dumps(_read(profile_file), default=str))
        answers = {k: v for k, v in raw.items() if k not in {"start_date", "weeks"}}
    else:
        answers = _ask()
    _save(user, answers, timezone.localdate())
    name = user.get_username()
    typer.echo(f"Profile saved for {name}. See your plan with: kneecap plan --user {name}")


def _read(path: Path) -> dict[str, Any]:
    import tomllib

    if path.suffix.lower() == ".toml":
        return tomllib.loads(path.read_text(encoding="utf-8"))
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _user(username: str) -> User:
    from django.contrib.auth import get_user_model

    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is not None:
        return user
    first = not users.objects.exists()
    password = typer.prompt("Choose a password", hide_input=True, confirmation_prompt=True)
    user = users.objects.create_user(username, password=password)
    if first:  # the first account owns the instance, as on the web's first-run page
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _ask() -> dict[str, Any]:
    from kneecap.core.catalog.model import Equipment
    from kneecap.core.profile import WEEKDAYS, RunKind
    from kneecap.core.screening import QUESTIONS

    kinds = "/".join(k.value for k in RunKind)
    runs = {}
    typer.echo("Your usual running week.")
    for day in WEEKDAYS:
        kind = _ask_choice(f"  {day}: {kinds}", [k.value for k in RunKind], "rest")
        minutes = 0 if kind == "rest" else _ask_int("    minutes", 1, 600)
        runs[day] = {"kind": kind, "minutes": minutes}
    have = [e.value for e in Equipment if e is not Equipment.NONE]
    equipment = typer.prompt(f"Equipment you have, comma-separated ({', '.join(have)})", default="")
    answers: dict[str, Any] = {
        "runs": runs,
        "equipment": [e.strip() for e in equipment.split(",") if e.strip()],
        "sessions_per_week": _ask_int("Strength sessions a week", 0, 7, 2),
        "minutes_per_session": _ask_int("Minutes a session", 5, 180, 25),
        "experience": _ask_choice("Experience", ["novice", "intermediate", "advanced"], "novice"),
        "knee_pain_now": _ask_int("Knee pain right now (0-10)", 0, 10, 0),
        "races": [],
    }
    typer.echo("Safety questions: answer y for every statement that is true for you.")
    answers["screening"] = {
        q.id: typer.confirm(f"  {q.question}", default=False) for q in QUESTIONS
    }
    return answers


def _ask_int(label: str, lo: int, hi: int, default: int | None = None) -> int:
    while True:
        answer = typer.prompt(label, default=default)
        try:
            value = int(answer)
        except (TypeError, ValueError):
            value = lo - 1
        if lo <= value <= hi:
            return value
        typer.echo(f"    please answer a whole number from {lo} to {hi}")


def _ask_choice(label: str, values: list[str], default: str) -> str:
    while True:
        answer = str(typer.prompt(label, default=default)).strip().lower()
        if answer in values:
            return answer
        typer.echo(f"    please answer one of: {', '.join(values)}")


def _save(user: User, answers: dict[str, Any], today: date) -> None:
    from kneecap.application import profile
    from kneecap.core.profile import ProfileError

    try:
        profile.save_profile(user, answers, today, answered=True)
    except ProfileError as exc:
        raise errors.UserError(f"profile: {exc}") from None
