"""``generate_plan``: weeks of strength sessions placed around the runner's running.

Order of work (evidence brief §5.7): screening first (rules 34–37), then the runs, then the
sessions per week (rule 1) on the best days (rules 2, 26–28), then the week's modifiers
(deload, taper, return: rules 29, 31, 33). What cannot hold is said in ``warnings``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from kneecap.core.catalog.model import Exercise
from kneecap.core.planning import rules
from kneecap.core.planning.calendar import Calendar
from kneecap.core.planning.compose import Composition, History, WeekContext, compose
from kneecap.core.planning.explain import Facts, session_why, shortfall
from kneecap.core.planning.model import Blocked, CurrentDose, Plan, Run, Session, Week, WeekKind
from kneecap.core.planning.notes import Notes
from kneecap.core.planning.placement import Slot, Taken, choose_days, make_slot
from kneecap.core.planning.pool import Choice, PoolOptions, build_pool
from kneecap.core.planning.work import Allowance
from kneecap.core.profile import Profile
from kneecap.core.rules import DEFAULT_RULES, Rules, hours
from kneecap.core.screening import Leg, ScreeningResult, assess


def generate_plan(
    profile: Profile,
    catalog: Iterable[Exercise],
    *,
    runs: Iterable[Run] = (),
    current: Mapping[str, CurrentDose] | None = None,
    last_session: date | None = None,
    program_start: date | None = None,
    cfg: Rules = DEFAULT_RULES,
) -> Plan:
    """``profile.weeks`` weeks from ``profile.start_date``.

    ``runs`` are actual (imported or logged) runs; they replace the weekly pattern on their
    dates, and the latest one before the start tells how long the runner has been away
    (rule 33), as does ``last_session`` (the last strength session logged). ``current``
    maps exercise slugs to the progression engine's doses, used instead of the defaults;
    those exercises are not new (rule 32). ``program_start`` anchors the deload every 4th week
    (rule 29) when the plan is recomputed from a later date; by default it is the start date.
    ``cfg`` holds the numbers of the rules (the instance's, with the runner's own).
    """
    screening = assess(profile.screening)
    notes = Notes()
    for advice in screening.advice:
        if advice is not screening.blocked:
            notes.add(advice.text())
    if screening.blocked is not None:  # rules 35, 36: no plan, seek care
        reason, action = screening.blocked.reason, screening.blocked.action
        return Plan((), notes.render(), Blocked(reason, action))
    runs = tuple(runs)
    gap = _gap_days(profile.start_date, runs, last_session)
    options = PoolOptions(
        profile,
        current or {},
        restrict_knee_loading=screening.restrict_knee_loading,
        step_down_loaded=gap is not None and gap >= cfg.gap_long_from_days,
    )
    pool, pool_notes = build_pool(catalog, options)
    for note in pool_notes:
        notes.add(note)
    _profile_notes(profile, pool, notes, cfg)
    planner = _Planner(profile, Calendar.build(profile, runs), pool, screening, gap, notes, cfg)
    planner.weeks_before = _weeks_between(program_start, profile.start_date)
    weeks = tuple(planner.week(i) for i in range(profile.weeks))
    return Plan(weeks, notes.render(), None)


def _gap_days(start: date, runs: tuple[Run, ...], last_session: date | None) -> int | None:
    past = [r.date for r in runs if r.date < start]
    if last_session is not None and last_session < start:
        past.append(last_session)
    return (start - max(past)).days if past else None


def _weeks_between(program_start: date | None, start: date) -> int:
    if program_start is None or program_start >= start:
        return 0
    return (start - program_start).days // 7


def _profile_notes(profile: Profile, pool: tuple[Choice, ...], notes: Notes, cfg: Rules) -> None:
    if profile.sessions_per_week > cfg.week_sessions:
        notes.add(
            f"You asked for {profile.sessions_per_week} sessions a week; kneecap plans at most "
            f"{cfg.week_sessions} (rule 1), at least {hours(cfg.min_gap_days)} apart (rule 2)."
        )
    if profile.knee_pain_now > cfg.amber_max:
        notes.add(
            f"Knee pain {profile.knee_pain_now}/10 now: only low-stress items until it "
            "settles (rule 16)."
        )
    if profile.knee_pain_now > cfg.alert_pain_above:
        notes.add(
            f"Knee pain {profile.knee_pain_now}/10: please answer the safety questions again "
            "before training (rule 38)."
        )
    if pool and not any(c.hip for c in pool):
        notes.add("No hip exercise fits your equipment: the plan has knee work only (rule 39).")
    if not pool:
        notes.add("No exercise fits your equipment and screening: the plan is empty.")


class _Planner:
    """Walks the weeks in order; keeps what earlier weeks placed (rule 2, 31, 32)."""

    def __init__(
        self,
        profile: Profile,
        cal: Calendar,
        pool: tuple[Choice, ...],
        screening: ScreeningResult,
        gap: int | None,
        notes: Notes,
        cfg: Rules,
    ) -> None:
        self.profile, self.cal, self.pool, self.notes, self.gap = profile, cal, pool, notes, gap
        self.cfg = cfg
        self.ramp = rules.return_ramp(gap, cfg)
        self.paused = screening.paused_legs
        self.low_only = profile.knee_pain_now > cfg.amber_max or bool(self.paused)
        self.history = History()
        self.has_hip = any(c.hip for c in pool)
        self.taken = Taken((), Counter())
        self.weeks_before = 0  # program weeks before this plan's first week (rule 29 cadence)
        self.done: list[Week] = []
        self.before: list[tuple[History, Taken]] = []  # the state before each week

    def week(self, index: int) -> Week:
        start = self.profile.start_date + timedelta(days=7 * index)
        kind = self._kind(index, start)
        self.before.append((self.history.copy(), self.taken))
        allowance = self._deload_allowance(index) if kind is WeekKind.DELOAD else None
        week = self._place(index, kind, allowance)
        self.done.append(week)
        return week

    def _deload_allowance(self, index: int) -> Allowance:
        """rule 29: the work a deload week may carry, from the build week before it: the
        plan's last one, or the week just before this one planned as a build week."""
        build = next((w for w in reversed(self.done) if w.kind is WeekKind.BUILD), None)
        if build is None:
            history, taken = self.before[max(index - 1, 0)]
            saved = self.history, self.taken, self.notes
            self.history, self.taken, self.notes = history.copy(), taken, Notes()
            try:
                build = self._place(index - 1, WeekKind.BUILD, None)
            finally:
                self.history, self.taken, self.notes = saved
        return Allowance.of(build, self.cfg.deload_sets * rules.ABOUT)

    def _place(self, index: int, kind: WeekKind, allowance: Allowance | None) -> Week:
        start = self.profile.start_date + timedelta(days=7 * index)
        count = self._count(kind)
        ctx = self._context(index, kind, allowance)
        days = (start + timedelta(days=d) for d in range(7))
        slots = [make_slot(self.cal, day, self.cfg, low_only=self.low_only) for day in days]
        chosen = choose_days(slots, count, self.taken, lambda s: self._usable(s, ctx), self.cfg)
        rest_kept = next((s.day for s in slots if s.run.is_rest and s not in chosen), None)
        sessions: list[Session] = []
        for i, slot in enumerate(chosen):
            if allowance is not None:  # an even share of the week's work left (rule 29)
                ctx = replace(ctx, allowance=allowance.share(len(chosen) - i))
            comp = compose(slot, self.pool, ctx, self.history)
            if not comp.items:
                continue  # what fitted at half volume as new no longer fits at full volume
            if allowance is not None:
                allowance.spend(comp.items)
            facts = Facts(
                ctx=ctx,
                week_number=index + 1,
                gap=self.gap,
                count=None if sessions else count,
                rest_kept=None if sessions else rest_kept,
                previous=self.taken.days[-1] if self.taken.days else None,
                pain=self.profile.knee_pain_now,
            )
            sessions.append(self._session(slot, comp, facts, start))
        self._week_notes(slots, len(sessions), count, start, kind)
        return Week(start, kind, tuple(sessions))

    def _session(self, slot: Slot, comp: Composition, facts: Facts, start: date) -> Session:
        why = session_why(slot, comp.items, facts)
        self.history.record(comp.items, slot.day)
        self._take(slot)
        if self.has_hip and not any(i.module == rules.HIP_MODULE for i in comp.items):
            self.notes.week(
                "A session has no hip exercise: none fitted the day's limits or minutes (rule 39)",
                start,
            )
        return Session(slot.day, math.ceil(comp.seconds / 60), why, comp.items, slot.run)

    def _week_notes(
        self, slots: list[Slot], placed: int, count: int, start: date, kind: WeekKind
    ) -> None:
        if not any(s.run.is_rest for s in slots):
            self.notes.week(
                "You run every day, so no full rest day is left (rule 28 relaxed); strength "
                "goes after runs",
                start,
            )
        if placed < count:
            deload = kind is WeekKind.DELOAD
            self.notes.week(shortfall(slots, placed, count, self.cfg, deload=deload), start)

    def _usable(self, slot: Slot, ctx: WeekContext) -> bool:
        return bool(compose(slot, self.pool, ctx, self.history).items)

    def _kind(self, index: int, start: date) -> WeekKind:
        end = start + timedelta(days=6)
        if self.cal.races_between(start, end, a_only=True):
            return WeekKind.RACE
        if self.cal.races_between(end + timedelta(days=1), end + timedelta(days=7), a_only=True):
            return WeekKind.TAPER
        if self.cal.races_between(start, end, a_only=False):
            return WeekKind.RACE  # a B or C race: maintenance (rule 1)
        if index < len(self.ramp):
            return WeekKind.RETURN
        if (self.weeks_before + index + 1) % self.cfg.deload_every_weeks == 0:
            return WeekKind.DELOAD  # rule 29: every 4th week
        return WeekKind.BUILD

    def _count(self, kind: WeekKind) -> int:
        if self.paused == frozenset(Leg):
            return 0  # rule 37: both legs paused
        most = self.cfg.race_week_sessions if kind is WeekKind.RACE else self.cfg.week_sessions
        return min(most, self.profile.sessions_per_week)  # rule 1

    def _context(self, index: int, kind: WeekKind, allowance: Allowance | None) -> WeekContext:
        ramped = 0 <= index < len(self.ramp) and kind is not WeekKind.BUILD
        (train_leg,) = set(Leg) - self.paused if len(self.paused) == 1 else (None,)
        return WeekContext(
            kind=kind,
            return_factor=self.ramp[index] if ramped else 1.0,
            budget_s=self.profile.minutes_per_session * 60,
            pain_low_only=self.profile.knee_pain_now > self.cfg.amber_max,
            train_leg=train_leg,
            cfg=self.cfg,
            allowance=None if allowance is None else dict(allowance.left),
            deload_reference=None if allowance is None else allowance.reference,
        )

    def _take(self, slot: Slot) -> None:
        light = Counter(self.taken.light or {})
        light.update(slot.light_races)
        self.taken = Taken((*self.taken.days, slot.day), light)
