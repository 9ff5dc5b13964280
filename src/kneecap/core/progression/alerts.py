"""Alerts that ask for the safety questions again (rule 38) or a clinician (rules 19, 36)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta

from kneecap.core.catalog.model import Exercise
from kneecap.core.log import SessionLog, TrainingLog
from kneecap.core.progression import words
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.escalate import Trends
from kneecap.core.progression.history import Track
from kneecap.core.progression.model import Action, Context, Decision

_ASK = "please answer the safety questions again before your next session (rule 38)"


def alerts(
    log: TrainingLog,
    ctx: Context,
    cfg: ProgressionConfig,
    decisions: Iterable[Decision],
    lookup: Callable[[str], Exercise],
    tracks: Mapping[str, Sequence[Track]],
    trends: Trends,
) -> tuple[str, ...]:
    """Alerts from the sessions of the last ``cfg.alert_days`` days and from the decisions."""
    since = ctx.as_of - timedelta(days=cfg.alert_days)
    recent = [s for s in log.sessions if s.date >= since]
    out: list[str] = []
    if ctx.blocked is not None:
        out.append(f"{ctx.blocked}: the program is stopped; please seek care (rules 35, 36)")
    if trends.refer:  # rule 19, whatever the last session's gate: a deload is not enough
        rise = trends.words()
        out.append(f"{rise[0].upper()}{rise[1:]}: please see a physiotherapist or doctor (rule 19)")
    if ctx.knee_pain_now is not None and ctx.knee_pain_now > cfg.alert_pain_above:
        out.append(f"Knee pain {ctx.knee_pain_now}/10 now: {_ASK}")
    for session in recent:
        out.extend(_session_alerts(session, cfg, lookup))
    out.extend(_red_twice(tracks, since, cfg, lookup))
    for d in decisions:
        if d.action is Action.REFER:
            out.append(
                f"{lookup(d.exercise).name}: please see a physiotherapist or doctor (rule 19)"
            )
    return tuple(dict.fromkeys(out))


def _session_alerts(
    session: SessionLog, cfg: ProgressionConfig, lookup: Callable[[str], Exercise]
) -> list[str]:
    on, out = words.day(session.date), []
    high = cfg.alert_pain_above
    for e in session.exercises:
        if e.knee_pain is not None and e.knee_pain > high:
            out.append(f"Pain {e.knee_pain}/10 during {lookup(e.exercise).name} on {on}: {_ASK}")
    after, morning = session.knee(session.pain_after), session.morning_knee_pain
    if after is not None and after > high:
        out.append(f"Pain {after}/10 after the session on {on}: {_ASK}")
    if morning is not None and morning > high:
        out.append(f"Pain {morning}/10 the morning after {on}: {_ASK}")
    if session.swelling:
        out.append(f"New swelling logged on {on}: {_ASK}")
    if session.twisted_or_fell:
        out.append(f"A twist or fall logged on {on}: {_ASK}")
    return out


def _red_twice(
    tracks: Mapping[str, Sequence[Track]],
    since: date,
    cfg: ProgressionConfig,
    lookup: Callable[[str], Exercise],
) -> list[str]:
    """rule 38: pain above the ceiling during the same exercise on two sessions in a row."""
    out: list[str] = []
    for slug, done in tracks.items():
        red = [
            t
            for t in done[-2:]
            if t.entry.knee_pain is not None and t.entry.knee_pain > cfg.amber_max
        ]
        if len(red) == 2 and red[-1].date >= since:
            days = " and ".join(words.day(t.date) for t in red)
            out.append(
                f"Pain above {cfg.amber_max}/10 during {lookup(slug).name} on {days}: {_ASK}"
            )
    return out
