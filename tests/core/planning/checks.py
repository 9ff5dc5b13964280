"""An independent check of every planner rule on a generated plan.

Each check either finds the rule kept, or finds the relaxation named in the plan's warnings.
The calendar here is recomputed from the profile on purpose, not taken from the planner.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from kneecap.core.catalog.model import Equipment, Exercise, Prescription, Stress
from kneecap.core.planning import CurrentDose, Plan, PlanItem, Run, Week, WeekKind
from kneecap.core.profile import Priority, Profile, RunKind
from kneecap.core.screening import Leg, assess

KEY = {RunKind.QUALITY, RunKind.LONG, RunKind.RACE}
HARD = [RunKind.REST, RunKind.EASY, RunKind.QUALITY, RunKind.LONG, RunKind.RACE]
BUFFER = {Stress.HIGH: 3, Stress.MODERATE: 2, Stress.LOW: 1}
RANK = {Stress.LOW: 0, Stress.MODERATE: 1, Stress.HIGH: 2}
PHASE_SESSIONS = {
    WeekKind.BUILD: 2,
    WeekKind.DELOAD: 2,
    WeekKind.RETURN: 2,
    WeekKind.TAPER: 2,
    WeekKind.RACE: 1,
}
DEEP = {"knees-to-floor", "deep-squat-hold"}
ABOUT = 1.25 + 1e-9


@dataclass(frozen=True)
class Case:
    profile: Profile
    catalog: tuple[Exercise, ...]
    runs: tuple[Run, ...] = ()
    current: Mapping[str, CurrentDose] | None = None

    def day(self, d: date) -> tuple[RunKind, int]:
        if any(r.date == d for r in self.profile.races):
            return RunKind.RACE, 0
        actual = [r for r in self.runs if r.date == d]
        if actual:
            kind = max((r.kind for r in actual), key=HARD.index)
            return kind, sum(r.minutes for r in actual)
        planned = self.profile.run_on(d.weekday())
        return planned.kind, planned.minutes

    def a_races(self) -> list[date]:
        return [r.date for r in self.profile.races if r.priority is Priority.A]

    def gap(self) -> int | None:
        past = [r.date for r in self.runs if r.date < self.profile.start_date]
        return (self.profile.start_date - max(past)).days if past else None

    def full_dose(self, item: PlanItem) -> Prescription:
        ex = next(e for e in self.catalog if e.slug == item.exercise)
        dose = (self.current or {}).get(item.exercise)
        if dose is not None and dose.level == item.level:
            p = dose.prescription
        else:
            p = ex.level(item.level).prescription
        return replace(p, per_side=False) if item.side else p


def check_plan(case: Case, plan: Plan) -> None:
    screening = assess(case.profile.screening)
    if screening.blocked is not None:
        assert plan.blocked is not None and plan.blocked.advice and plan.weeks == ()
        return
    assert plan.blocked is None
    assert len(plan.weeks) == case.profile.weeks
    for check in (
        _weeks_in_order,
        _rule_1_sessions_per_phase,
        _rule_2_spacing,
        _rule_27_buffers,
        _rule_28_rest_day,
        _rule_29_deload,
        _rule_29_deload_work,
        _rule_31_taper,
        _rule_32_new_at_half,
        _rule_33_return,
        _equipment_and_levels,
        _minutes_budget,
        _rule_39_hip,
        _pain_and_pause,
        _reasons,
    ):
        check(case, plan)


def _sessions(plan: Plan) -> list[tuple[int, date, tuple[PlanItem, ...]]]:
    return [(i, s.date, s.items) for i, w in enumerate(plan.weeks) for s in w.sessions]


def _warned(plan: Plan, rule: str) -> bool:
    return any(rule in w for w in plan.warnings)


def _weeks_in_order(case: Case, plan: Plan) -> None:
    for i, week in enumerate(plan.weeks):
        assert week.start == case.profile.start_date + timedelta(days=7 * i)
        days = [s.date for s in week.sessions]
        assert days == sorted(days)
        assert all(week.start <= d < week.start + timedelta(days=7) for d in days)
        assert all(s.items for s in week.sessions)


def _rule_1_sessions_per_phase(case: Case, plan: Plan) -> None:
    for week in plan.weeks:
        assert len(week.sessions) <= min(PHASE_SESSIONS[week.kind], case.profile.sessions_per_week)
        end = week.start + timedelta(days=6)
        if any(week.start <= r <= end for r in case.a_races()):
            assert week.kind is WeekKind.RACE
    for race in case.a_races():
        light = [d for _, d, _ in _sessions(plan) if 0 <= (race - d).days < 10]
        assert len(light) <= 1


def _rule_2_spacing(case: Case, plan: Plan) -> None:
    days = [d for _, d, _ in _sessions(plan)]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(days))


def _days_to_key(case: Case, d: date) -> int | None:
    for k in range(1, 8):
        if case.day(d + timedelta(days=k))[0] in KEY:
            return k
    return None


def _rule_27_buffers(case: Case, plan: Plan) -> None:
    for _, d, items in _sessions(plan):
        kind, minutes = case.day(d)
        assert kind is not RunKind.RACE and minutes <= 90
        k = _days_to_key(case, d)
        for item in items:
            assert k is None or k >= BUFFER[item.stress], (d, item)


def _rule_28_rest_day(case: Case, plan: Plan) -> None:
    for week in plan.weeks:
        days = [week.start + timedelta(days=n) for n in range(7)]
        rest = [d for d in days if case.day(d)[0] is RunKind.REST]
        taken = {s.date for s in week.sessions}
        if rest:
            assert any(d not in taken for d in rest)
        else:
            assert _warned(plan, "rule 28")


def _rule_29_deload(case: Case, plan: Plan) -> None:
    for i, week in enumerate(plan.weeks):
        fourth = (i + 1) % 4 == 0
        assert (week.kind is WeekKind.DELOAD) <= fourth
        if fourth:
            assert week.kind is not WeekKind.BUILD
        if week.kind is WeekKind.DELOAD:
            for s in week.sessions:
                for item in s.items:
                    assert item.prescription.volume() <= case.full_dose(item).volume() * 0.6 * ABOUT
                    assert 29 in item.rules


def week_work(week: Week) -> dict[str, float]:
    """Sets × reps, × seconds, × metres or × flights over the week, each unit on its own."""
    out: dict[str, float] = {}
    for s in week.sessions:
        for item in s.items:
            p = item.prescription
            times = p.sets * (2 if p.per_side else 1)
            unit, amount = next(
                (u, a)
                for u, a in (
                    ("reps", p.reps),
                    ("metres", p.distance_m),
                    ("flights", p.flights),
                    ("seconds", p.hold_s),
                    ("seconds", p.duration_s),
                    ("sets", 1),
                )
                if a is not None
            )
            out[unit] = out.get(unit, 0.0) + times * amount
    return out


def lighter(deload: Week, build: Week) -> bool:
    """rule 29: clearly less work in every unit, whichever exercises rotate in."""
    done, before = week_work(deload), week_work(build)
    return all(v <= before.get(u, 0.0) * 0.6 * ABOUT for u, v in done.items())


def _rule_29_deload_work(case: Case, plan: Plan) -> None:
    for i, week in enumerate(plan.weeks):
        builds = [w for w in plan.weeks[:i] if w.kind is WeekKind.BUILD]
        if week.kind is WeekKind.DELOAD and builds:
            assert lighter(week, builds[-1]), (week_work(week), week_work(builds[-1]))


def _rule_31_taper(case: Case, plan: Plan) -> None:
    first_seen: dict[str, date] = {}
    for _, d, items in _sessions(plan):
        for item in items:
            first_seen.setdefault(item.exercise, d)
            for race in case.a_races():
                if 0 <= (race - d).days < 10:
                    assert item.stress is Stress.LOW
                    assert item.prescription.volume() <= case.full_dose(item).volume() * 0.5 + 1e-9
    known = set(case.current or {})
    for slug, d in first_seen.items():
        if slug not in known:
            assert not any(0 <= (race - d).days < 14 for race in case.a_races()), slug


def _rule_32_new_at_half(case: Case, plan: Plan) -> None:
    seen = set(case.current or {})
    for _, _, items in _sessions(plan):
        for item in items:
            if item.exercise not in seen:
                assert item.new and 32 in item.rules
                assert item.prescription.volume() <= case.full_dose(item).volume() * 0.5 * ABOUT
            else:
                assert not item.new
        seen.update(i.exercise for i in items)


def _rule_33_return(case: Case, plan: Plan) -> None:
    gap = case.gap()
    ramp: tuple[float, ...] = ()
    if gap is not None and gap >= 14:
        ramp = (0.5, 0.7, 0.8, 0.9) if gap >= 28 else (0.5, 0.7)
    for i, week in enumerate(plan.weeks):
        if i < len(ramp) and week.kind not in (WeekKind.RACE, WeekKind.TAPER):
            assert week.kind is WeekKind.RETURN
        if week.kind is WeekKind.RETURN:
            assert i < len(ramp)
        for s in week.sessions:
            for item in s.items:
                if i < len(ramp):
                    assert (
                        item.prescription.volume()
                        <= case.full_dose(item).volume() * ramp[i] * ABOUT
                    )
                    assert 33 in item.rules


def _equipment_and_levels(case: Case, plan: Plan) -> None:
    restrict = assess(case.profile.screening).restrict_knee_loading
    for _, _, items in _sessions(plan):
        for item in items:
            ex = next(e for e in case.catalog if e.slug == item.exercise)
            lvl = ex.level(item.level)
            assert ex.level_equipment(lvl) - {Equipment.NONE} <= case.profile.equipment
            assert item.stress is ex.level_stress(lvl)
            if restrict:
                assert item.exercise not in DEEP
                assert not (ex.level_equipment(lvl) & {Equipment.DUMBBELLS, Equipment.SLED})
                assert not item.prescription.load_kg


def _minutes_budget(case: Case, plan: Plan) -> None:
    from kneecap.core.catalog.model import estimate_duration_s

    budget = case.profile.minutes_per_session
    for week in plan.weeks:
        for s in week.sessions:
            seconds = 0.0
            for item in s.items:
                ex = next(e for e in case.catalog if e.slug == item.exercise)
                seconds += estimate_duration_s(ex, item.prescription)
            assert s.minutes <= budget and seconds <= budget * 60


def _rule_39_hip(case: Case, plan: Plan) -> None:
    # A session without a hip item is fine only when none was allowed that day, or warned.
    possible = any(e.module == "hip" and _usable(case, e) for e in case.catalog)
    for _, d, items in _sessions(plan):
        if not any(i.module == "hip" for i in items):
            assert not possible or _warned(plan, "rule 39"), d


def _usable(case: Case, ex: Exercise) -> bool:
    return any(
        ex.level_equipment(lvl) - {Equipment.NONE} <= case.profile.equipment for lvl in ex.levels
    )


def _pain_and_pause(case: Case, plan: Plan) -> None:
    screening = assess(case.profile.screening)
    paused = screening.paused_legs
    low_only = case.profile.knee_pain_now > 5 or bool(paused)
    for _, _, items in _sessions(plan):
        for item in items:
            if low_only:
                assert item.stress is Stress.LOW
            if len(paused) == 1:
                assert item.side is not None and item.side not in paused
                assert not item.prescription.per_side
    if paused == frozenset(Leg):
        assert not _sessions(plan)


def _reasons(case: Case, plan: Plan) -> None:
    del case
    for week in plan.weeks:
        for s in week.sessions:
            assert s.why and all(isinstance(line, str) and line for line in s.why)
            assert any("(rule 27)" in line for line in s.why)
            if not s.run.is_rest:
                assert any("(rule 26)" in line for line in s.why)
            if s.run.kind is RunKind.QUALITY:
                assert "hard day stays hard" in s.why[0]
            assert all(item.rules for item in s.items)
