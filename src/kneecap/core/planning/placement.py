"""Which days of a week get a session (rules 1, 2, 26, 27, 28, 31)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations, pairwise

from kneecap.core.catalog.model import Stress
from kneecap.core.planning import rules
from kneecap.core.planning.calendar import Calendar
from kneecap.core.planning.model import DayRun
from kneecap.core.profile import RunKind
from kneecap.core.rules import Rules, share_of

# rule 26: hard day hard, strength after the quality run; then easy days, then rest days
_DAY_SCORE = {RunKind.QUALITY: 10, RunKind.LONG: 6, RunKind.EASY: 5, RunKind.REST: 3}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_KIND_WORDS = {RunKind.QUALITY: "key workout", RunKind.LONG: "long run", RunKind.RACE: "race"}


def day_name(day: date) -> str:
    return DAY_NAMES[day.weekday()]


@dataclass(frozen=True, slots=True)
class Slot:
    """One day as a place for strength work."""

    day: date
    run: DayRun
    cap: Stress | None  # the highest stress class allowed; None: no strength today
    closed: str  # why there is no strength today, when cap is None
    next_key: tuple[int, DayRun] | None
    a_race: tuple[int, date] | None  # the next A race: days away, date
    why: tuple[str, ...]
    light_races: tuple[date, ...] = ()  # the A races whose last 10 days hold this day

    @property
    def light_race(self) -> date | None:
        """The nearest A race whose last 10 days hold this day (rules 1, 31)."""
        return self.light_races[0] if self.light_races else None

    @property
    def score(self) -> int:
        cap = rules.STRESS_RANK[self.cap] if self.cap else 0
        return _DAY_SCORE.get(self.run.kind, 0) + 2 * cap


def make_slot(cal: Calendar, day: date, cfg: Rules, *, low_only: bool) -> Slot:
    run = cal.run_on(day)
    next_key = cal.next_key(day)
    a_race = cal.days_to_a_race(day)
    closed = _closed(run, cfg)
    if closed:
        return Slot(day, run, None, closed, next_key, a_race, ())
    cap = rules.max_stress(next_key[0] if next_key else None, cfg)
    why = [_day_line(day, run, cfg), _buffer_line(cap, next_key, day)]
    if a_race and a_race[0] < cfg.race_light_days:
        cap = Stress.LOW  # rule 31: the last 10 days before an A race are light
        most = share_of(cfg.race_light_share, "the volume")
        why.append(
            f"{a_race[0]} days before the A race on {a_race[1].isoformat()}: low-stress items "
            f"only, at {most} or less (rules 1, 31)"
        )
    if a_race and a_race[0] < cfg.race_no_new_days:
        why.append(f"A race in {a_race[0]} days: no new exercises (rule 31)")
    if low_only:
        cap = Stress.LOW
    light = cal.a_races_within(day, cfg.race_light_days)
    return Slot(day, run, cap, "", next_key, a_race, tuple(why), light)


def _closed(run: DayRun, cfg: Rules) -> str:
    if run.kind is RunKind.RACE:
        return "race day (rule 27)"
    if run.minutes > cfg.long_run_limit_min:
        return f"a run over {cfg.long_run_limit_min} min (rule 27)"
    return ""


def _day_line(day: date, run: DayRun, cfg: Rules) -> str:
    name, later = day_name(day), f"at least {cfg.run_gap_hours} h later"
    if run.kind is RunKind.QUALITY:
        return f"{name} after the key workout: hard day stays hard, {later} (rule 26)"
    if run.kind is RunKind.REST:
        return f"{name}: no run planned"
    return f"{name} after the {run.kind.value} run, {later} (rule 26)"


def _buffer_line(cap: Stress, next_key: tuple[int, DayRun] | None, day: date) -> str:
    if next_key is None:
        return "no long run, key workout or race in the coming days (rule 27)"
    k, run = next_key
    what = f"{day_name(day + timedelta(days=k))}'s {_KIND_WORDS[run.kind]}"
    if cap is Stress.HIGH:
        return f"{what} is {k} days away: far enough for any stress class (rule 27)"
    if cap is Stress.MODERATE:
        return f"{what} is {k} days away: moderate items at most (rule 27)"
    return f"the day before {what}: low-stress items only (rule 27)"


@dataclass(frozen=True, slots=True)
class Taken:
    """Sessions already placed: their days, and the light sessions per A race."""

    days: tuple[date, ...] = ()
    light: Counter[date] | None = None


def choose_days(
    slots: Sequence[Slot],
    count: int,
    taken: Taken,
    usable: Callable[[Slot], bool],
    cfg: Rules,
) -> tuple[Slot, ...]:
    """The best ``count`` days (or fewer, when no set of ``count`` days keeps every rule)."""
    open_slots = [s for s in slots if s.cap is not None and usable(s)]
    rest_days = [s.day for s in slots if s.run.is_rest]
    for n in range(count, 0, -1):
        best: tuple[Slot, ...] = ()
        best_key = (-1, -1)
        for combo in combinations(open_slots, n):
            if not _fits(combo, taken, rest_days, cfg):
                continue
            key = (sum(s.score for s in combo), _min_gap(combo))
            if key > best_key:
                best, best_key = combo, key
        if best:
            return best
    return ()


def _fits(combo: tuple[Slot, ...], taken: Taken, rest_days: list[date], cfg: Rules) -> bool:
    days = [*taken.days, *(s.day for s in combo)]
    if any((b - a).days < cfg.min_gap_days for a, b in pairwise(days)):
        return False  # rule 2: 48 h between sessions
    chosen = {s.day for s in combo}
    if rest_days and all(d in chosen for d in rest_days):
        return False  # rule 28: one full rest day stays free
    light = Counter(taken.light or {})
    light.update(race for s in combo for race in s.light_races)
    return all(n <= cfg.race_light_sessions for n in light.values())  # rule 1


def _min_gap(combo: tuple[Slot, ...]) -> int:
    gaps = [(b.day - a.day).days for a, b in pairwise(combo)]
    return min(gaps, default=7)
