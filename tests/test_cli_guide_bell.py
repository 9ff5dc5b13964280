"""The terminal guide rings the bell (BEL, \\a) when each hold ends, as the phone beeps."""

from __future__ import annotations

import io

from rich.console import Console

from kneecap.cli.guide import _Player
from kneecap.core.catalog import load_catalog
from kneecap.core.catalog.model import Prescription
from kneecap.core.sessions import EventKind, GuideItem, session_script


class _Clock:
    def sleep(self, seconds: float, /) -> None:
        return None


def test_the_bell_rings_at_each_holds_end() -> None:
    exercise = load_catalog().get("tibialis-raise")
    dose = Prescription(sets=2, reps=3, hold_s=3, rest_s=30)
    script = session_script([GuideItem.of(exercise, dose)])
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    done = [{"exercise": exercise.slug, "level": "bodyweight", "sets": []}]
    player = _Player(script, console, _Clock(), 1000.0, done, [(exercise, "", dose, "", None)])
    events: list[str] = []
    ring = console.bell
    console.bell = lambda: (events.append("bell"), ring())[1]  # type: ignore[method-assign]
    for event in script.events:
        player._event(event)
        if event.kind is EventKind.HOLD_END:
            assert events and events[-1] == "bell", "no bell when the hold ended"
        events.append(event.kind.value)

    hold_ends = sum(e.kind is EventKind.HOLD_END for e in script.events)
    assert hold_ends == 2 * 3
    assert out.getvalue().count("\a") >= hold_ends  # a real BEL reaches the terminal
    assert [s["reps"] for s in done[0]["sets"]] == [3, 3]
