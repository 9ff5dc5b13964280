"""What the planner takes from the progression engine and the load view."""

from __future__ import annotations

from datetime import date, timedelta

from kneecap.core.load import LoadSummary, SpikeTier
from kneecap.core.planning.model import CurrentDose
from kneecap.core.progression.model import Action, Report
from kneecap.core.rules import DEFAULT_RULES, Rules


def planner_doses(report: Report | None) -> tuple[dict[str, CurrentDose], set[str]]:
    """The engine's doses for the planner to start from, and the exercises it must leave
    out (paused, referred, or with no dose this time)."""
    current: dict[str, CurrentDose] = {}
    left_out: set[str] = set()
    for d in report.exercises if report else ():
        if d.prescription is None or d.action in (Action.PAUSE, Action.REFER):
            left_out.add(d.exercise)
        else:
            current[d.exercise] = CurrentDose(d.level, d.prescription, " ".join(d.why), d.rules)
    return current, left_out


def big_runs(
    summary: LoadSummary, today: date, cfg: Rules = DEFAULT_RULES
) -> list[tuple[date, str]]:
    """Recent runs at the spike warning tier or above (rule 21), with their sentence: the
    ones that ease the strength work around them (rules 21, 27; §4.5: strength keeps
    ``cfg.spike_buffer_days`` clear of a big run already done)."""
    since = today - timedelta(days=cfg.spike_buffer_days)
    return [
        (s.day, s.message() or "")
        for s in summary.spikes
        if s.tier.level >= SpikeTier.WARNING.level and s.day >= since
    ]
