from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.runs.models import Activity
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def manual(**changes: Any) -> dict[str, Any]:
    day = timezone.localdate() - timedelta(days=1)
    return {
        "day": day.isoformat(),
        "minutes": 42,
        "distance_km": 8.2,
        "kind": "easy",
        "rpe": 4,
        "name": "",
        **changes,
    }


def test_it_logs_a_run_by_hand(alice: Any) -> None:
    response = client_for(alice).post("/runs/new/", manual())
    assert response.status_code == 302
    run = Activity.objects.get(owner=alice)
    assert (run.elapsed_s, run.distance_m, run.kind, run.rpe, run.source) == (
        2520,
        8200,
        "easy",
        4,
        "manual",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day": "2099-01-01"}, "future"),
        ({"minutes": -5}, "greater than or equal to 1"),
        ({"rpe": 11}, "less than or equal to 10"),
        ({"distance_km": 5000}, "less than or equal to 500"),
        ({"kind": "sprint"}, "not one of the available choices"),
    ],
)
def test_it_refuses_impossible_runs(alice: Any, change: dict[str, Any], message: str) -> None:
    response = client_for(alice).post("/runs/new/", manual(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_it_edits_and_deletes_a_run(alice: Any) -> None:
    client = client_for(alice)
    client.post("/runs/new/", manual())
    run = Activity.objects.get()
    client.post(f"/runs/{run.pk}/edit/", manual(minutes=50))
    run.refresh_from_db()
    assert run.elapsed_s == 3000
    assert client.post(f"/runs/{run.pk}/delete/").status_code == 302
    assert not Activity.objects.exists()


def test_a_coach_reads_runs_a_stranger_gets_404(alice: Any, bob: Any, charlie: Any) -> None:
    client_for(alice).post("/runs/new/", manual())
    run = Activity.objects.get()
    assert client_for(bob).get(f"/runs/{run.pk}/?athlete={alice.pk}").status_code == 200
    assert client_for(bob).get(f"/runs/?athlete={alice.pk}").status_code == 200
    for path in (
        f"/runs/{run.pk}/",
        f"/runs/{run.pk}/?athlete={alice.pk}",
        f"/runs/?athlete={alice.pk}",
    ):
        assert client_for(charlie).get(path).status_code == 404
    assert client_for(bob).post(f"/runs/{run.pk}/delete/").status_code == 404
    assert client_for(charlie).post(f"/runs/{run.pk}/edit/", manual()).status_code == 404
    assert Activity.objects.filter(pk=run.pk).exists()


def test_the_list_filters_by_date(alice: Any) -> None:
    client = client_for(alice)
    client.post("/runs/new/", manual())
    old = (timezone.localdate() - timedelta(days=40)).isoformat()
    client.post("/runs/new/", manual(day=old, minutes=90))
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    page = client.get("/runs/", {"since": since}).content.decode()
    assert page.count("/runs/") and old not in page


def test_the_cached_list_follows_every_change_filter_and_viewer(alice: Any, bob: Any) -> None:
    RunnerProfile.objects.create(user=alice, data={}, onboarded_at=timezone.now())
    client = client_for(alice)
    assert "No runs yet." in client.get("/runs/").content.decode()
    client.post("/runs/new/", manual())
    assert "8.2 km" in client.get("/runs/").content.decode()
    assert "No runs yet." in client.get("/runs/", {"sport": "cycling"}).content.decode()
    run = Activity.objects.get()
    client.post(f"/runs/{run.pk}/edit/", manual(distance_km=9.5))
    own = client.get("/runs/").content.decode()
    assert "9.5 km" in own and "8.2 km" not in own and "?athlete=" not in own
    coach = client_for(bob).get("/runs/", {"athlete": alice.pk}).content.decode()
    assert f"?athlete={alice.pk}" in coach
    client.post(f"/runs/{run.pk}/delete/")
    assert "No runs yet." in client.get("/runs/").content.decode()


def test_page_links_keep_the_filters_and_the_athlete(alice: Any, bob: Any) -> None:
    start = timezone.now() - timedelta(days=200)
    Activity.objects.bulk_create(
        Activity(owner=alice, start=start + timedelta(days=i), sport="running", elapsed_s=1800)
        for i in range(60)
    )
    own = client_for(alice).get("/runs/", {"sport": "running"}).content.decode()
    assert 'href="?sport=running&amp;page=2"' in own
    coach = client_for(bob).get("/runs/", {"athlete": alice.pk}).content.decode()
    assert f'href="?athlete={alice.pk}&amp;page=2"' in coach
    stray = client_for(alice).get("/runs/", {"utm": "x<y"}).content.decode()
    assert 'href="?page=2"' in stray  # only the filters the list is kept under
