"""Runners the planner must handle well, one story each."""

from __future__ import annotations

from datetime import date, timedelta

from kneecap.core.catalog.model import Equipment, Stress
from kneecap.core.planning import CurrentDose, Plan, Run, WeekKind, generate_plan
from kneecap.core.profile import Experience, PlannedRun, Priority, Profile, Race, RunKind
from tests.core.planning.builders import EVERYTHING, seed_catalog
from tests.core.planning.builders import profile as make_profile
from tests.core.planning.checks import Case, check_plan

CATALOG = seed_catalog()
START = date(2026, 3, 2)  # a Monday


def plan_for(
    profile: Profile,
    *,
    runs: tuple[Run, ...] = (),
    current: dict[str, CurrentDose] | None = None,
) -> Plan:
    """The plan, after the independent check of every rule."""
    plan = generate_plan(profile, CATALOG, runs=runs, current=current)
    check_plan(Case(profile, CATALOG, runs, current), plan)
    return plan


def known_doses() -> dict[str, CurrentDose]:
    return {
        ex.slug: CurrentDose(ex.levels[0].slug, ex.levels[0].prescription, "as logged", (6,))
        for ex in CATALOG
    }


def test_strength_goes_after_the_quality_runs_on_a_typical_week() -> None:
    plan = plan_for(make_profile(weeks=3))
    for week in plan.weeks:
        assert [s.run.kind for s in week.sessions] == [RunKind.QUALITY, RunKind.QUALITY]
        assert "hard day stays hard" in week.sessions[0].why[0]
        assert "(rule 26)" in week.sessions[0].why[0]


def test_a_runner_who_runs_every_day_gets_sessions_and_a_rule_28_warning() -> None:
    every_day = {d: PlannedRun(RunKind.EASY, 45) for d in ("mon", "tue", "wed", "thu", "fri")}
    every_day |= {"sat": PlannedRun(RunKind.QUALITY, 60), "sun": PlannedRun(RunKind.LONG, 120)}
    plan = plan_for(make_profile(runs=every_day, weeks=4))
    assert all(week.sessions for week in plan.weeks)
    assert any("rule 28" in w for w in plan.warnings)
    for session in plan.sessions():
        assert session.run.minutes <= 90  # not on the 2-hour long run day (rule 27)


def test_a_race_in_5_days_gets_nothing_new_and_says_why() -> None:
    race = Race(START + timedelta(days=5), Priority.A)
    plan = plan_for(make_profile(races=(race,), weeks=3))
    assert plan.weeks[0].kind is WeekKind.RACE
    # every exercise would be new before the race (rule 31): the program starts after it
    assert all(s.date > race.date for s in plan.sessions())
    assert plan.weeks[1].sessions


def test_a_race_in_5_days_allows_one_light_session_of_known_exercises() -> None:
    race = Race(START + timedelta(days=5), Priority.A)
    plan = plan_for(make_profile(races=(race,), weeks=1), current=known_doses())
    (session,) = plan.weeks[0].sessions
    assert all(item.stress is Stress.LOW for item in session.items)
    assert any("rules 1, 31" in line for line in session.why)
    assert all(31 in item.rules for item in session.items)


def test_only_body_weight_uses_levels_that_need_nothing() -> None:
    plan = plan_for(make_profile(equipment=frozenset()))
    slugs = {item.exercise for s in plan.sessions() for item in s.items}
    assert slugs  # walking backward, split squats, hip work…
    for s in plan.sessions():
        for item in s.items:
            ex = next(e for e in CATALOG if e.slug == item.exercise)
            assert ex.level_equipment(ex.level(item.level)) <= {Equipment.NONE}
    assert any("Tibialis raise is left out: it needs wall" in w for w in plan.warnings)


def test_an_advanced_runner_without_dumbbells_stays_on_the_body_weight_level() -> None:
    no_weights = EVERYTHING - {Equipment.DUMBBELLS}
    plan = plan_for(make_profile(equipment=no_weights, experience=Experience.ADVANCED))
    levels = {i.level for s in plan.sessions() for i in s.items if i.exercise == "split-squat"}
    assert levels == {"bodyweight"}


def test_an_urgent_red_flag_blocks_the_plan_with_advice() -> None:
    plan = plan_for(make_profile(screening={"urgent_locked": True}))
    assert plan.weeks == ()
    assert plan.blocked is not None
    assert "today" in plan.blocked.advice
    assert plan.as_dict()["blocked"] == {
        "reason": plan.blocked.reason,
        "advice": plan.blocked.advice,
    }


def test_a_see_soon_flag_pauses_that_leg_only() -> None:
    plan = plan_for(make_profile(screening={"soon_swelling_left": True}))
    items = [i for s in plan.sessions() for i in s.items]
    assert items
    assert all(i.side is not None and i.side.value == "right" for i in items)
    assert all(i.stress is Stress.LOW and 37 in i.rules for i in items)
    assert any("left leg is paused" in w for w in plan.warnings)


def test_a_whole_body_see_soon_flag_pauses_both_legs() -> None:
    plan = plan_for(make_profile(screening={"soon_stiffness": True}))
    assert plan.blocked is None and len(plan.weeks) == 8
    assert not list(plan.sessions())


def test_every_4th_week_is_a_deload_with_fewer_sets() -> None:
    plan = plan_for(make_profile(weeks=8), current=known_doses())
    kinds = [w.kind for w in plan.weeks]
    assert kinds[3] is WeekKind.DELOAD and kinds[7] is WeekKind.DELOAD
    assert kinds.count(WeekKind.DELOAD) == 2
    build = {i.exercise: i.prescription.sets for i in plan.weeks[2].sessions[0].items}
    for item in plan.weeks[3].sessions[0].items:
        if item.exercise in build and build[item.exercise] >= 2:
            assert item.prescription.sets < build[item.exercise]


def test_the_weeks_before_an_a_race_taper_and_keep_high_stress_10_days_away() -> None:
    race = Race(START + timedelta(days=7 * 5 + 6), Priority.A)  # the Sunday of week 6
    plan = plan_for(make_profile(races=(race,), weeks=7, runs={}), current=known_doses())
    assert plan.weeks[4].kind is WeekKind.TAPER and plan.weeks[5].kind is WeekKind.RACE
    assert len(plan.weeks[5].sessions) <= 1
    for s in plan.sessions():
        days_to_race = (race.date - s.date).days
        if 0 <= days_to_race < 10:
            assert all(i.stress is Stress.LOW for i in s.items)
    high = [s.date for s in plan.sessions() if any(i.stress is Stress.HIGH for i in s.items)]
    assert high and max(d for d in high if d < race.date) <= race.date - timedelta(days=10)


def test_a_b_race_week_holds_one_maintenance_session() -> None:
    race = Race(START + timedelta(days=13), Priority.B)
    plan = plan_for(make_profile(races=(race,), weeks=3))
    assert plan.weeks[1].kind is WeekKind.RACE and len(plan.weeks[1].sessions) == 1


def test_a_gap_of_5_weeks_ramps_back_over_4_weeks() -> None:
    last_run = Run(START - timedelta(days=35), 40)
    plan = plan_for(make_profile(weeks=6), runs=(last_run,), current=known_doses())
    assert [w.kind for w in plan.weeks[:4]] == [WeekKind.RETURN] * 4
    assert plan.weeks[4].kind is WeekKind.BUILD
    first = plan.weeks[0].sessions[0]
    assert any("35 days away: about 50 %" in line for line in first.why)


def test_a_short_gap_resumes_as_before() -> None:
    plan = plan_for(make_profile(weeks=2), runs=(Run(START - timedelta(days=5), 40),))
    assert WeekKind.RETURN not in [w.kind for w in plan.weeks]


def test_imported_runs_move_the_sessions() -> None:
    # Tuesday's intervals were moved to Monday this week; Tuesday became a rest day.
    runs = (Run(START, 60, RunKind.QUALITY), Run(START + timedelta(days=1), 0, RunKind.REST))
    plan = plan_for(make_profile(weeks=1), runs=runs)
    assert [s.date for s in plan.weeks[0].sessions] == [START, START + timedelta(days=3)]


def test_the_engine_dose_replaces_the_default_with_its_rules() -> None:
    split = next(e for e in CATALOG if e.slug == "split-squat")
    dose = split.levels[0].prescription.with_changes(reps=14)
    current = {"split-squat": CurrentDose("bodyweight", dose, "two good sessions", (6, 8))}
    plan = plan_for(make_profile(weeks=3), current=current)
    items = [i for s in plan.weeks[1].sessions for i in s.items if i.exercise == "split-squat"]
    assert items and items[0].prescription.reps == 14 and {6, 8} <= set(items[0].rules)
    assert not items[0].new


def test_knee_pain_above_5_keeps_to_low_stress() -> None:
    plan = plan_for(make_profile(knee_pain_now=7))
    assert all(i.stress is Stress.LOW for s in plan.sessions() for i in s.items)
    assert any("rule 16" in w for w in plan.warnings)


def test_a_knee_history_keeps_deep_bends_and_load_out_until_cleared() -> None:
    restricted = plan_for(
        make_profile(screening={"knee_surgery_12m": True}, experience=Experience.ADVANCED)
    )
    slugs = {i.exercise for s in restricted.sessions() for i in s.items}
    assert not slugs & {"knees-to-floor", "deep-squat-hold"}
    cleared = plan_for(
        make_profile(
            screening={"knee_surgery_12m": True, "knee_cleared": True},
            experience=Experience.ADVANCED,
        )
    )
    assert {i.exercise for s in cleared.sessions() for i in s.items} & {"knees-to-floor"}


def test_seven_sessions_wanted_gives_two_and_a_rule_1_warning() -> None:
    plan = plan_for(make_profile(sessions_per_week=7))
    assert all(len(w.sessions) <= 2 for w in plan.weeks)
    assert any("rule 1" in w and "7 sessions" in w for w in plan.warnings)


def test_a_tight_minutes_budget_trims_items_but_keeps_a_hip_exercise() -> None:
    plan = plan_for(make_profile(minutes_per_session=10))
    for s in plan.sessions():
        assert s.minutes <= 10
        assert any(i.module == "hip" for i in s.items)


def test_a_year_long_plan_is_complete() -> None:
    plan = plan_for(make_profile(weeks=52))
    assert len(plan.weeks) == 52
    assert sum(1 for w in plan.weeks if w.kind is WeekKind.DELOAD) == 13


def test_the_json_shape_has_every_item_key() -> None:
    plan = plan_for(make_profile(weeks=1))
    data = plan.as_dict()
    assert set(data) == {"weeks", "warnings", "blocked"}
    item = data["weeks"][0]["sessions"][0]["items"][0]
    for key in ("exercise", "level", "sets", "reps", "hold_s", "rest_s", "distance_m"):
        assert key in item
    for key in ("duration_s", "load_kg", "per_side", "rules"):
        assert key in item


def test_two_a_races_close_together_share_one_light_session() -> None:
    races = (
        Race(START + timedelta(days=14), Priority.A),
        Race(START + timedelta(days=16), Priority.A),
    )
    plan = plan_for(make_profile(races=races, weeks=3), current=known_doses())
    window = [s.date for s in plan.sessions() if 0 <= (races[1].date - s.date).days < 10]
    assert len(window) <= 1


def test_the_deload_cadence_follows_the_program_start_when_replanning() -> None:
    profile = make_profile(weeks=4)
    replanned = generate_plan(profile, CATALOG, program_start=START - timedelta(days=14))
    assert [w.kind for w in replanned.weeks] == [
        WeekKind.BUILD,
        WeekKind.DELOAD,
        WeekKind.BUILD,
        WeekKind.BUILD,
    ]


def test_a_lighter_day_uses_an_easier_level_of_the_same_exercise() -> None:
    catalog = tuple(e for e in CATALOG if e.slug in {"split-squat", "glute-bridge"})
    split = catalog[0]
    current = {"split-squat": CurrentDose("loaded", split.levels[1].prescription)}
    profile = make_profile(weeks=3)
    plan = generate_plan(profile, catalog, current=current)
    check_plan(Case(profile, catalog, (), current), plan)
    levels = {(s.date.weekday(), i.level, i.stress) for s in plan.sessions() for i in s.items}
    # Tuesday (key workout 2 days later) takes body weight; Thursday (3 days) takes the load.
    assert (1, "bodyweight", Stress.MODERATE) in levels and (3, "loaded", Stress.HIGH) in levels
