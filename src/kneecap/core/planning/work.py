"""A week's work in its own units, for the deload rule (29): a deload week carries clearly
less total work than the build week before it, whichever exercises rotate in.

Work is counted per unit, sets × reps, × seconds held or timed, × metres or × flights (both
sides of a per-side item), and each unit is compared on its own, so a distance drill that
rotates in cannot outweigh the reps it replaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kneecap.core.catalog.model import Prescription
from kneecap.core.planning.model import PlanItem, Week

_EPS = 1e-9


def item_work(p: Prescription) -> tuple[str, float]:
    """(unit, amount) of one dose: "reps", "seconds", "metres", "flights" (or "sets")."""
    times = p.sets * (2 if p.per_side else 1)
    if p.reps is not None:
        return "reps", times * p.reps
    if p.distance_m is not None:
        return "metres", times * p.distance_m
    if p.flights is not None:
        return "flights", times * p.flights
    if p.hold_s is not None:
        return "seconds", times * p.hold_s
    if p.duration_s is not None:
        return "seconds", times * p.duration_s
    return "sets", float(times)


def work(items: Iterable[PlanItem]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        unit, amount = item_work(item.prescription)
        out[unit] = out.get(unit, 0.0) + amount
    return out


def week_work(week: Week) -> dict[str, float]:
    return work(item for s in week.sessions for item in s.items)


@dataclass(slots=True)
class Allowance:
    """What a deload week may still carry, per unit, and the build week it is measured on."""

    left: dict[str, float]
    reference: date  # the Monday of the build week

    @classmethod
    def of(cls, build: Week, factor: float) -> Allowance:
        return cls({u: v * factor for u, v in week_work(build).items()}, build.start)

    def share(self, sessions_left: int) -> dict[str, float]:
        """An even share of what is left for each session still to place."""
        return {u: v / max(1, sessions_left) for u, v in self.left.items()}

    def spend(self, items: Iterable[PlanItem]) -> None:
        for unit, amount in work(items).items():
            self.left[unit] = self.left.get(unit, 0.0) - amount


def fits(unit: str, amount: float, left: Mapping[str, float]) -> bool:
    return amount <= left.get(unit, 0.0) + _EPS
