"""The load view's numbers: spikes (rule 21), weekly totals (22, 23), sRPE and EWMA (24, 25)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.load import (
    ACUTE_LAMBDA,
    CHRONIC_LAMBDA,
    LoadRun,
    SpikeTier,
    StrengthLoad,
    daily_load,
    ewma,
    planned_spike,
    run_spikes,
    summarize,
    weekly_totals,
)

START = date(2026, 3, 2)  # a Monday


def _day(n: int) -> date:
    return START + timedelta(days=n)


def _history(longest_m: float = 12_000) -> list[LoadRun]:
    """Five weeks of runs: 8 km every other day, and one long run 20 days back from day 40."""
    runs = [LoadRun(_day(i), 8_000, 45, 4) for i in range(0, 40, 2) if i != 20]
    return [*runs, LoadRun(_day(20), longest_m, 70, 5)]


# --- spikes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance_m", "tier"),
    [
        (10_000, SpikeTier.NONE),
        (13_200, SpikeTier.NONE),  # exactly 10 % longer is not above 10 %
        (13_300, SpikeTier.CAUTION),
        (15_600, SpikeTier.CAUTION),  # exactly 30 %
        (16_000, SpikeTier.WARNING),
        (24_000, SpikeTier.WARNING),  # exactly 100 %
        (24_100, SpikeTier.STRONG),
    ],
)
def test_a_planned_run_is_tiered_against_the_longest_of_the_previous_30_days(
    distance_m: float, tier: SpikeTier
) -> None:
    spike = planned_spike(distance_m, _day(40), _history())
    assert spike.reference_m == 12_000
    assert spike.tier is tier


def test_the_message_gives_the_numbers_the_source_and_a_distance_within_10_percent() -> None:
    sunday = _day(41)
    assert sunday.weekday() == 6
    text = planned_spike(16_000, sunday, _history()).message()
    assert text is not None
    assert text.startswith("Sunday's planned 16 km is 33 % longer")
    assert "(12 km)" in text
    assert "Frandsen" in text
    assert "about 13.2 km" in text
    for word in ("risk", "will get injured", "probability", "chance"):
        assert word not in text.lower()


def test_a_completed_spike_is_told_in_the_past_without_a_suggestion() -> None:
    runs = [*_history(), LoadRun(_day(40), 25_000, 150, 7)]
    spike = run_spikes(runs)[-1]
    assert spike.tier is SpikeTier.STRONG
    text = spike.message()
    assert text is not None
    assert text.startswith("Your 25 km run on Saturday 11 Apr 2026 was 108 % longer")
    assert "would stay within" not in text


def test_a_percentage_on_a_threshold_keeps_a_decimal() -> None:
    text = planned_spike(13_212, _day(40), _history()).message()
    assert text is not None
    assert "10.1 % longer" in text


def test_runs_before_30_days_of_history_are_not_judged() -> None:
    runs = [LoadRun(_day(0), 5_000, 30), LoadRun(_day(29), 20_000, 120)]
    spikes = run_spikes(runs)
    assert [s.tier for s in spikes] == [SpikeTier.NOT_ENOUGH_HISTORY] * 2
    assert spikes[1].message() == (
        "Not enough history yet: runs are compared once they go back 30 days."
    )
    assert planned_spike(30_000, _day(30), runs).tier is SpikeTier.WARNING


def test_a_run_after_a_month_off_has_nothing_to_compare_with() -> None:
    runs = [LoadRun(_day(0), 5_000, 30), LoadRun(_day(45), 6_000, 35)]
    spike = run_spikes(runs)[-1]
    assert spike.tier is SpikeTier.NO_RECENT_RUN
    assert spike.reference_m is None


def test_the_window_is_the_30_days_before_and_excludes_the_same_day() -> None:
    base = [LoadRun(_day(0), 5_000, 30), LoadRun(_day(10), 20_000, 120)]
    assert planned_spike(10_000, _day(40), base).reference_m == 20_000  # 30 days back
    same_day = [*base, LoadRun(_day(40), 30_000, 160)]
    assert planned_spike(10_000, _day(40), same_day).reference_m == 20_000


def test_the_longest_run_leaves_the_window_after_30_days() -> None:
    base = [LoadRun(_day(i), 5_000, 30) for i in range(0, 60, 3)] + [LoadRun(_day(10), 20_000, 120)]
    assert planned_spike(10_000, _day(40), base).reference_m == 20_000
    assert planned_spike(10_000, _day(41), base).reference_m == 5_000


def test_other_sports_and_runs_without_distance_are_not_runs_for_spikes() -> None:
    runs = [
        *_history(),
        LoadRun(_day(30), 60_000, 120, 5, sport="cycling"),
        LoadRun(_day(31), None, 200, 5),
    ]
    assert planned_spike(13_000, _day(40), runs).reference_m == 12_000
    assert len(run_spikes(runs)) == len(_history())


def test_a_start_time_counts_by_its_date() -> None:
    at = datetime(2026, 4, 11, 7, 30, tzinfo=UTC)
    assert LoadRun(at, 1_000, 6).day == date(2026, 4, 11)


@settings(max_examples=60, deadline=None)
@given(
    distances=st.lists(st.integers(500, 40_000), min_size=1, max_size=25),
    a=st.integers(0, 80_000),
    b=st.integers(0, 80_000),
)
def test_the_tier_never_falls_as_the_distance_grows(distances: list[int], a: int, b: int) -> None:
    history = [LoadRun(_day(2 * i), d, 40) for i, d in enumerate(distances)]
    history.insert(0, LoadRun(_day(-40), 5_000, 30))
    day = _day(2 * len(distances))
    low, high = sorted((a, b))
    assert (
        planned_spike(low, day, history).tier.level <= planned_spike(high, day, history).tier.level
    )


# --- weekly totals ----------------------------------------------------------------------


def test_weeks_start_on_monday_and_empty_weeks_are_zero() -> None:
    runs = [
        LoadRun(_day(0), 10_000, 60),
        LoadRun(_day(6), 5_000, 30),  # Sunday, same week
        LoadRun(_day(21), 8_000, 50),
    ]
    weeks = weekly_totals(runs, today=_day(23))
    assert [w.week_start for w in weeks] == [_day(0), _day(7), _day(14), _day(21)]
    assert [w.distance_m for w in weeks] == [15_000, 0, 0, 8_000]
    assert [w.minutes for w in weeks] == [90, 0, 0, 50]
    assert [w.runs for w in weeks] == [2, 0, 0, 1]
    # rule 22: after empty weeks, the last week with running is the one compared with
    assert [w.change for w in weeks] == [None, -1.0, -1.0, -0.467]
    assert [w.compared_with for w in weeks] == [None, _day(0), _day(0), _day(0)]
    assert [w.complete for w in weeks] == [True, True, True, False]


def test_a_rise_above_30_percent_is_highlighted_as_information() -> None:
    runs = [LoadRun(_day(d), m, 60) for d, m in ((0, 20_000), (7, 26_000), (14, 34_000))]
    weeks = weekly_totals(runs, today=_day(20))
    assert [w.change for w in weeks] == [None, 0.3, 0.308]
    assert [w.highlight for w in weeks] == [False, False, True]


def test_a_week_after_an_empty_week_is_compared_with_the_last_week_that_had_running() -> None:
    runs = [LoadRun(_day(0), 20_000, 120), LoadRun(_day(14), 40_000, 240)]
    weeks = weekly_totals(runs, today=_day(20))
    assert [w.distance_m for w in weeks] == [20_000, 0, 40_000]
    assert weeks[2].change == 1.0 and weeks[2].highlight  # 0 → 40 km is pointed out
    assert weeks[2].compared_with == _day(0)
    assert weeks[2].as_dict()["compared_with"] == "2026-03-02"
    assert weeks[1].compared_with == _day(0) and not weeks[1].highlight


def test_the_change_against_the_four_weeks_before_uses_their_mean() -> None:
    runs = [LoadRun(_day(7 * i), m, 60) for i, m in enumerate((10, 20, 30, 40, 50))]
    weeks = weekly_totals(runs, today=_day(30))
    assert weeks[-1].change_vs_4_weeks == 1.0  # 50 vs mean 25
    assert weeks[3].change_vs_4_weeks is None


def test_the_weekly_note_never_offers_a_10_percent_limit() -> None:
    note = summarize(_history(), [], _day(40)).as_dict()["weekly_note"]
    assert "10 %" in note and "did not change injury rates" in note  # rule 23
    assert "safe" not in note.lower() and "limit your" not in note.lower()


# --- session-RPE load and the EWMA trend ---------------------------------------------------


def test_session_load_is_rpe_times_minutes_for_runs_and_strength() -> None:
    runs = [LoadRun(_day(0), 8_000, 50, 4), LoadRun(_day(2), 5_000, 30, None)]
    strength = [StrengthLoad(_day(0), 30, 6), StrengthLoad(_day(1), 25, 5)]
    days = daily_load(runs, strength, today=_day(3))
    assert [(p.load, p.unrated) for p in days] == [(380, 0), (125, 0), (0, 1), (0, 0)]


def test_ewma_uses_the_williams_lambdas() -> None:
    assert ACUTE_LAMBDA == 0.25
    assert round(CHRONIC_LAMBDA, 3) == 0.069
    assert ewma([100, 0], 0.25) == [25, 18.75]


@settings(max_examples=40, deadline=None)
@given(minutes=st.floats(1, 300), rpe=st.integers(1, 10), days=st.integers(28, 120))
def test_a_steady_daily_load_reads_a_ratio_of_one_from_the_first_day_shown(
    minutes: float, rpe: int, days: int
) -> None:
    strength = [StrengthLoad(_day(i), minutes, rpe) for i in range(days)]
    points = daily_load([], strength, today=_day(days - 1))
    assert all(p.ratio is None for p in points[:27])  # rule 24: not before 28 days of data
    assert all(p.ratio is not None and abs(p.ratio - 1.0) < 1e-9 for p in points[27:])


def test_the_ratio_appears_only_from_the_28th_day() -> None:
    strength = [StrengthLoad(_day(i), 30, 5) for i in range(0, 40, 3)]
    days = daily_load([], strength, today=_day(35))
    assert all(p.ratio is None for p in days[:27])
    assert all(p.ratio is not None for p in days[27:])
    assert not summarize([], strength, _day(26)).trend_ready
    assert summarize([], strength, _day(27)).trend_ready


def test_no_zones_or_percent_risk_are_part_of_the_trend() -> None:
    data = summarize(_history(), [], _day(40)).as_dict()
    keys = {k for d in data["days"] for k in d}
    assert keys == {"day", "load", "unrated", "acute", "chronic", "ratio"}


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError, match="RPE"):
        LoadRun(_day(0), 1_000, 10, rpe=11)
    with pytest.raises(ValueError, match="negative"):
        StrengthLoad(_day(0), -5, 3)


_sessions = st.lists(
    st.tuples(st.integers(0, 60), st.floats(0, 300), st.one_of(st.none(), st.floats(0, 10))),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(runs=_sessions, strength=_sessions)
def test_loads_are_non_negative_and_the_ewma_never_exceeds_the_biggest_day(
    runs: list[tuple[int, float, float | None]], strength: list[tuple[int, float, float | None]]
) -> None:
    days = daily_load(
        [LoadRun(_day(d), 1_000, m, r) for d, m, r in runs],
        [StrengthLoad(_day(d), m, r) for d, m, r in strength],
        today=_day(60),
    )
    peak = max((p.load for p in days), default=0.0)
    for p in days:
        assert p.load >= 0
        assert 0 <= p.acute <= peak + 1e-9
        assert 0 <= p.chronic <= peak + 1e-9


# --- what the planner reads --------------------------------------------------------------


def test_a_warning_spike_freezes_progressions_in_its_week_and_clears_high_stress_48_h() -> None:
    sunday = _day(41)
    summary = summarize(_history(), [], today=_day(39), planned=[LoadRun(sunday, 16_000, 100)])
    tuesday, friday = _day(36), _day(39)
    far = summary.softening(tuesday)
    assert far is not None and not far.drop_high_stress
    near = summary.softening(friday)
    assert near is not None and near.drop_high_stress
    assert near.spike.planned and near.spike.tier is SpikeTier.WARNING
    assert "16 km" in near.reason and "48 h" in near.reason
    monday_after = summary.softening(_day(42))
    assert monday_after is not None and monday_after.drop_high_stress
    assert summary.softening(_day(45)) is None


def test_a_caution_spike_does_not_soften_the_strength_plan() -> None:
    sunday = _day(41)
    summary = summarize(_history(), [], today=_day(39), planned=[LoadRun(sunday, 14_000, 85)])
    assert summary.spikes[-1].tier is SpikeTier.CAUTION
    assert summary.softening(_day(40)) is None
    assert summary.spikes_near(_day(40), at_least=SpikeTier.CAUTION)


def test_the_latest_completed_spike_ignores_planned_runs() -> None:
    runs = [*_history(), LoadRun(_day(38), 14_000, 80)]
    summary = summarize(runs, [], today=_day(39), planned=[LoadRun(_day(41), 30_000, 180)])
    latest = summary.latest_spike()
    assert latest is not None and latest.day == _day(38) and latest.tier is SpikeTier.CAUTION
    assert summary.latest_spike(SpikeTier.WARNING) is None
    assert summary.spikes_near(_day(41), within_days=0)[0].planned
