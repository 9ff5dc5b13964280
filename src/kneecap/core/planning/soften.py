"""A big run eases the strength work around it (evidence brief §4.5, rules 21 and 27).

In the 48 hours on either side of a run at the warning tier or above (more than 30 % longer
than the longest run of the month before), high-stress items leave the strength sessions.
The progression engine freezes progressions for the same week on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from kneecap.core.catalog.model import Stress
from kneecap.core.planning.model import Plan, Session, Week
from kneecap.core.rules import DEFAULT_RULES, Rules, hours


def soften(plan: Plan, big_runs: Iterable[tuple[date, str]], cfg: Rules = DEFAULT_RULES) -> Plan:
    """``big_runs`` are (day, sentence) pairs; sessions within ``cfg.spike_buffer_days`` of
    them lose their high-stress items."""
    runs = list(big_runs)
    if not runs:
        return plan
    weeks = tuple(replace(w, sessions=_sessions(w, runs, cfg)) for w in plan.weeks)
    return replace(plan, weeks=weeks)


def _sessions(week: Week, runs: list[tuple[date, str]], cfg: Rules) -> tuple[Session, ...]:
    kept = []
    window = cfg.spike_buffer_days
    for session in week.sessions:
        near = [why for day, why in runs if abs((session.date - day).days) <= window]
        if not near:
            kept.append(session)
            continue
        items = tuple(i for i in session.items if i.stress is not Stress.HIGH)
        if len(items) == len(session.items):
            kept.append(session)
        elif items:
            note = (
                f"{near[0]} High-stress items are left out within {hours(window)} of it "
                "(rules 21, 27)."
            )
            minutes = max(1, round(session.minutes * len(items) / len(session.items)))
            kept.append(replace(session, items=items, minutes=minutes, why=(*session.why, note)))
    return tuple(kept)
