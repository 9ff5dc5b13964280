"""What goes into one session: items that fit the day's limits and the minutes budget."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from kneecap.core.catalog.model import Level, Prescription, Stress, estimate_duration_s
from kneecap.core.planning import rules
from kneecap.core.planning.model import PlanItem, WeekKind
from kneecap.core.planning.placement import Slot
from kneecap.core.planning.pool import Choice
from kneecap.core.planning.work import fits, item_work
from kneecap.core.rules import Rules
from kneecap.core.screening import Leg


@dataclass(frozen=True, slots=True)
class WeekContext:
    kind: WeekKind
    return_factor: float  # rule 33; 1.0 outside a return ramp
    budget_s: int
    pain_low_only: bool  # rule 16
    train_leg: Leg | None  # the one leg still trained when the other is paused (rule 37)
    cfg: Rules
    allowance: Mapping[str, float] | None = None  # rule 29: a deload session's work, per unit
    deload_reference: date | None = None  # rule 29: the build week a deload is measured on


@dataclass(slots=True)
class History:
    """What the plan has done so far: exercises introduced, and when each was last used."""

    introduced: set[str] = field(default_factory=set)
    last_done: dict[str, date] = field(default_factory=dict)

    def copy(self) -> History:
        return History(set(self.introduced), dict(self.last_done))

    def record(self, items: tuple[PlanItem, ...], day: date) -> None:
        for item in items:
            self.introduced.add(item.exercise)
            self.last_done[item.exercise] = day


@dataclass(frozen=True, slots=True)
class Composition:
    items: tuple[PlanItem, ...]
    seconds: int


@dataclass(frozen=True, slots=True)
class _Candidate:
    item: PlanItem
    seconds: int
    order: tuple[date, int]
    work: tuple[str, float]  # rule 29: its unit and amount


def compose(
    slot: Slot, pool: tuple[Choice, ...], ctx: WeekContext, history: History
) -> Composition:
    """Least recently used first, one hip item first of all (rule 39), within the budget
    and, in a deload week, within the work left (rule 29)."""
    found = (_candidate(c, i, slot, ctx, history) for i, c in enumerate(pool))
    cands = sorted((c for c in found if c is not None), key=lambda c: c.order)
    left = None if ctx.allowance is None else dict(ctx.allowance)

    def room(c: _Candidate, seconds: int) -> bool:
        return seconds + c.seconds <= ctx.budget_s and (left is None or fits(*c.work, left))

    hip = next((c for c in cands if c.item.module == rules.HIP_MODULE and room(c, 0)), None)
    picked: list[_Candidate] = []
    total = 0
    for cand in ([hip] if hip else []) + [c for c in cands if c is not hip]:
        if room(cand, total):
            picked.append(cand)
            total += cand.seconds
            if left is not None:
                unit, amount = cand.work
                left[unit] = left.get(unit, 0.0) - amount
    picked.sort(key=lambda c: c.order[1])
    return Composition(tuple(c.item for c in picked), total)


def _candidate(
    choice: Choice, index: int, slot: Slot, ctx: WeekContext, history: History
) -> _Candidate | None:
    fitting = _level_for(choice, slot.cap)
    if fitting is None:
        return None  # rule 27 buffers, rule 31 race window, rule 16 pain
    level, base, source_rules = fitting
    new = not choice.known and choice.slug not in history.introduced
    if new and slot.a_race and slot.a_race[0] < ctx.cfg.race_no_new_days:
        return None  # rule 31: nothing new within 14 days of an A race
    if ctx.train_leg is not None:
        if not base.per_side:
            return None  # rule 37: two-leg work would load the paused leg
        base = replace(base, per_side=False)
    factors = _factors(slot, ctx, new=new)
    dose = rules.scale(
        base, min((f for f, _ in factors), default=1.0), strict=slot.light_race is not None
    )
    if dose is None:
        return None
    item = PlanItem(
        exercise=choice.slug,
        level=level.slug,
        prescription=dose,
        stress=choice.exercise.level_stress(level),
        module=choice.exercise.module,
        rules=_rules(choice, ctx, [*source_rules, *(r for _, r in factors)]),
        side=ctx.train_leg,
        new=new,
    )
    seconds = estimate_duration_s(choice.exercise, dose)
    order = (history.last_done.get(choice.slug, date.min), index)
    return _Candidate(item, int(seconds), order, item_work(dose))


def _level_for(
    choice: Choice, cap: Stress | None
) -> tuple[Level, Prescription, tuple[int, ...]] | None:
    """The choice's level, or on a lighter day the nearest easier level that fits the cap."""
    if cap is None:
        return None
    if rules.allows(cap, choice.stress):
        return choice.level, choice.prescription, choice.rules
    for level in choice.easier:
        if rules.allows(cap, choice.exercise.level_stress(level)):
            return level, level.prescription, ()
    return None


def _factors(slot: Slot, ctx: WeekContext, *, new: bool) -> list[tuple[float, int]]:
    out: list[tuple[float, int]] = []
    if ctx.return_factor < 1:
        out.append((ctx.return_factor, 33))
    if ctx.kind is WeekKind.DELOAD:
        out.append((ctx.cfg.deload_sets, 29))
    if slot.light_race is not None:
        out.append((ctx.cfg.race_light_share, 31))
    if new:
        out.append((ctx.cfg.new_exercise, 32))
    return out


def _rules(choice: Choice, ctx: WeekContext, applied: list[int]) -> tuple[int, ...]:
    found = {27, *applied}  # rule 27: every item's stress fits the day
    if choice.hip:
        found.add(39)
    if ctx.train_leg is not None:
        found.add(37)
    if ctx.pain_low_only:
        found.add(16)
    return tuple(sorted(found))
