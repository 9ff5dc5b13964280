"""The guided session in the terminal: the same event script as the browser, with Rich."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

import typer

from kneecap.cli import errors
from kneecap.core.sessions import EventKind, GuideItem, Script, Timer, session_script


class Clock(Protocol):
    def sleep(self, seconds: float, /) -> None: ...


def todays_items(owner: Any, exercise: str | None) -> list[tuple[Any, str, Any, str]]:
    """(exercise, level slug, prescription, reason) for today's session or one exercise."""
    from django.utils import timezone

    from kneecap.application import plans
    from kneecap.application.catalog import catalog_for

    catalog = catalog_for(owner)
    if exercise is not None:
        try:
            ex = catalog.get(exercise)
        except KeyError:
            raise errors.UserError(f"no exercise {exercise!r}: see kneecap exercises") from None
        _, level, prescription, reason = plans.current_dose(owner, ex)
        return [(ex, level, prescription, reason)]
    today = timezone.localdate()
    plan = plans.plan_for(owner, today, weeks=1)
    if plan is None:
        raise errors.UserError("no running profile yet: run `kneecap init` first")
    if plan.blocked is not None:
        raise errors.UserError(f"{plan.blocked.reason} {plan.blocked.advice}")
    session = next((s for s in plan.sessions() if s.date == today), None)
    if session is None:
        return []
    why = "; ".join(session.why)
    return [(catalog.get(i.exercise), i.level, i.prescription, why) for i in session.items]


def play(items: list[tuple[Any, str, Any, str]], *, speed: float, clock: Clock) -> dict[str, Any]:
    """Play the script; return the session in the log's JSON shape."""
    from django.utils import timezone
    from rich.console import Console

    script = session_script([GuideItem.of(ex, p) for ex, _, p, _ in items])
    console = Console(highlight=False)
    done: list[dict[str, Any]] = [
        {"exercise": ex.slug, "level": level, "sets": []} for ex, level, _, _ in items
    ]
    _Player(script, console, clock, speed, done, items).run()
    pain_after = _ask_pain("Knee pain now, after the session (0-10)")
    return {
        "client_id": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "pain_after": pain_after,
        "exercises": done,
    }


class _Player:
    def __init__(
        self,
        script: Script,
        console: Any,
        clock: Clock,
        speed: float,
        done: list[dict[str, Any]],
        items: list[tuple[Any, str, Any, str]],
    ) -> None:
        self.script, self.console, self.clock, self.speed = script, console, clock, speed
        self.done, self.items = done, items

    def run(self) -> None:
        previous: int | None = None
        for event in self.script.events:
            if previous is not None and event.item != previous:
                self._exercise_done(previous)
            previous = event.item
            self._event(event)

    def _event(self, e: Any) -> None:
        if e.cue:
            self.console.bell()
        if e.kind is EventKind.EXERCISE:
            ex, _, p, reason = self.items[e.item]
            self.console.rule(f"[bold]{ex.name}[/]: {p.describe()}")
            if reason:
                self.console.print(f"[dim]{reason}[/]")
            return
        sets = self.done[e.item]["sets"] if e.item is not None else []
        if e.kind is EventKind.SET:
            sets.append({"side": e.side.value} if e.side else {})
            self.console.print(f"[bold]{e.label}[/]")
        elif e.timer is Timer.COUNTDOWN:
            self._countdown(e.label, e.duration_s)
            self._record_countdown(e, sets)
        elif e.timer is Timer.STOPWATCH:
            self._countdown(e.label, e.duration_s or (e.target if e.unit == "s" else 0) or 0)
            self._record_stopwatch(e, sets)

    def _countdown(self, label: str, seconds: float) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        steps = max(1, int(seconds))
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        ) as progress:
            task = progress.add_task(label, total=steps)
            for _ in range(steps):
                self.clock.sleep(seconds / steps / self.speed)
                progress.advance(task)

    def _record_countdown(self, e: Any, sets: list[dict[str, Any]]) -> None:
        if e.kind is EventKind.REP:
            sets[-1]["reps"] = sets[-1].get("reps", 0) + 1
        elif e.kind is EventKind.HOLD and e.target:
            sets[-1]["hold_s"] = e.target
        elif e.records == "duration_s":
            sets[-1]["duration_s"] = e.duration_s

    def _record_stopwatch(self, e: Any, sets: list[dict[str, Any]]) -> None:
        unit = {"s": "seconds held", "m": "metres done", "flights": "flights done"}[e.unit or "s"]
        value = typer.prompt(f"  {unit}", default=_num(e.target or 0), type=float)
        if value < 0:
            raise errors.UserError(f"{e.records}: cannot be negative")
        sets[-1][e.records] = int(value) if e.records == "flights" else value

    def _exercise_done(self, index: int) -> None:
        entry = self.done[index]
        entry["pain_during"] = _ask_pain(f"Knee pain during {self.items[index][0].name} (0-10)")
        entry["pain_location"] = (
            typer.prompt("  where (joint/tendon/bone/muscle)", default="joint").strip().lower()
        )
        rpe = typer.prompt("  effort, RPE 1-10 (blank to skip)", default="", show_default=False)
        entry["rpe"] = int(rpe) if str(rpe).strip().isdecimal() else None


def _ask_pain(label: str) -> int:
    while True:
        raw = str(typer.prompt(label, default="0")).strip()
        if raw.isdecimal() and 0 <= int(raw) <= 10:
            return int(raw)
        typer.echo("  please give a whole number from 0 to 10")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
