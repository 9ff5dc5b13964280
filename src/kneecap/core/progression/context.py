"""The runner's context: the profile's races, long runs, deload weeks, screening, equipment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from kneecap.core.catalog.model import Equipment, Exercise
from kneecap.core.log import Pin
from kneecap.core.profile import WEEKDAYS, Priority, Profile, RunKind
from kneecap.core.progression.config import DEFAULT_CONFIG, ProgressionConfig
from kneecap.core.progression.escalate import Trends
from kneecap.core.progression.history import Track
from kneecap.core.progression.model import Action, Context, Move
from kneecap.core.progression.propose import hold
from kneecap.core.progression.words import day
from kneecap.core.screening import assess


def context_from_profile(
    profile: Profile,
    as_of: date,
    *,
    load_spike: bool = False,
    pins: Iterable[Pin] = (),
    cfg: ProgressionConfig = DEFAULT_CONFIG,
) -> Context:
    """The engine's context on ``as_of`` from a planner profile."""
    screening = assess(profile.screening)
    races = [r for r in profile.races if r.date >= as_of]
    a_races = [(r.date - as_of).days for r in races if r.priority is Priority.A]
    return Context(
        as_of=as_of,
        days_to_race=min(a_races, default=None),
        days_to_long_run=_days_to_long_run(profile, as_of, [r.date for r in races]),
        load_spike=load_spike,
        deload_week=_deload_week(profile.start_date, as_of, cfg),
        paused_legs=screening.paused_legs,
        equipment=frozenset(profile.equipment),
        pins={p.exercise: p for p in pins},
        knee_pain_now=profile.knee_pain_now,
        blocked=screening.blocked.reason if screening.blocked else None,
    )


def _days_to_long_run(profile: Profile, as_of: date, races: list[date]) -> int | None:
    for ahead in range(7):
        kind = profile.runs.get(WEEKDAYS[(as_of + timedelta(days=ahead)).weekday()])
        if kind is not None and kind.kind in (RunKind.LONG, RunKind.RACE):
            return min([ahead, *((d - as_of).days for d in races)])
    return min(((d - as_of).days for d in races), default=None)


def _deload_week(start: date, as_of: date, cfg: ProgressionConfig) -> bool:
    """rule 29: every 4th week from the program start, as the planner counts them."""
    if as_of < start:
        return False
    return ((as_of - start).days // 7 + 1) % cfg.deload_every_weeks == 0


def running_hold(
    exercise: Exercise,
    tracks: Sequence[Track],
    core: Move,
    ctx: Context,
    cfg: ProgressionConfig,
    trends: Trends,
) -> Move | None:
    """No progression close to a race or the day before a long run (rules 1, 27, 31), and
    no level that needs equipment the runner does not have."""
    if core.action is not Action.ADVANCE:
        return None
    last, new_level = tracks[-1], core.level != tracks[-1].level.slug
    race, run = ctx.days_to_race, ctx.days_to_long_run
    if race is not None and race <= cfg.race_light_days:
        because = f"race on {day(ctx.as_of + timedelta(days=race))}; nothing harder this close"
        return _held(last, core, because, (1, 31))
    if new_level and race is not None and race <= cfg.race_no_new_days:
        because = f"no new level within {cfg.race_no_new_days} days of your race"
        return _held(last, core, because, (31,))
    stress = exercise.level_stress(exercise.level(core.level))
    if run is not None and run < cfg.buffer_days(stress):
        when = "today" if run == 0 else "tomorrow" if run == 1 else f"in {run} days"
        because = f"long run or race {when}; a {stress.value}-stress step waits until after it"
        return _held(last, core, because, (27,))
    missing = _missing(exercise, core.level, ctx.equipment) if new_level else ()
    if missing:
        because = f"the next level needs {', '.join(missing)}, which is not in your equipment"
        return _held(last, core, because, ())
    return None


def pain_now_hold(
    exercise: Exercise,
    tracks: Sequence[Track],
    core: Move,
    ctx: Context,
    cfg: ProgressionConfig,
    trends: Trends,
) -> Move | None:
    """The profile's current knee pain above the green band stops steps up (rules 15, 16)."""
    now = ctx.knee_pain_now
    if core.action is not Action.ADVANCE or now is None or now <= cfg.green_max:
        return None
    because = f"knee pain {now}/10 now, from your profile; nothing harder until it settles"
    return _held(tracks[-1], core, because, (16,) if now > cfg.amber_max else (15,))


def _held(last: Track, core: Move, because: str, rules: tuple[int, ...]) -> Move:
    move = hold(last, because, rules)
    own = core.why[0][0].lower() + core.why[0][1:]
    return move.said(f"Otherwise: {own}")


def _missing(exercise: Exercise, slug: str, have: frozenset[Equipment] | None) -> tuple[str, ...]:
    if have is None:
        return ()
    needs = exercise.level_equipment(exercise.level(slug)) - {Equipment.NONE}
    return tuple(sorted(e.value for e in needs - have))
