"""Trends escalate (issue 14 §3, rules 18, 19): morning ratings that rise week on week, read
from every morning's check-in, freeze progressions, and two rising weeks suggest a clinician
whatever the last session's colour."""

from __future__ import annotations

from kneecap.core.log import Checkin, PainLocation, TrainingLog
from kneecap.core.progression import Action, Context, Report, progress
from kneecap.core.rules import load_rules
from tests.core.progression.builders import RAISE, SQUAT, P, days, did, lookup, session

TWELVE = P(3, reps=12, rest_s=60)
CLINICIAN = "please see a physiotherapist or doctor (rule 19)"


def _mornings(*weeks: int, stiffness: bool = False, **kw: object) -> tuple[Checkin, ...]:
    """A check-in every morning from day 0, one rating per week."""
    out = []
    for day in range(7 * len(weeks)):
        value = weeks[day // 7]
        pain, stiff = (0, value) if stiffness else (value, None)
        out.append(Checkin(days(day), pain, stiff, **kw))  # type: ignore[arg-type]
    return tuple(out)


def _report(checkins: tuple[Checkin, ...], *pains: int, **ctx: object) -> Report:
    """RAISE and SQUAT on day 18, their next mornings only as check-ins; the usual is 2; the
    decision on day 20, so each week of check-ins is one window."""
    entries = [did(RAISE, "two-legs", TWELVE, pain=pains[0])]
    entries += [did(SQUAT, "block", pain=p) for p in pains[1:]]
    log = TrainingLog((session(days(18), *entries, morning=None),), 2, checkins=checkins)
    return progress(lookup, log, Context(as_of=days(20), **ctx))  # type: ignore[arg-type]


def test_two_weeks_of_rising_check_ins_suggest_a_clinician_whatever_the_colour() -> None:
    out = _report(_mornings(0, 1, 2), 0, 3)
    raise_, squat = out.exercises
    assert any(a.startswith("Two weeks in a row of rising morning ratings") for a in out.alerts)
    assert any(CLINICIAN in a and "morning pain averaged 2.0/10" in a for a in out.alerts)
    assert squat.action is Action.REFER  # amber: referred
    assert raise_.action is Action.DELOAD and 18 in raise_.rules  # green: only the freeze
    assert "morning pain averaged 2.0/10 over the last 7 days" in raise_.why[0]


def test_rising_stiffness_counts_too() -> None:
    out = _report(_mornings(1, 2, 3, stiffness=True), 0)
    assert any("morning stiffness averaged 3.0/10" in a and CLINICIAN in a for a in out.alerts)


def test_one_rising_week_freezes_but_does_not_refer() -> None:
    out = _report(_mornings(1, 1, 2), 0, 3)
    assert not any(CLINICIAN in a for a in out.alerts)
    assert [d.action for d in out.exercises] == [Action.DELOAD, Action.DELOAD]


def test_muscle_soreness_in_the_mornings_is_not_a_trend() -> None:
    out = _report(_mornings(0, 1, 2, pain_location=PainLocation.MUSCLE), 0)
    assert not out.alerts
    assert out.exercises[0].action is Action.ADVANCE


def test_the_number_of_weeks_is_a_setting() -> None:
    three = load_rules({"pain": {"trend_refer_windows": 3}})
    log = TrainingLog(
        (session(days(25), did(RAISE, "two-legs", TWELVE, pain=3), morning=None),),
        3,
        checkins=_mornings(0, 1, 2, 3),
    )
    out = progress(lookup, log, Context(as_of=days(27)), three)
    assert any(a.startswith("Three weeks in a row") for a in out.alerts)
    log2 = TrainingLog(log.sessions, 3, checkins=_mornings(1, 1, 2, 3))
    assert not progress(lookup, log2, Context(as_of=days(27)), three).alerts
