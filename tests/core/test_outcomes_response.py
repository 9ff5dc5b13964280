"""A response is checked and scored in core; the schedule's next day."""

from __future__ import annotations

from datetime import date

import pytest

from kneecap.core.outcomes import OutcomeError, check_weeks, due_on, respond, score

DAY = date(2026, 3, 2)
KOOS = [1, 2, 1, 0, 2, 2, 3, 1, 3, 2, 2, 1]


def test_a_response_carries_core_scores() -> None:
    r = respond("koos-12", DAY, KOOS)
    assert r.scores == score("koos-12", KOOS)
    assert r.answers == tuple(KOOS)


def test_psfs_names_each_rated_activity() -> None:
    r = respond("psfs", DAY, [4, 7], ["running downhill", " stairs "])
    assert r.activities == ("running downhill", "stairs")
    assert r.scores == {"score": 5.5}
    with pytest.raises(OutcomeError, match=r"activities: 1 named for 2 ratings"):
        respond("psfs", DAY, [4, 7], ["stairs"])
    with pytest.raises(OutcomeError, match=r"activities\[1\]: name the activity"):
        respond("psfs", DAY, [4, 7], ["stairs", "  "])


def test_errors_name_the_field() -> None:
    with pytest.raises(OutcomeError, match=r"instrument: no instrument 'koos'"):
        respond("koos", DAY, KOOS)
    with pytest.raises(OutcomeError, match=r"answers\[3\]: 5 is outside 0–4"):
        respond("koos-12", DAY, [1, 2, 1, 5, *KOOS[4:]])
    with pytest.raises(OutcomeError, match=r"activities: sane takes none"):
        respond("sane", DAY, [80], ["running"])


def test_schedule_asks_first_then_every_interval() -> None:
    assert due_on(None, 4, DAY) == DAY
    assert due_on(date(2026, 2, 1), 4, DAY) == date(2026, 3, 1)
    assert check_weeks(6) == 6
    for bad in (0, 53, True, 2.5, "4"):
        with pytest.raises(OutcomeError, match="interval_weeks"):
            check_weeks(bad)
