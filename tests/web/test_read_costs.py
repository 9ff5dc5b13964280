"""What the pages read most often cost in queries once their kept parts are warm.

The load test (bench/load.py) measures requests per second; these budgets catch, in the
suite, the change that puts a query back on a hot page. Pages keep no markup: each reads the
session's user, the runner's version (the key of their kept domain values) and the rows it
lists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.core.profile import WEEKDAYS
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.runs.models import Activity
from tests.web.conftest import client_for
from tests.web.ownership import PROFILE
from tests.web.test_training_log import post, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner(alice: Any, bob: Any) -> Any:
    """Alice with a plan, a session planned today, a logged session and a run; bob coaches."""
    today = WEEKDAYS[timezone.localdate().weekday()]
    profile = {**PROFILE, "runs": {today: {"kind": "quality", "minutes": 45}}}
    RunnerProfile.objects.create(user=alice, data=profile, onboarded_at=timezone.now())
    assert post(client_for(alice), session()).status_code == 201
    Activity.objects.create(
        owner=alice, start=timezone.now() - timedelta(days=2), sport="running", distance_m=8000
    )
    return alice


@pytest.mark.parametrize(
    ("who", "path", "budget"),
    [
        # the user, the profile (its version), the catalog's base version, the navigation's
        # roles, the coach links and the coach's notes (bob coaches her)
        ("alice", "/today/", 6),
        ("alice", "/", 6),
        # the user, the version the page is kept under, the catalog's, the roles
        ("alice", "/history/", 4),
        ("alice", "/runs/", 4),
        ("alice", "/api/runs", 3),
        # the user, his athletes, each one's version, invitations to answer, his roles
        ("bob", "/coaching/athletes/", 5),
    ],
)
def test_a_warm_page_stays_within_its_queries(
    runner: Any, bob: Any, who: str, path: str, budget: int, django_assert_max_num_queries: Any
) -> None:
    client = client_for(runner if who == "alice" else bob)
    assert client.get(path).status_code == 200  # computes and keeps
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
