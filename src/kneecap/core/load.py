"""Running and training load: spikes, weekly totals, session-RPE load and its EWMA trend.

Evidence brief §4 and rules 21–25. Everything here is descriptive: numbers with their source,
never a risk percentage or a "danger zone". The thresholds below are the defaults of
:class:`kneecap.core.rules.Rules` (``[load]``); every function takes the rules in force.

- Single-run spike (rule 21, Frandsen 2025): a run compared with the longest run of the
  30 calendar days before its day (runs on the same day are not part of the reference).
  It needs runs going back at least 30 days; before that the answer is "not enough history".
  Planned runs are checked the same way, before they happen.
- Weekly distance and time per ISO week, Monday first (rule 22: a change above 30 % is
  highlighted as information; a week after weeks without running is compared with the last
  week that had some; rule 23: the 10 % rule is never offered as a safety limit).
- Session-RPE load (rule 25, Foster 2001): RPE (0–10) × minutes, for runs and strength
  sessions alike; days without a session count 0; sessions without an RPE add nothing and are
  counted as unrated so a view can say the figure is incomplete.
- EWMA acute (λ = 2/(7+1) = 0.25) and chronic (λ = 2/(28+1) ≈ 0.069) load and their ratio
  (rule 24, Williams 2017): both start from the mean daily load of the first 28 days (the
  chronic span), so a steady daily load reads a ratio of 1.0 from the first day it is shown;
  the ratio is only given from the 28th day of data on, as a trend.

Only activities whose sport is ``"running"`` count as runs for spikes and weekly totals;
every activity with an RPE counts toward the session-RPE load.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from kneecap.core.rules import DEFAULT_RULES, Rules, hours

RUNNING = "running"

ACUTE_LAMBDA = DEFAULT_RULES.acute_lambda  # rule 24: 2/(7+1) = 0.25
CHRONIC_LAMBDA = DEFAULT_RULES.chronic_lambda  # rule 24: 2/(28+1) ≈ 0.069

SPIKE_SOURCE = (
    "A 2025 study that followed about 5,200 runners for 18 months (Frandsen et al., "
    "Br J Sports Med) saw more overuse injuries after single runs that went more than 10 % "
    "beyond the longest run of the month before."
)
WEEKLY_SOURCE = (
    "Shown for information: in a study of 874 new runners (Nielsen et al. 2014), rises above "
    "30 % went with more knee and hip overuse injuries, though the link was not certain, and "
    "a fixed weekly limit such as 10 % did not change injury rates in a trial (Buist 2008)."
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(when: date | datetime) -> date:
    return when.date() if isinstance(when, datetime) else when


def _rpe_ok(rpe: float | None) -> None:
    if rpe is not None and not 0 <= rpe <= 10:
        raise ValueError(f"RPE must be between 0 and 10, got {rpe}")


@dataclass(frozen=True, slots=True)
class LoadRun:
    """One activity as the load view needs it; ``when`` is its local date or start time."""

    when: date | datetime
    distance_m: float | None
    minutes: float
    rpe: float | None = None
    sport: str = RUNNING

    def __post_init__(self) -> None:
        if self.minutes < 0 or (self.distance_m is not None and self.distance_m < 0):
            raise ValueError("minutes and distance cannot be negative")
        _rpe_ok(self.rpe)

    @property
    def day(self) -> date:
        return _day(self.when)

    @property
    def is_run(self) -> bool:
        return self.sport == RUNNING


@dataclass(frozen=True, slots=True)
class StrengthLoad:
    """One strength session: its date, minutes and session RPE."""

    day: date
    minutes: float
    rpe: float | None

    def __post_init__(self) -> None:
        if self.minutes < 0:
            raise ValueError("minutes cannot be negative")
        _rpe_ok(self.rpe)


# --- single-run spikes (rule 21) ---------------------------------------------------------


class SpikeTier(StrEnum):
    NOT_ENOUGH_HISTORY = "not-enough-history"  # runs go back less than 30 days
    NO_RECENT_RUN = "no-recent-run"  # history, but no run in the 30 days before
    NONE = "none"  # at most 10 % longer
    CAUTION = "caution"  # > 10 %
    WARNING = "warning"  # > 30 %
    STRONG = "strong"  # > 100 %

    @property
    def level(self) -> int:
        """0 for no alert, then 1–3; tiers compare by this."""
        return _LEVELS.get(self, 0)


_LEVELS = {SpikeTier.CAUTION: 1, SpikeTier.WARNING: 2, SpikeTier.STRONG: 3}


def spike_tier(increase: float, cfg: Rules = DEFAULT_RULES) -> SpikeTier:
    """The tier for ``distance / longest − 1``."""
    if increase > cfg.spike_strong_pct / 100:
        return SpikeTier.STRONG
    if increase > cfg.spike_warning_pct / 100:
        return SpikeTier.WARNING
    if increase > cfg.spike_caution_pct / 100:
        return SpikeTier.CAUTION
    return SpikeTier.NONE


@dataclass(frozen=True, slots=True)
class Spike:
    """One run (done or planned) compared with the longest run of the 30 days before."""

    day: date
    distance_m: float
    tier: SpikeTier
    reference_m: float | None = None  # the longest run of the 30 days before
    increase: float | None = None  # distance / reference − 1, to 0.1 %
    planned: bool = False
    cfg: Rules = field(default=DEFAULT_RULES, repr=False, compare=False)  # the numbers in force

    @property
    def title(self) -> str | None:
        if self.tier is SpikeTier.CAUTION:
            return "Longer than your recent runs"
        if self.tier is SpikeTier.WARNING:
            return "Much longer than your recent runs"
        if self.tier is SpikeTier.STRONG:
            times = 1 + self.cfg.spike_strong_pct / 100
            return (
                f"More than {'twice' if times == 2 else f'{times:g} times'} your recent longest run"
            )
        return None

    def message(self) -> str | None:
        """What the runner reads; None when there is nothing to say."""
        window = self.cfg.spike_window_days
        if self.tier is SpikeTier.NOT_ENOUGH_HISTORY:
            return f"Not enough history yet: runs are compared once they go back {window} days."
        if self.tier is SpikeTier.NO_RECENT_RUN:
            return (
                f"No run in the {window} days before this one, so there is nothing to compare "
                "it with."
            )
        if self.reference_m is None or self.increase is None or not self.tier.level:
            return None
        lead = (
            f"{WEEKDAYS[self.day.weekday()]}'s planned {_km(self.distance_m)} is"
            if self.planned
            else f"Your {_km(self.distance_m)} run on {_date(self.day)} was"
        )
        text = (
            f"{lead} {_pct(self.increase, self.cfg)} % longer than your longest run in the "
            f"{window} days before ({_km(self.reference_m)}). {SPIKE_SOURCE}"
        )
        if self.planned:
            caution = self.cfg.spike_caution_pct
            within = math.floor(self.reference_m * (1 + caution / 100) / 100) / 10
            text += f" Up to about {_num(within)} km would stay within {caution:g} % of it."
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "distance_m": self.distance_m,
            "tier": self.tier.value,
            "reference_m": self.reference_m,
            "increase": self.increase,
            "planned": self.planned,
            "title": self.title,
            "message": self.message(),
        }


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _km(metres: float) -> str:
    return f"{_num(round(metres / 1000, 1))} km"


def _pct(increase: float, cfg: Rules) -> str:
    """Whole percent, with a decimal when rounding would land on a tier's threshold."""
    p = increase * 100
    tiers = (cfg.spike_caution_pct, cfg.spike_warning_pct, cfg.spike_strong_pct)
    return f"{p:.1f}" if round(p) in tiers and p != round(p) else f"{p:.0f}"


def _date(d: date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


class _History:
    """Runs with a distance, by day, for fast "longest in the 30 days before" look-ups."""

    def __init__(self, runs: Iterable[LoadRun], cfg: Rules) -> None:
        measured = sorted(
            (r.day, r.distance_m) for r in runs if r.is_run and r.distance_m is not None
        )
        self.days = [d for d, _ in measured]
        self.distances = [m for _, m in measured]
        self.cfg = cfg

    def spike(self, day: date, distance_m: float, *, planned: bool = False) -> Spike:
        cfg, window = self.cfg, self.cfg.spike_window_days
        if not self.days or (day - self.days[0]).days < window:
            return Spike(day, distance_m, SpikeTier.NOT_ENOUGH_HISTORY, planned=planned, cfg=cfg)
        lo = bisect_left(self.days, day - timedelta(days=window))
        hi = bisect_left(self.days, day)
        reference = max(self.distances[lo:hi], default=0.0)
        if reference <= 0:
            return Spike(day, distance_m, SpikeTier.NO_RECENT_RUN, planned=planned, cfg=cfg)
        increase = round(distance_m / reference - 1, 3)
        tier = spike_tier(increase, cfg)
        return Spike(day, distance_m, tier, reference, increase, planned, cfg)


def run_spikes(runs: Iterable[LoadRun], cfg: Rules = DEFAULT_RULES) -> tuple[Spike, ...]:
    """Every run with a distance checked against its own previous 30 days (rule 21)."""
    runs = list(runs)
    history = _History(runs, cfg)
    return tuple(
        history.spike(r.day, r.distance_m)
        for r in sorted(runs, key=lambda r: r.day)
        if r.is_run and r.distance_m is not None
    )


def planned_spike(
    distance_m: float, day: date, history: Iterable[LoadRun], cfg: Rules = DEFAULT_RULES
) -> Spike:
    """A planned run checked before it happens (rule 21 applies to planned runs too)."""
    return _History(history, cfg).spike(day, distance_m, planned=True)


# --- weekly totals (rules 22, 23) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekTotal:
    """Running in one ISO week; changes are fractions (0.42 = 42 % more), None when undefined."""

    week_start: date  # the Monday
    distance_m: float
    minutes: float
    runs: int
    change: float | None = None  # vs the week before, or the last week with running
    change_vs_4_weeks: float | None = None  # vs the mean of the 4 weeks before
    complete: bool = True  # False for the week that holds ``today``
    compared_with: date | None = None  # the Monday of the week ``change`` is measured on
    cfg: Rules = field(default=DEFAULT_RULES, repr=False, compare=False)  # the numbers in force

    @property
    def highlight(self) -> bool:
        """Rule 22: a rise above 30 % on the week before is pointed out, as information."""
        return self.change is not None and self.change > self.cfg.weekly_highlight_pct / 100

    def as_dict(self) -> dict[str, Any]:
        return {
            "week_start": self.week_start.isoformat(),
            "distance_m": self.distance_m,
            "minutes": self.minutes,
            "runs": self.runs,
            "change": self.change,
            "change_vs_4_weeks": self.change_vs_4_weeks,
            "complete": self.complete,
            "highlight": self.highlight,
            "compared_with": self.compared_with.isoformat() if self.compared_with else None,
        }


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_totals(
    runs: Iterable[LoadRun], today: date, cfg: Rules = DEFAULT_RULES
) -> tuple[WeekTotal, ...]:
    """Distance and time per ISO week from the first run's week to today's, empty weeks too."""
    runs = [r for r in runs if r.is_run and r.day <= today]
    if not runs:
        return ()
    first, last = week_start(min(r.day for r in runs)), week_start(today)
    n = (last - first).days // 7 + 1
    dist, mins, count = [0.0] * n, [0.0] * n, [0] * n
    for r in runs:
        i = (week_start(r.day) - first).days // 7
        dist[i] += r.distance_m or 0.0
        mins[i] += r.minutes
        count[i] += 1
    return tuple(
        WeekTotal(
            first + timedelta(weeks=i),
            dist[i],
            mins[i],
            count[i],
            _change(dist[i], None if ref is None else dist[ref]),
            _change(dist[i], sum(dist[i - 4 : i]) / 4 if i >= 4 else None),
            complete=i < n - 1,
            compared_with=None if ref is None else first + timedelta(weeks=ref),
            cfg=cfg,
        )
        for i, ref in enumerate(_references(dist))
    )


def _references(dist: list[float]) -> list[int | None]:
    """rule 22: the week each week is compared with: the week before, or after weeks
    without running the last week that had some (so 0 → 40 km is not left unsaid)."""
    refs: list[int | None] = []
    ran: int | None = None  # the last week with a distance so far
    for i, d in enumerate(dist):
        refs.append(i - 1 if i and dist[i - 1] > 0 else ran)
        if d > 0:
            ran = i
    return refs


def _change(now: float, before: float | None) -> float | None:
    return None if not before else round(now / before - 1, 3)


# --- session-RPE load and its EWMA trend (rules 24, 25) ------------------------------------


@dataclass(frozen=True, slots=True)
class LoadPoint:
    """One day's session-RPE load and the EWMA trend up to it."""

    day: date
    load: float  # Σ RPE × minutes of the day's rated sessions
    unrated: int  # sessions that day without an RPE (their load is unknown)
    acute: float
    chronic: float
    ratio: float | None  # acute / chronic, only from the 28th day of data on

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "load": self.load,
            "unrated": self.unrated,
            "acute": self.acute,
            "chronic": self.chronic,
            "ratio": self.ratio,
        }


def session_load(minutes: float, rpe: float | None) -> float | None:
    """Rule 25: session RPE × minutes; None when the RPE was not given."""
    return None if rpe is None else rpe * minutes


def ewma(loads: Sequence[float], lam: float, seed: float = 0.0) -> list[float]:
    """EWMA_t = λ·load_t + (1 − λ)·EWMA_{t−1}, with EWMA_{−1} = ``seed`` (Williams 2017)."""
    out: list[float] = []
    value = seed
    for load in loads:
        value = lam * load + (1 - lam) * value
        out.append(value)
    return out


def daily_load(
    runs: Iterable[LoadRun],
    strength: Iterable[StrengthLoad],
    today: date,
    cfg: Rules = DEFAULT_RULES,
) -> tuple[LoadPoint, ...]:
    """Every day from the first session to today, with its load and the EWMA trend."""
    sessions = [(r.day, r.minutes, r.rpe) for r in runs] + [
        (s.day, s.minutes, s.rpe) for s in strength
    ]
    sessions = [s for s in sessions if s[0] <= today]
    if not sessions:
        return ()
    first = min(s[0] for s in sessions)
    n = (today - first).days + 1
    loads, unrated = [0.0] * n, [0] * n
    for day, minutes, rpe in sessions:
        load = session_load(minutes, rpe)
        i = (day - first).days
        if load is None:
            unrated[i] += 1
        else:
            loads[i] += load
    # Seeded with the mean day of the first chronic span: a steady load reads 1.0 at once.
    first_span = loads[: cfg.chronic_days]
    seed = sum(first_span) / len(first_span)
    acute = ewma(loads, cfg.acute_lambda, seed)
    chronic = ewma(loads, cfg.chronic_lambda, seed)
    return tuple(
        LoadPoint(
            first + timedelta(days=i),
            loads[i],
            unrated[i],
            acute[i],
            chronic[i],
            acute[i] / chronic[i] if i + 1 >= cfg.trend_min_days and chronic[i] > 0 else None,
        )
        for i in range(n)
    )


# --- what the planner and the progression engine read ------------------------------------


@dataclass(frozen=True, slots=True)
class Softening:
    """How a warning-tier spike changes a strength session (§4.5 coupling)."""

    spike: Spike
    drop_high_stress: bool  # the session is within 48 h of the big run
    # progressions are always frozen while a softening applies

    @property
    def reason(self) -> str:
        spike, cfg = self.spike, self.spike.cfg
        what = "planned" if spike.planned else "run"
        text = (
            f"Progressions wait this time: the {_km(spike.distance_m)} {what} on "
            f"{_date(spike.day)} is {_pct(spike.increase or 0, cfg)} % longer than the "
            f"longest run of the {cfg.spike_window_days} days before it"
        )
        if self.drop_high_stress:
            text += f", and high-stress exercises stay {hours(cfg.spike_buffer_days)} clear of it"
        return text + "."


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """The load view's numbers, and the questions the planner and progression engine ask."""

    today: date
    weeks: tuple[WeekTotal, ...]
    days: tuple[LoadPoint, ...]
    spikes: tuple[Spike, ...]  # done and planned runs, by day
    cfg: Rules = field(default=DEFAULT_RULES, repr=False, compare=False)  # the numbers in force

    @property
    def trend_ready(self) -> bool:
        """Rule 24: 28 days of data before the acute:chronic ratio is shown."""
        return len(self.days) >= self.cfg.trend_min_days

    def latest_spike(self, at_least: SpikeTier = SpikeTier.CAUTION) -> Spike | None:
        """The most recent completed run at this tier or above."""
        done = [s for s in self.spikes if not s.planned and s.tier.level >= at_least.level]
        return done[-1] if done else None

    def spikes_near(
        self,
        day: date,
        within_days: int | None = None,
        at_least: SpikeTier = SpikeTier.WARNING,
    ) -> tuple[Spike, ...]:
        """Spikes at this tier or above within ``within_days`` calendar days of ``day``
        (by default the rules' ``spike_buffer_days``)."""
        within = self.cfg.spike_buffer_days if within_days is None else within_days
        return tuple(
            s
            for s in self.spikes
            if s.tier.level >= at_least.level and abs((s.day - day).days) <= within
        )

    def spike_in_week(self, day: date, at_least: SpikeTier = SpikeTier.WARNING) -> Spike | None:
        """The biggest spike at this tier or above in the ISO week of ``day``."""
        week = [
            s
            for s in self.spikes
            if s.tier.level >= at_least.level and week_start(s.day) == week_start(day)
        ]
        return max(week, key=lambda s: s.increase or 0.0, default=None)

    def softening(self, day: date) -> Softening | None:
        """How a strength session on ``day`` is softened by a warning-tier spike, if at all.

        Progressions freeze in a week that holds a warning-tier spike, and for a session
        within 48 h of one (even across a week boundary); high-stress items are dropped from
        those 48 h (§4.5 coupling, rules 21 and 27).
        """
        near = max(self.spikes_near(day), key=lambda s: s.increase or 0.0, default=None)
        spike = near or self.spike_in_week(day)
        return None if spike is None else Softening(spike, drop_high_stress=near is not None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "trend_ready": self.trend_ready,
            "weeks": [w.as_dict() for w in self.weeks],
            "days": [d.as_dict() for d in self.days],
            "spikes": [s.as_dict() for s in self.spikes],
            "weekly_note": WEEKLY_SOURCE,
        }


def summarize(
    runs: Sequence[LoadRun],
    strength: Sequence[StrengthLoad],
    today: date,
    planned: Sequence[LoadRun] = (),
    cfg: Rules = DEFAULT_RULES,
) -> LoadSummary:
    """The whole load view for ``today``; planned runs are checked against done runs and
    the planned runs before them."""
    done = [r for r in runs if r.day <= today]
    spikes = run_spikes(done, cfg) + _planned_spikes(done, planned, cfg)
    return LoadSummary(
        today=today,
        weeks=weekly_totals(done, today, cfg),
        days=daily_load(done, strength, today, cfg),
        spikes=tuple(sorted(spikes, key=lambda s: s.day)),
        cfg=cfg,
    )


def _planned_spikes(
    done: Sequence[LoadRun], planned: Sequence[LoadRun], cfg: Rules
) -> tuple[Spike, ...]:
    ahead = sorted(
        (p for p in planned if p.is_run and p.distance_m is not None), key=lambda p: p.day
    )
    history = _History([*done, *ahead], cfg)
    return tuple(history.spike(p.day, p.distance_m or 0.0, planned=True) for p in ahead)
