"""The guided session in the terminal: the same event script as the browser, with Rich."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

import typer

from kneecap.cli import errors
from kneecap.core.sessions import EventKind, GuideItem, Script, Timer, session_script

if TYPE_CHECKING:  # Django is set up inside the commands
    from kneecap.application.today import Day
    from kneecap.db.accounts.users import User


class Clock(Protocol):
    def sleep(self, seconds: float, /) -> None: ...


def today(owner: User) -> Day:
    """Today as the application layer has it (``kneecap.application.today.Day``)."""
    from django.utils import timezone

    from kneecap.application.today import today_for

    found = today_for(owner, timezone.localdate())
    if found is None:
        raise errors.UserError("no running profile yet: run `kneecap init` first")
    return found


def ask_missing(owner: User, found: Day) -> bool:
    """Offer the ratings a dose waits for (rules 6, 14); blank skips one. Returns whether
    any was given (Today then changes)."""
    from django.utils import timezone

    from kneecap.application import record
    from kneecap.application.catalog import catalog_for
    from kneecap.core.log import LogError
    from kneecap.core.progression import Missing

    if not found.missing:
        return False
    catalog, given = catalog_for(owner), False
    typer.echo("A rating is missing, and the dose it decides holds until it is given:")
    for m in found.missing:
        when = m.date.strftime("%a %d %b")
        if m.what is Missing.PAIN_NEXT_MORNING:
            label = f"Knee pain the morning after your session of {when} (0-10, blank to skip)"
        else:
            slug = m.exercise or ""
            name = catalog.get(slug).name if slug in catalog else slug
            label = f"Knee pain during {name} on {when} (0-10, blank to skip)"
        value = _ask_pain(label)
        if value is None:
            continue
        try:
            record.add_rating(owner, m.date, m.exercise, m.what, value, timezone.localdate())
        except LogError as exc:
            raise errors.UserError(str(exc)) from None
        given = True
    return given


def todays_items(owner: User, found: Day, exercise: str | None) -> list[Item]:
    """(exercise, level slug, prescription, reason) for today's session or one exercise,
    as the safety gate allows them; a closed gate is an error that says why."""
    from kneecap.application.catalog import catalog_for

    catalog = catalog_for(owner)
    if found.closed:
        raise errors.UserError(" ".join(r.text() for r in found.closed))
    if exercise is not None:
        if exercise not in catalog:
            raise errors.UserError(f"no exercise {exercise!r}: see kneecap exercises")
        chosen = found.choice(exercise)
        assert chosen is not None  # noqa: S101 - every catalog exercise is a choice
        verdict, dose = chosen.verdict, chosen.dose
        if dose is None:
            raise errors.UserError(f"not {catalog.get(exercise).name} today: {verdict.text()}")
        ex, p = catalog.get(exercise), dose.prescription
        if verdict.side is not None:  # rule 37: the other leg is paused
            p = replace(p, per_side=False)
            reason = f"{dose.reason} {verdict.side.value} leg only (rule 37)."
            return [(ex, dose.level, p, reason, verdict.side)]
        return [(ex, dose.level, p, dose.reason, None)]
    if found.session is None:
        return []
    why = "; ".join(found.session.why)
    return [
        (catalog.get(i.exercise), i.level, _one_leg(i.prescription, i.side), why, i.side)
        for i in found.session.items
    ]


def _one_leg(prescription: Any, side: Any) -> Any:
    return replace(prescription, per_side=False) if side else prescription


Item = tuple[Any, str, Any, str, Any]  # exercise, level slug, prescription, reason, side


def play(
    items: list[Item], *, speed: float, clock: Clock, keys: Keys | None = None, ceiling: int = 5
) -> dict[str, Any]:
    """Play the script; return the session in the log's JSON shape. ``keys`` tells whether
    the runner pressed P (pain) during a timer; above ``ceiling`` the exercise ends (rule 16)."""
    import time

    from django.utils import timezone
    from rich.console import Console

    script = session_script([GuideItem.of(item[0], item[2]) for item in items])
    console = Console(highlight=False)
    done: list[dict[str, Any]] = [
        {"exercise": ex.slug, "level": level, "sets": []} for ex, level, *_ in items
    ]
    before = _ask_pain("Knee pain now, before you start (0-10, blank to skip)")
    started = time.monotonic()
    player = _Player(script, console, clock, speed, done, items)
    player.keys, player.ceiling = keys or _terminal_keys(), ceiling
    player.run()
    pain_after = _ask_pain("Knee pain now, after the session (0-10, blank to skip)")
    effort = _ask_pain("How hard was the whole session? (0-10, blank to skip)")
    minutes = round((time.monotonic() - started) * speed / 60, 2)
    return {
        "client_id": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "pain_before": before,
        "pain_after": pain_after,
        "minutes": minutes,
        "rpe": effort,
        "twisted_or_fell": typer.confirm("Did you twist the knee or fall?", default=False),
        "swelling": typer.confirm("Has the knee swollen?", default=False),
        "exercises": [d for d in done if d["sets"] or d.get("pain_during") is not None],
    }


class Keys(Protocol):
    def pressed(self, within_s: float) -> str | None: ...


class _NoKeys:
    """No terminal to read from (a pipe, a test): nothing is pressed, the time passes."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock

    def pressed(self, within_s: float) -> str | None:
        self.clock.sleep(within_s)
        return None


class _TerminalKeys:
    """One key at a time from the terminal, without waiting for Enter."""

    def pressed(self, within_s: float) -> str | None:
        import select
        import sys
        import termios
        import tty

        fd = sys.stdin.fileno()
        old = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            ready, _, _ = select.select([sys.stdin], [], [], within_s)
            return sys.stdin.read(1) if ready else None
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)


def _terminal_keys() -> Keys | None:
    import sys

    return _TerminalKeys() if sys.stdin.isatty() else None


class _Player:
    def __init__(
        self,
        script: Script,
        console: Any,
        clock: Clock,
        speed: float,
        done: list[dict[str, Any]],
        items: list[Item],
    ) -> None:
        self.script, self.console, self.clock, self.speed = script, console, clock, speed
        self.done, self.items = done, items
        self.keys: Keys | None = None
        self.ceiling = 5
        self.stopped: set[int] = set()  # exercises ended by pain above the ceiling

    def run(self) -> None:
        previous: int | None = None
        for event in self.script.events:
            if previous is not None and event.item != previous:
                self._exercise_done(previous)
            previous = event.item
            if event.item is None or event.item not in self.stopped:
                self._event(event)

    def _event(self, e: Any) -> None:
        if e.cue:
            self.console.bell()  # also at each hold's end
        if e.kind is EventKind.EXERCISE:
            ex, _, p, reason, side = self.items[e.item]
            only = f", {side.value} leg only" if side else ""
            self.console.rule(f"[bold]{ex.name}[/]: {p.describe()}{only}")
            if reason:
                self.console.print(f"[dim]{reason}[/]")
            self.console.print(f"[dim]Press P if knee pain goes above {self.ceiling}/10.[/]")
            return
        sets = self.done[e.item]["sets"] if e.item is not None else []
        if e.kind is EventKind.SET:
            side = e.side or self.items[e.item][4]
            sets.append({"side": side.value} if side else {})
            self.console.print(f"[bold]{e.label}[/]")
        elif e.timer is Timer.COUNTDOWN:
            if self._countdown(e.label, e.duration_s, e.item):
                self._record_countdown(e, sets)
        elif e.timer is Timer.STOPWATCH:
            seconds = e.duration_s or (e.target if e.unit == "s" else 0) or 0
            if self._countdown(e.label, seconds, e.item):
                self._record_stopwatch(e, sets)

    def _countdown(self, label: str, seconds: float, item: int | None) -> bool:
        """Whether the timer ran out (False: pain above the ceiling ended the exercise)."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        steps = max(1, int(seconds))
        keys = self.keys or _NoKeys(self.clock)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        ) as progress:
            task = progress.add_task(label, total=steps)
            for _ in range(steps):
                key = keys.pressed(seconds / steps / self.speed)
                if key in ("p", "P") and item is not None and self._pain_now(item):
                    return False
                progress.advance(task)
        return True

    def _pain_now(self, item: int) -> bool:
        """rule 16: pain above the ceiling during a set ends that exercise at once."""
        value = _ask_pain(f"  knee pain now (0-10, above {self.ceiling} ends the exercise)")
        if value is None:
            return False
        entry = self.done[item]
        entry["peak"] = max(entry.get("peak", 0), value)
        if value <= self.ceiling:
            return False
        entry["pain_during"] = entry.pop("peak")
        self.stopped.add(item)
        self.console.print(f"[bold]{self.items[item][0].name} stopped[/]: it steps back next time.")
        return True

    def _record_countdown(self, e: Any, sets: list[dict[str, Any]]) -> None:
        if e.kind is EventKind.REP:
            sets[-1]["reps"] = sets[-1].get("reps", 0) + 1
        elif e.kind is EventKind.HOLD and e.target:
            sets[-1]["hold_s"] = e.target
        elif e.records == "duration_s":
            sets[-1]["duration_s"] = e.duration_s

    def _record_stopwatch(self, e: Any, sets: list[dict[str, Any]]) -> None:
        words = {"s": "seconds held", "m": "metres done", "yd": "yards done"}
        unit = words.get(e.unit or "s", "flights done")
        value = typer.prompt(f"  {unit}", default=_num(e.target or 0), type=float)
        if value < 0:
            raise errors.UserError(f"{e.records}: cannot be negative")
        sets[-1][e.records] = int(value) if e.records == "flights" else value * e.per_unit

    def _exercise_done(self, index: int) -> None:
        entry = self.done[index]
        peak = entry.pop("peak", None)
        if entry.get("pain_during") is None:
            label = f"Knee pain during {self.items[index][0].name} (0-10, blank to skip)"
            entry["pain_during"] = _ask_pain(label, default=peak)
        entry["pain_location"] = _ask_place()
        rpe = typer.prompt("  effort, RPE 0-10 (blank to skip)", default="", show_default=False)
        entry["rpe"] = int(rpe) if str(rpe).strip().isdecimal() else None


_PLACES = ("muscle", "joint", "tendon", "bone")


def _ask_place() -> str | None:
    """Where it hurt, with no default: sore muscles first (rule 20); blank: not said."""
    while True:
        raw = typer.prompt(
            "  where: muscle (soreness), joint, tendon or bone (blank to skip)",
            default="",
            show_default=False,
        )
        place = str(raw).strip().lower()
        if place in _PLACES or not place:
            return place or None
        typer.echo(f"  please answer one of: {', '.join(_PLACES)}")


def _ask_pain(label: str, *, default: int | None = None) -> int | None:
    """A 0-10 rating; blank gives ``default``, and with none the rating is not given (the
    engine never reads a rating nobody gave as 0: rules 6, 14)."""
    while True:
        shown = "" if default is None else str(default)
        raw = str(typer.prompt(label, default=shown, show_default=default is not None)).strip()
        if not raw:
            return default
        if raw.isdecimal() and 0 <= int(raw) <= 10:
            return int(raw)
        typer.echo("  please give a whole number from 0 to 10")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
