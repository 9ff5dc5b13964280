"""A saved session's rule-38 check reads only what it needs (``note_session_triggers``):
over random histories it records exactly the triggers the whole-window check finds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.application import record, safety
from kneecap.application.log import recent_log
from kneecap.application.rules import rules_for
from kneecap.core import log as core
from kneecap.core import safety as core_safety
from kneecap.db.training.models import SafetyEvent
from tests.web.test_safety_doors import onboard

pytestmark = pytest.mark.django_db

pain = st.none() | st.integers(0, 10)
entry = st.builds(
    lambda slug, p: core.ExerciseLog(
        slug[0],
        slug[1],
        (core.SetResult(reps=8) if slug[1] == "bodyweight" else core.SetResult(hold_s=20.0),),
        pain_during=p,
    ),
    st.sampled_from([("split-squat", "bodyweight"), ("deep-squat-hold", "heels-5cm")]),
    pain,
)
session = st.tuples(
    st.integers(1, 20),  # days ago: later saves may fill in earlier days
    st.lists(entry, min_size=1, max_size=2, unique_by=lambda e: e.exercise),
    pain,
    pain,
    st.booleans(),
    st.booleans(),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(session, min_size=1, max_size=6))
def test_a_save_records_what_the_whole_window_finds(alice: Any, sessions: list[Any]) -> None:
    SafetyEvent.objects.filter(owner=alice).delete()
    alice.sessions.all().delete()
    alice.checkins.all().delete()
    onboard(alice)
    today = timezone.localdate()
    expected: set[str] = set()
    for ago, entries, after, morning, swelling, fell in sessions:
        logged = core.SessionLog(
            date=today - timedelta(days=ago),
            exercises=tuple(entries),
            pain_after=after,
            pain_next_morning=morning,
            swelling=swelling,
            twisted_or_fell=fell,
        )
        record.record_session(alice, logged, today)
        since = today - timedelta(days=safety.RECENT_DAYS)
        found = core_safety.triggers(
            recent_log(alice, since), (), lambda s: s, today, rules_for(alice)
        )
        expected |= {t.key for t in found}
    stored = SafetyEvent.objects.filter(owner=alice, kind=core_safety.EventKind.TRIGGER)
    assert set(stored.values_list("key", flat=True)) == expected
