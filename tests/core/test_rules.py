"""One set of numbers (issue 14 §6): a rules file and a runner's settings, checked, and
every explanation written with the numbers in force."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kneecap.core.catalog.model import Stress
from kneecap.core.load import LoadRun, summarize
from kneecap.core.log import TrainingLog
from kneecap.core.planning import WeekKind, generate_plan
from kneecap.core.profile import parse_profile
from kneecap.core.progression import DEFAULT_CONFIG, Context, ProgressionConfig, progress
from kneecap.core.rules import (
    DEFAULT_RULES,
    RUNNER_KEYS,
    SECTIONS,
    Rules,
    RulesError,
    load_rules,
    load_rules_file,
    rules_table,
    settings,
    with_runner_overrides,
)
from tests.core.planning.builders import seed_catalog
from tests.core.progression.builders import RAISE, P, days, did, lookup, session

REPO = Path(__file__).resolve().parents[2]
TWELVE = P(3, reps=12, rest_s=60)


def test_the_defaults_are_the_briefs_numbers() -> None:
    r = DEFAULT_RULES
    assert (r.green_max, r.amber_max, r.morning_tolerance) == (2, 5, 0)  # rules 14–17
    assert (r.trend_days, r.escalate_days, r.alert_pain_above) == (7, 21, 7)  # 18, 19, 38
    assert (r.load_step_pct, r.load_step_min_pct, r.load_step_max_pct) == (5, 2.5, 10)  # 7
    assert (r.deload_sets, r.deload_every_weeks, r.new_exercise) == (0.6, 4, 0.5)  # 29, 32
    assert (r.spike_caution_pct, r.spike_warning_pct, r.spike_strong_pct) == (10, 30, 100)
    assert (r.acute_lambda, round(r.chronic_lambda, 3)) == (0.25, 0.069)  # rule 24
    assert [r.buffer_days(s) for s in Stress] == [1, 2, 3]  # rule 27: low, moderate, high
    assert ProgressionConfig is Rules and DEFAULT_CONFIG is DEFAULT_RULES


def test_a_rules_file_changes_only_what_it_names() -> None:
    rules = load_rules("[pain]\ngreen_max = 1\namber_max = 4\n\n[load]\nspike_caution_pct = 15\n")
    assert (rules.green_max, rules.amber_max, rules.spike_caution_pct) == (1, 4, 15.0)
    assert rules.trend_days == 7 and rules.deload_sets == 0.6
    assert load_rules({"return": {"gap_short_ramp": [0.4, 0.6]}}).gap_short_ramp == (0.4, 0.6)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[pains]\ngreen_max = 1", "pains", "unknown section"),
        ("[pain]\ngreen_mx = 1", "pain.green_mx", "unknown key"),
        ("[load]\ngreen_max = 1", "load.green_max", "unknown key"),  # the wrong section
        ("pain = 3", "pain", "expected a table"),
        ('[pain]\ngreen_max = "two"', "pain.green_max", "expected a whole number, got 'two'"),
        ("[pain]\ngreen_max = 1.5", "pain.green_max", "expected a whole number, got 1.5"),
        ("[pain]\ngreen_max = true", "pain.green_max", "expected a whole number"),
        ("[pain]\namber_max = 11", "pain.amber_max", "11 is outside 1–10"),
        ("[reductions]\ndeload_sets = 1.2", "reductions.deload_sets", "outside 0.1–0.9"),
        ("[pain]\ngreen_max = 5", "pain.green_max", "must be below pain.amber_max (5)"),
        ("[pain]\namber_max = 2", "pain.amber_max", "must be above pain.green_max (2)"),
        ("[pain]\namber_max = 8", "pain.amber_max", "at most pain.alert_pain_above (7)"),
        ("[load]\nacute_days = 28", "load.acute_days", "must be below load.chronic_days"),
        ("[return]\ngap_long_ramp = []", "return.gap_long_ramp", "a list of 1 to 8 numbers"),
        ("[return]\ngap_long_ramp = [0.5, 2]", "return.gap_long_ramp[1]", "2 is outside 0.1–1"),
        ("[pain\ngreen_max = 1", "", "not valid TOML"),
    ],
)
def test_a_bad_rules_file_names_the_key_and_the_problem(text: str, key: str, words: str) -> None:
    with pytest.raises(RulesError) as caught:
        load_rules(text)
    assert caught.value.key == key
    assert words in str(caught.value)


def test_a_rules_file_that_cannot_be_read_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text("[pain]\ngreen_max = 9\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"pain.green_max: must be below .*rules.toml"):
        load_rules_file(bad)
    with pytest.raises(RulesError, match="cannot read"):
        load_rules_file(tmp_path / "missing.toml")


def test_a_runner_gets_only_the_settings_a_clinician_may_change() -> None:
    assert set(RUNNER_KEYS) == {
        "green_max",
        "amber_max",
        "max_rep_step",
        "load_step_pct",
        "hold_step_max_s",
        "short_hold_step_max_s",
        "distance_step_max_pct",
        "deload_sets",
    }
    stricter = with_runner_overrides(DEFAULT_RULES, {"amber_max": 3, "green_max": 1})
    assert (stricter.amber_max, stricter.green_max, stricter.trend_days) == (3, 1, 7)
    with pytest.raises(RulesError, match="trend_days: not a per-runner setting"):
        with_runner_overrides(DEFAULT_RULES, {"trend_days": 5})
    with pytest.raises(RulesError, match="pain_ceiling: unknown key"):
        with_runner_overrides(DEFAULT_RULES, {"pain_ceiling": 4})
    with pytest.raises(RulesError, match="green_max: must be below amber_max"):
        with_runner_overrides(DEFAULT_RULES, {"green_max": 3, "amber_max": 3})
    with pytest.raises(RulesError, match="load_step_pct: must be at most load_step_max_pct"):
        with_runner_overrides(DEFAULT_RULES, {"load_step_pct": 12})


def test_every_section_is_documented_as_the_config_defines_it() -> None:
    for section, doc in SECTIONS.items():
        text = (REPO / doc).read_text(encoding="utf-8")
        assert rules_table(section) in text, f"{doc}: the [{section}] table differs"
    assert {s.section for _, s in settings()} == set(SECTIONS)


# --- the numbers in force are the numbers said ------------------------------------------

STRICT = load_rules(
    {
        "pain": {"green_max": 1, "amber_max": 4},
        "reductions": {"regress_volume": 0.7, "deload_sets": 0.5, "deload_every_weeks": 3},
        "planner": {"min_gap_days": 3},
        "load": {"spike_caution_pct": 20, "spike_window_days": 21},
    }
)


def _first(*sessions: object, cfg: Rules = STRICT, **ctx: object) -> tuple[str, ...]:
    log = TrainingLog(tuple(sessions))  # type: ignore[arg-type]
    day = log.sessions[-1].date + timedelta(days=1)
    return progress(lookup, log, Context(as_of=day, **ctx), cfg).exercises[0].why  # type: ignore[arg-type]


def test_the_pain_gate_says_the_ceilings_in_force() -> None:
    red = _first(session(days(0), did(RAISE, "one-leg", pain=5)))
    assert "pain 5/10 during on Monday 2 March, above 4" in red[0]
    assert "about 30 % less" in _first(session(days(0), did(RAISE, "two-legs", pain=5)))[0]
    amber = _first(session(days(0), did(RAISE, "two-legs", TWELVE, pain=2)))
    assert amber[0].startswith("Holding at 3 × 12: pain 2/10 during")


def test_the_deload_says_its_share_and_its_week() -> None:
    why = _first(session(days(0), did(RAISE, "two-legs", TWELVE)), deload_week=True)
    assert "every 3rd week of the program is lighter" in why[0]
    profile = parse_profile(
        {"start_date": "2026-03-02", "weeks": 3, "runs": {"tue": {"kind": "easy", "minutes": 30}}}
    )
    plan = generate_plan(profile, seed_catalog(), cfg=STRICT)
    deload = next(w for w in plan.weeks if w.kind is WeekKind.DELOAD)
    lines = [line for s in deload.sessions for line in s.why]
    assert (
        "Deload week: about 50 % fewer sets and no progressions, at most 62 % of the work of "
        "the week of 2026-03-09 (rule 29)"
    ) in lines
    later = [line for w in plan.weeks for s in w.sessions for line in s.why]
    assert not [line for line in later if "48 h" in line or "40 %" in line]
    assert any("72 h or more for the same muscles" in line for line in later)


def test_the_load_view_says_its_window_and_tier() -> None:
    start = date(2026, 3, 2)
    runs = [LoadRun(start + timedelta(days=i), 10_000, 60) for i in range(0, 30, 3)]
    view = summarize(
        runs,
        [],
        start + timedelta(days=29),
        [LoadRun(start + timedelta(days=31), 13_000, 80)],
        STRICT,
    )
    message = view.spikes[-1].message() or ""
    assert "longest run in the 21 days before" in message
    assert "would stay within 20 % of it" in message


def test_each_decision_carries_the_pain_ceiling_in_force() -> None:
    log = TrainingLog((session(days(0), did(RAISE, "two-legs", TWELVE)),))
    ceiling = with_runner_overrides(DEFAULT_RULES, {"amber_max": 4})
    decision = progress(lookup, log, Context(as_of=days(3)), ceiling).exercises[0]
    assert decision.pain_ceiling == 4 and decision.as_dict()["pain_ceiling"] == 4
    assert progress(lookup, log, Context(as_of=days(3))).exercises[0].pain_ceiling == 5
