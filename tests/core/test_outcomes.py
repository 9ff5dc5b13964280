"""Scoring against hand-computed examples of each published rule, and answers refused with
the item named."""

from __future__ import annotations

import pytest

from kneecap.core.outcomes import INSTRUMENTS, OutcomeError, TextSource, instrument, score

# KOOS-12: items 1–4 pain, 5–8 function, 9–12 quality of life, each 0 (none) to 4 (extreme).
# Each scale is 100 − mean item × 25 with at least 2 of its 4 items answered; the summary is
# the mean of the three scales.


def test_koos_12_all_none_and_all_extreme_are_the_ends_of_the_scale() -> None:
    assert score("koos-12", [0] * 12) == {
        "pain": 100.0,
        "function": 100.0,
        "quality_of_life": 100.0,
        "summary": 100.0,
    }
    assert score("koos-12", [4] * 12) == {
        "pain": 0.0,
        "function": 0.0,
        "quality_of_life": 0.0,
        "summary": 0.0,
    }


def test_koos_12_scales_and_the_summary_by_hand() -> None:
    # pain 1,2,1,0: mean 1 → 75; function 2,2,3,1: mean 2 → 50; QoL 3,2,2,1: mean 2 → 50.
    result = score("koos-12", [1, 2, 1, 0, 2, 2, 3, 1, 3, 2, 2, 1])
    assert result["pain"] == 75.0
    assert result["function"] == 50.0
    assert result["quality_of_life"] == 50.0
    assert result["summary"] == pytest.approx(175 / 3)  # (75 + 50 + 50) / 3 = 58.33…


def test_koos_12_skipped_items_leave_the_mean_of_the_answered_ones() -> None:
    # pain: 1 and 3 answered (mean 2 → 50); function: 3 of 4 (mean 1 → 75);
    # QoL: 0, 0, 1 (mean 1/3 → 91.67). Summary (50 + 75 + 91.67) / 3 = 72.22.
    answers = [1, None, 3, None, 0, 1, None, 2, 0, 0, 1, None]
    result = score("koos-12", answers)
    assert result["pain"] == 50.0
    assert result["function"] == 75.0
    assert result["quality_of_life"] == pytest.approx(100 - 25 / 3)
    assert result["summary"] == pytest.approx((50 + 75 + 100 - 25 / 3) / 3)


def test_koos_12_needs_two_of_four_items_for_a_scale_and_all_three_for_the_summary() -> None:
    two_answered = [4, 4, None, None]
    one_answered = [None, None, None, 2]
    result = score("koos-12", two_answered + one_answered + [0, 1, 2, 3])
    assert result["pain"] == 0.0  # exactly two: scored
    assert result["function"] is None  # one: no score
    assert result["quality_of_life"] == 62.5  # 0, 1, 2, 3: mean 1.5
    assert result["summary"] is None


def test_koos_12_the_summary_is_the_mean_of_the_scales_not_of_the_items() -> None:
    # Pain from 2 items, function and QoL from 4: the item mean (1.6) would give 60.
    result = score("koos-12", [0, 0, None, None, 2, 2, 2, 2, 2, 2, 2, 2])
    assert (result["pain"], result["function"], result["quality_of_life"]) == (100, 50, 50)
    assert result["summary"] == pytest.approx(200 / 3)


def test_koos_pf_is_one_koos_scale_of_eleven_items_with_six_answered() -> None:
    assert score("koos-pf", [0] * 11) == {"score": 100.0}
    assert score("koos-pf", [2] * 11) == {"score": 50.0}
    # Six answered (1, 1, 2, 2, 3, 3: mean 2) is enough; five is not.
    assert score("koos-pf", [1, 1, 2, 2, 3, 3] + [None] * 5) == {"score": 50.0}
    assert score("koos-pf", [1, 1, 2, 2, 3] + [None] * 6) == {"score": None}
    # Sum 19 over 11 items: 100 − 25 × 19/11 = 56.82.
    assert score("koos-pf", [2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1])["score"] == pytest.approx(
        100 - 25 * 19 / 11
    )


def test_kujala_adds_the_published_points_of_each_chosen_option() -> None:
    assert score("kujala", [0] * 13) == {"score": 100.0}
    worst = [item.high for item in instrument("kujala").items]
    assert score("kujala", worst) == {"score": 0.0}
    # limp 3, support 5, walking 3, stairs 5, squatting 2, running 8, jumping 7,
    # sitting 6, pain 8, swelling 8, kneecap 10, atrophy 3, flexion 5 = 73.
    answers = [1, 0, 1, 2, 3, 1, 1, 2, 1, 1, 0, 1, 0]
    assert score("kujala", answers) == {"score": 73.0}


def test_kujala_points_are_the_published_table() -> None:
    points = {item.key: item.points for item in instrument("kujala").items}
    assert points["limp"] == (5, 3, 0)
    assert points["squatting"] == (5, 4, 3, 2, 0)
    assert points["jumping"] == (10, 7, 2, 0)
    assert points["kneecap-movements"] == (10, 6, 4, 2, 0)
    assert sum(p[0] for p in points.values()) == 100  # the best options add up to 100
    assert all(p[-1] == 0 for p in points.values())  # and the worst to 0
    assert all(list(p) == sorted(p, reverse=True) for p in points.values())


def test_kujala_gives_no_total_with_an_item_skipped() -> None:
    assert score("kujala", [0] * 12 + [None]) == {"score": None}


def test_sane_is_the_percentage_itself() -> None:
    assert score("sane", [85]) == {"score": 85.0}
    assert score("sane", [0]) == {"score": 0.0}
    assert score("sane", [None]) == {"score": None}


def test_psfs_is_the_mean_of_the_rated_activities() -> None:
    assert score("psfs", [4, 6, 8]) == {"score": 6.0}
    assert score("psfs", [3]) == {"score": 3.0}
    assert score("psfs", [3, None, 4]) == {"score": 3.5}
    assert score("psfs", [2, 3, 3])["score"] == pytest.approx(8 / 3)
    assert score("psfs", [None, None]) == {"score": None}


@pytest.mark.parametrize(
    ("inst", "answers", "message"),
    [
        ("koos-12", [0, 0, 0, 5] + [0] * 8, "answers[3]: 5 is outside 0–4"),
        ("koos-12", [0] * 11, "answers: koos-12 takes 12 answers, got 11"),
        ("koos-12", [0] * 13, "answers: koos-12 takes 12 answers, got 13"),
        ("koos-pf", [0] * 10 + [-1], "answers[10]: -1 is outside 0–4"),
        ("kujala", [3] + [0] * 12, "answers[0]: 3 is outside 0–2"),
        ("kujala", [0] * 4 + [5] + [0] * 8, "answers[4]: 5 is outside 0–4"),
        ("sane", [101], "answers[0]: 101 is outside 0–100"),
        ("sane", [], "answers: sane takes 1 answer, got 0"),
        ("psfs", [], "answers: psfs takes 1 to 3 answers, got 0"),
        ("psfs", [1, 2, 3, 4], "answers: psfs takes 1 to 3 answers, got 4"),
        ("psfs", [11], "answers[0]: 11 is outside 0–10"),
        ("psfs", [2.5], "answers[0]: 2.5 is not a whole number or null"),
        ("psfs", ["7"], "answers[0]: '7' is not a whole number or null"),
        ("psfs", [True], "answers[0]: True is not a whole number or null"),
        ("sane", {"knee": 50}, "answers: must be a list, not dict"),
        ("sane", "50", "answers: must be a list, not str"),
    ],
)
def test_bad_answers_are_refused_naming_the_item(inst: str, answers: object, message: str) -> None:
    with pytest.raises(OutcomeError) as info:
        score(inst, answers)
    assert str(info.value) == message


def test_a_whole_number_written_as_a_float_is_accepted() -> None:
    assert score("sane", [70.0]) == {"score": 70.0}


def test_an_unknown_instrument_lists_the_known_ones() -> None:
    with pytest.raises(OutcomeError, match=r"no instrument 'koos'.*sane, psfs, koos-12"):
        instrument("koos")


def test_each_instrument_is_consistent() -> None:
    for inst in INSTRUMENTS.values():
        covered = sorted(i for scale in inst.scales for i in scale.items)
        assert covered == list(range(len(inst.items))), inst.id  # every item in one scale
        assert all(0 < s.min_answered <= len(s.items) for s in inst.scales), inst.id
        for change in inst.important_changes:
            assert change.key in inst.keys and change.source.year > 1990, inst.id
        if inst.text_source is TextSource.OWNER:
            assert "licence" in inst.licence_note or "licensed" in inst.licence_note
    assert set(INSTRUMENTS) == {"sane", "psfs", "koos-12", "koos-pf", "kujala"}
    assert instrument("koos-12").keys == ("pain", "function", "quality_of_life", "summary")


def test_the_published_important_changes_are_the_cited_numbers() -> None:
    changes = {i.id: [c.points for c in i.important_changes] for i in INSTRUMENTS.values()}
    assert changes == {
        "sane": [7, 19],
        "psfs": [1.3],
        "koos-12": [],
        "koos-pf": [16.4],
        "kujala": [10],
    }
    crossley = instrument("koos-pf").important_changes[0].source
    assert "Br J Sports Med 2018" in str(crossley)
