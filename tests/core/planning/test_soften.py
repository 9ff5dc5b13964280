from __future__ import annotations

from datetime import date

from kneecap.core.catalog.model import Prescription, Stress
from kneecap.core.planning.model import Plan, PlanItem, Session, Week, WeekKind
from kneecap.core.planning.soften import soften

MONDAY = date(2026, 3, 2)


def item(slug: str, stress: Stress) -> PlanItem:
    return PlanItem(slug, "l1", Prescription(sets=2, reps=10), stress, "knee", (26,))


def plan() -> Plan:
    sessions = (
        Session(
            date(2026, 3, 3),
            20,
            ("after intervals",),
            (item("a", Stress.LOW), item("b", Stress.HIGH)),
        ),
        Session(date(2026, 3, 6), 10, ("easy day",), (item("c", Stress.HIGH),)),
    )
    return Plan((Week(MONDAY, WeekKind.BUILD, sessions),))


def test_high_stress_items_leave_the_48_hours_around_a_big_run() -> None:
    softened = soften(plan(), [(date(2026, 3, 4), "Wednesday's 16 km run is 60 % longer.")])
    first = softened.weeks[0].sessions[0]
    assert [i.exercise for i in first.items] == ["a"]
    assert "rules 21, 27" in first.why[-1] and first.minutes == 10
    # Friday is 2 days after Wednesday: its only item is high-stress, so it goes too.
    assert [s.date for s in softened.weeks[0].sessions] == [date(2026, 3, 3)]


def test_a_session_of_only_high_stress_items_near_a_big_run_is_dropped() -> None:
    softened = soften(plan(), [(date(2026, 3, 7), "Saturday's long run is 40 % longer.")])
    dates = [s.date for s in softened.weeks[0].sessions]
    assert dates == [date(2026, 3, 3)]


def test_no_big_run_changes_nothing() -> None:
    assert soften(plan(), []) == plan()
