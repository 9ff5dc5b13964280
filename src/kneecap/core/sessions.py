"""Guided sessions: prescriptions turned into the ordered, timed events of the session guide.

The browser's timer (JavaScript) and the terminal's Rich guide play the same script, so the
timing lives here, pure and tested, and both read it as JSON (``Script.to_json()``). The
schema is documented in docs/sessions.md; in short:

``{"version": 1, "total_s", "items": [...], "events": [...]}``, where every event has all of
``kind, item, at_s, duration_s, timer, set_no, sets, rep_no, reps, side, target, unit, cue,
skippable, awaits_input, records, label`` (null where they do not apply).

How a prescription is played (the same shape ``estimate_duration_s`` counts):

- every exercise opens with an ``exercise`` marker and a 5 s ``get-ready`` countdown;
- each set opens with a ``set`` marker; sets are separated by a skippable ``rest`` countdown
  of ``rest_s`` (none after the last set, none between exercises);
- per-side work is done in rounds: each set is the left side, a 5 s ``side-switch``, then the
  right side, then the rest, so each side rests while the other works;
- reps: a ``rep`` countdown of the rep tempo each, and with ``hold_s`` a ``hold`` countdown
  after it and a ``hold-end`` marker; both carry ``cue`` for a sound or vibration;
- holds for time: a 10 s ``setup`` countdown (getting into position), then a ``hold``
  stopwatch that runs up to the target and records how long was held (``records="hold_s"``);
- distance drills and flights: a ``work`` stopwatch with the target, then the guide waits for
  the runner to enter what was done (``awaits_input``); timed work is a ``work`` countdown.

``at_s`` and ``total_s`` assume every timer runs to its end and inputs take no time; players
follow the order of the events, not the clock. ``total_s`` equals the sum of the exercises'
``estimate_duration_s`` before its rounding up, plus the 5 s lead-in per exercise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from kneecap.core import units
from kneecap.core.catalog.model import SIDE_SWITCH_S, DoseKind, Exercise, Prescription

SCRIPT_VERSION = 1
GET_READY_S = 5.0  # lead-in before an exercise's first set
HOLD_SETUP_S = 10.0  # getting into and out of a timed hold, as estimate_duration_s counts it
FLIGHT_S = 30.0  # one flight up and down at an easy pace, as estimate_duration_s counts it


class EventKind(StrEnum):
    EXERCISE = "exercise"  # marker: an exercise begins
    GET_READY = "get-ready"  # countdown before the first set
    SET = "set"  # marker: a set (or one side of a round) begins
    SETUP = "setup"  # countdown: get into position for a hold
    REP = "rep"  # countdown: one rep's movement
    HOLD = "hold"  # countdown within a rep, or stopwatch for a hold set
    HOLD_END = "hold-end"  # marker at the end of a hold
    WORK = "work"  # distance, flights or timed work
    SIDE_SWITCH = "side-switch"  # countdown: change to the other side
    REST = "rest"  # countdown between sets
    END = "end"  # marker: the session is done


class Timer(StrEnum):
    NONE = "none"  # a marker: no time passes
    COUNTDOWN = "countdown"  # runs ``duration_s`` down, then the guide moves on
    STOPWATCH = "stopwatch"  # counts up; stops at a time target or when the runner says done


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


# What a work event fills in the log, by the exercise's dose kind.
_RECORDS = {
    DoseKind.REPS: "duration_s",  # a timed set of a rep exercise logs its time
    DoseKind.HOLD: "hold_s",
    DoseKind.DISTANCE: "distance_m",
    DoseKind.TIME: "duration_s",
    DoseKind.FLIGHTS: "flights",
}
_ENTERED = frozenset({DoseKind.DISTANCE, DoseKind.FLIGHTS})  # the runner types what was done


@dataclass(frozen=True, slots=True)
class GuideItem:
    """What the guide needs to know about one exercise of the session."""

    slug: str
    name: str
    prescription: Prescription
    dose_kind: DoseKind
    rep_tempo_s: float = 3.0
    pace_m_per_s: float = 1.0

    @classmethod
    def of(cls, exercise: Exercise, prescription: Prescription) -> GuideItem:
        return cls(
            exercise.slug,
            exercise.name,
            prescription,
            exercise.dose_kind,
            exercise.rep_tempo_s,
            exercise.pace_m_per_s,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "dose_kind": self.dose_kind.value,
            "per_side": self.prescription.per_side,
            "prescription": self.prescription.as_dict(),
            "description": self.prescription.describe(),
        }


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    item: int | None  # index into the script's items; None for the end marker
    at_s: float  # planned start, seconds from the start of the session
    duration_s: float = 0.0
    timer: Timer = Timer.NONE
    set_no: int | None = None  # 1-based
    sets: int | None = None
    rep_no: int | None = None  # 1-based
    reps: int | None = None
    side: Side | None = None
    target: float | None = None  # hold seconds, metres, flights or work seconds
    unit: str | None = None  # "s", "m", "yd" or "flights"
    cue: bool = False  # sound or vibrate as it starts
    skippable: bool = False
    awaits_input: bool = False  # after it, wait for the runner to enter what was done
    records: str | None = None  # the log field it fills: hold_s, distance_m, flights…
    per_unit: float = 1.0  # the log field's units per ``unit`` entered (0.9144 m a yard)
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        values = (getattr(self, name) for name in _EVENT_FIELDS)
        return {
            name: value.value if isinstance(value, StrEnum) else value
            for name, value in zip(_EVENT_FIELDS, values, strict=True)
        }


_EVENT_FIELDS = tuple(f.name for f in fields(Event))


@dataclass(frozen=True, slots=True)
class Script:
    items: tuple[GuideItem, ...]
    events: tuple[Event, ...]

    @property
    def total_s(self) -> float:
        return self.events[-1].at_s if self.events else 0.0

    def item_span(self, index: int) -> tuple[float, float]:
        """Planned start and length of one exercise, lead-in included."""
        starts = [e.at_s for e in self.events if e.kind is EventKind.EXERCISE] + [self.total_s]
        return starts[index], starts[index + 1] - starts[index]

    def as_dict(self) -> dict[str, Any]:
        items = []
        for i, item in enumerate(self.items):
            start, length = self.item_span(i)
            items.append({**item.as_dict(), "start_s": start, "duration_s": length})
        return {
            "version": SCRIPT_VERSION,
            "total_s": self.total_s,
            "items": items,
            "events": [e.as_dict() for e in self.events],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)


def session_script(items: Sequence[GuideItem]) -> Script:
    """The whole session as one list of events, exercise after exercise."""
    guide = _Guide()
    for index, item in enumerate(items):
        _exercise(guide, index, item)
    guide.item = guide.set_no = guide.sets = None
    guide.add(EventKind.END, label="Session done")
    return Script(tuple(items), tuple(guide.events))


def exercise_script(exercise: Exercise, prescription: Prescription) -> Script:
    """One exercise on its own (the "any exercise on demand" guide)."""
    return session_script([GuideItem.of(exercise, prescription)])


class _Guide:
    """Collects events on a running clock, in the current exercise/set/side context."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.t = 0.0
        self.item: int | None = None
        self.set_no: int | None = None
        self.sets: int | None = None
        self.side: Side | None = None

    def add(self, kind: EventKind, duration: float = 0.0, **details: Any) -> None:
        context: dict[str, Any] = {"set_no": self.set_no, "sets": self.sets, "side": self.side}
        self.events.append(
            Event(kind, self.item, self.t, float(duration), **{**context, **details})
        )
        self.t += duration

    def countdown(self, kind: EventKind, seconds: float, label: str, **details: Any) -> None:
        self.add(kind, seconds, timer=Timer.COUNTDOWN, label=label, **details)


def _exercise(guide: _Guide, index: int, item: GuideItem) -> None:
    p = item.prescription
    guide.item, guide.set_no, guide.sets, guide.side = index, None, p.sets, None
    guide.add(EventKind.EXERCISE, label=f"{item.name}: {p.describe()}")
    guide.countdown(EventKind.GET_READY, GET_READY_S, "Get ready", skippable=True)
    sides = (Side.LEFT, Side.RIGHT) if p.per_side else (None,)
    for n in range(1, p.sets + 1):
        guide.set_no = n
        for side in sides:
            guide.side = side
            if side is Side.RIGHT:
                guide.countdown(
                    EventKind.SIDE_SWITCH, SIDE_SWITCH_S, "Switch to the right side", cue=True
                )
            guide.add(EventKind.SET, label=_set_label(n, p, side), cue=True)
            _work(guide, item)
        guide.side = None
        if n < p.sets and p.rest_s:
            guide.countdown(EventKind.REST, p.rest_s, f"Rest {p.rest_s} s", skippable=True)


def _set_label(n: int, p: Prescription, side: Side | None) -> str:
    parts = [f"Set {n} of {p.sets}"]
    if side is not None:
        parts.append(f"{side.value} side")
    if p.load_kg:
        parts.append(units.load(p.load_kg))
    return " · ".join(parts)


def _work(guide: _Guide, item: GuideItem) -> None:
    """One set on one side; the same precedence of amounts as ``estimate_duration_s``."""
    p = item.prescription
    if p.reps is not None:
        _reps(guide, item, p.reps, p.hold_s)
    elif p.distance_m is not None:
        # shown and entered in the units in force (metres or yards); logged in metres
        label = f"Cover {units.distance(p.distance_m)}, then enter how far you went"
        shown = round(units.short_value(p.distance_m), 1)
        planned_s = p.distance_m / item.pace_m_per_s
        _open_work(guide, planned_s, shown, units.short_unit(), label, units.short_metres(1))
    elif p.flights is not None:
        label = f"Climb {p.flights} flights, then enter how many you did"
        _open_work(guide, p.flights * FLIGHT_S, p.flights, "flights", label)
    elif p.hold_s is not None:
        _hold_set(guide, p.hold_s)
    elif p.duration_s is not None:
        guide.countdown(
            EventKind.WORK,
            p.duration_s,
            f"Keep going for {_clock(p.duration_s)}",
            target=p.duration_s,
            unit="s",
            records=_RECORDS[item.dose_kind],
            awaits_input=item.dose_kind in _ENTERED,
        )
    else:
        raise ValueError(f"{item.slug}: the prescription has no reps, distance, flights or time")


def _reps(guide: _Guide, item: GuideItem, reps: int, hold_s: float | None) -> None:
    for r in range(1, reps + 1):
        numbers = {"rep_no": r, "reps": reps}
        guide.countdown(EventKind.REP, item.rep_tempo_s, f"Rep {r} of {reps}", **numbers)
        if hold_s:
            guide.countdown(
                EventKind.HOLD,
                hold_s,
                f"Hold {_num(hold_s)} s",
                target=hold_s,
                unit="s",
                cue=True,
                **numbers,
            )
            guide.add(EventKind.HOLD_END, label="Release", cue=True, **numbers)


def _hold_set(guide: _Guide, hold_s: float) -> None:
    guide.countdown(EventKind.SETUP, HOLD_SETUP_S, "Get into position", skippable=True)
    guide.add(
        EventKind.HOLD,
        hold_s,
        timer=Timer.STOPWATCH,
        target=hold_s,
        unit="s",
        cue=True,
        records="hold_s",
        label=f"Hold up to {_num(hold_s)} s",
    )
    guide.add(EventKind.HOLD_END, label="Release", cue=True)


def _open_work(
    guide: _Guide, planned_s: float, target: float, unit: str, label: str, per_unit: float = 1.0
) -> None:
    """Work the runner finishes and then reports: a stopwatch, then an entry."""
    guide.add(
        EventKind.WORK,
        planned_s,
        timer=Timer.STOPWATCH,
        target=target,
        unit=unit,
        records="flights" if unit == "flights" else "distance_m",
        per_unit=per_unit,
        awaits_input=True,
        label=label,
    )


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _clock(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{_num(seconds)} s"
