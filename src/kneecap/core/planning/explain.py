"""Short reasons in words: why a session sits on its day, and why a week has fewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kneecap.core.planning import rules
from kneecap.core.planning.compose import WeekContext
from kneecap.core.planning.model import PlanItem, WeekKind
from kneecap.core.planning.placement import Slot, day_name
from kneecap.core.rules import Rules, hours, less_pct, pct, share_of


@dataclass(frozen=True, slots=True)
class Facts:
    """What a session's reasons need beyond its slot."""

    ctx: WeekContext
    week_number: int  # 1-based
    gap: int | None
    count: int | None  # the week's session target, on the week's first session only
    rest_kept: date | None  # a rest day left free this week (rule 28)
    previous: date | None  # the session before this one
    pain: int


def session_why(slot: Slot, items: Sequence[PlanItem], facts: Facts) -> tuple[str, ...]:
    why = list(slot.why)
    why.extend(_week_lines(facts))
    if facts.previous is not None:
        days = (slot.day - facts.previous).days
        gap = hours(facts.ctx.cfg.min_gap_days)
        why.append(
            f"{days} days after the last session: {gap} or more for the same muscles (rule 2)"
        )
    if facts.rest_kept is not None:
        why.append(f"{day_name(facts.rest_kept)} stays a full rest day (rule 28)")
    new = [i.exercise for i in items if i.new]
    if new:
        about = share_of(facts.ctx.cfg.new_exercise, "the full volume")
        why.append(f"New: {', '.join(new)}: about {about} to start (rule 32)")
    return tuple(why)


def _week_lines(facts: Facts) -> list[str]:
    ctx, lines = facts.ctx, []
    if facts.count is not None:
        lines.append(f"{ctx.kind.value.capitalize()} week: up to {_sessions(facts.count)} (rule 1)")
    if ctx.kind is WeekKind.DELOAD:
        fewer = less_pct(ctx.cfg.deload_sets)
        line = f"Deload week: about {fewer} % fewer sets and no progressions"
        if ctx.deload_reference is not None:
            most = pct(ctx.cfg.deload_sets * rules.ABOUT)
            line += f", at most {most} % of the work of the week of {ctx.deload_reference}"
        lines.append(f"{line} (rule 29)")
    if ctx.return_factor < 1:
        lines.append(
            f"Week {facts.week_number} back after {facts.gap} days away: about "
            f"{round(ctx.return_factor * 100)} % of the usual volume (rule 33)"
        )
    if ctx.pain_low_only:
        lines.append(f"Knee pain {facts.pain}/10 now: low-stress items only (rule 16)")
    if ctx.train_leg is not None:
        lines.append(
            f"The other leg's program is paused: one-leg work for the {ctx.train_leg} leg "
            "only, low-stress (rule 37)"
        )
    return lines


def shortfall(
    slots: Sequence[Slot], placed: int, count: int, cfg: Rules, *, deload: bool = False
) -> str:
    """Why a week holds fewer sessions than its target."""
    closed = sorted({s.closed for s in slots if s.closed})
    reasons = [f"no strength on {c}" for c in closed]
    reasons.append(f"{hours(cfg.min_gap_days)} between sessions (rule 2)")
    if any(s.run.is_rest for s in slots):
        reasons.append("a rest day kept free (rule 28)")
    if any(s.light_race for s in slots):
        reasons.append(f"{cfg.race_light_sessions} light session before an A race (rule 1)")
    if any(s.a_race and s.a_race[0] < cfg.race_no_new_days for s in slots):
        reasons.append(f"nothing new within {cfg.race_no_new_days} days of an A race (rule 31)")
    if deload:
        reasons.append("a deload week's work kept well under the build week's (rule 29)")
    reasons.append("or no exercise fits the day's limits and the minutes")
    fit = "fits" if count == 1 else "fit"
    return f"{placed} of {_sessions(count)} {fit}: " + "; ".join(reasons)


def _sessions(count: int) -> str:
    return f"{count} session" if count == 1 else f"{count} sessions"
