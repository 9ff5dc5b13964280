from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.core import log as core
from kneecap.db.accounts.models import ApiToken
from kneecap.db.training.models import MorningCheckin, SessionLog, SetLog
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
JSON = "application/json"


def session(days_ago: int = 1, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
        "pain_after": 2,
        "exercises": [
            {
                "exercise": "tibialis-raise",
                "level": "both-legs",
                "pain_during": 1,
                "rpe": 5,
                "sets": [{"reps": 10, "hold_s": 3}] * 3,
            },
            {
                "exercise": "deep-squat-hold",
                "level": "heels-5cm",
                "pain_during": 0,
                "sets": [{"hold_s": 25}, {"hold_s": 30, "side": "left"}],
            },
        ],
    }
    body.update(changes)
    return body


def create(client: Any, body: dict[str, Any], query: str = "", **headers: str) -> Any:
    return client.post(f"/api/sessions{query}", body, content_type=JSON, headers=headers)


def stored(alice: Any, days_ago: int = 1) -> SessionLog:
    response = create(client_for(alice), session(days_ago))
    assert response.status_code == 201, response.content
    return SessionLog.objects.get(pk=response.json()["id"])


def test_a_session_is_created_and_read_back_in_the_log_shape(alice: Any) -> None:
    client = client_for(alice)
    response = create(client, session())
    assert response.status_code == 201
    row = SessionLog.objects.get()
    body = client.get(f"/api/sessions/{row.pk}").json()
    assert body["id"] == row.pk
    assert set(body) == {name for name, _ in core.specs(core.SessionLog)} | {"id", "client_id"}
    assert body["exercises"][0]["sets"][0]["reps"] == 10
    assert body["exercises"][1]["sets"][1]["side"] == "left"
    assert SetLog.objects.count() == 5


def test_the_same_client_id_twice_stores_one_session(alice: Any) -> None:
    client = client_for(alice)
    body = session(client_id=str(uuid.uuid4()))
    first, again = create(client, body), create(client, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["client_id"] == body["client_id"]
    assert SessionLog.objects.count() == 1 and SetLog.objects.count() == 5


def test_every_field_the_runner_gives_is_stored_and_read_back(alice: Any) -> None:
    """Issue 13: a stairs session's flights and a twist or fall were accepted and dropped."""
    client = client_for(alice)
    body = session(
        pain_before=1,
        pain_location="joint",
        swelling=True,
        twisted_or_fell=True,
        minutes=24.5,
        rpe=6.5,
        notes="slippery step",
    )
    body["exercises"].append(
        {
            "exercise": "stairs",
            "level": "easy",
            "pain_during": 2,
            "pain_location": "muscle",
            "rpe": 4.5,
            "sets": [{"flights": 3}, {"flights": 2, "duration_s": 95.0}],
        }
    )
    created = create(client, body)
    assert created.status_code == 201, created.content
    back = client.get(f"/api/sessions/{created.json()['id']}").json()
    sent = core.to_json(core.from_json(core.SessionLog, body))
    assert {k: v for k, v in back.items() if k not in {"id", "client_id"}} == sent
    assert back["exercises"][2]["sets"][0]["flights"] == 3 and back["twisted_or_fell"] is True


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("exercises", 0, "sets", 0, "reps"), -3, "exercises[0].sets[0].reps"),
        (("exercises", 0, "pain_during"), 11, "exercises[0].pain_during"),
        (("exercises", 1, "sets", 0, "hold_s"), 36000, "exercises[1].sets[0].hold_s"),
        (("exercises", 0, "exercise"), "moonwalk", "exercises[0].exercise"),
        (("exercises", 0, "level"), "on-the-moon", "exercises[0].level"),
        (("exercises", 0, "sets", 0, "side"), "middle", "side"),
        (("exercises", 0, "sets", 0, "reps"), "many", "exercises.0.sets.0.reps"),
        (("exercises", 0, "sets", 0, "tempo"), 3, "tempo"),
        (("pain_after",), 12, "pain_after"),
        (("notes",), "a\x00b", "notes"),
        (("date",), "2099-01-01", "date"),
        (("date",), "yesterday", "date"),
        (("client_id",), "not-a-uuid", "client_id"),
    ],
)
def test_impossible_values_are_422_naming_the_field_and_nothing_is_saved(
    alice: Any, path: tuple[Any, ...], value: Any, field: str
) -> None:
    body = session()
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    response = create(client_for(alice), body)
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not SessionLog.objects.exists() and not SetLog.objects.exists()


def test_a_body_that_is_not_json_is_refused_without_a_500(alice: Any) -> None:
    response = client_for(alice).post("/api/sessions", "{not json", content_type=JSON)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_sessions_are_listed_newest_first_paged_and_filtered_by_date(alice: Any) -> None:
    client = client_for(alice)
    for days_ago in (1, 5, 20):
        assert create(client, session(days_ago)).status_code == 201
    today = timezone.localdate()
    listing = client.get("/api/sessions").json()
    assert listing["count"] == 3
    assert [s["date"] for s in listing["items"]] == sorted(
        (s["date"] for s in listing["items"]), reverse=True
    )
    page = client.get("/api/sessions", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and page["items"][0]["date"] == listing["items"][1]["date"]
    window = {"since": (today - timedelta(days=7)).isoformat(), "until": today.isoformat()}
    assert client.get("/api/sessions", window).json()["count"] == 2
    old = client.get("/api/sessions", {"until": (today - timedelta(days=10)).isoformat()})
    assert old.json()["count"] == 1
    assert client.get("/api/sessions", {"limit": 0}).status_code == 422
    assert client.get("/api/sessions", {"since": "soon"}).status_code == 422


def test_the_next_morning_check_in_shows_in_the_listed_session(alice: Any) -> None:
    client = client_for(alice)
    create(client, session(2, pain_next_morning=3, stiffness_next_morning=1))
    item = client.get("/api/sessions").json()["items"][0]
    assert (item["pain_next_morning"], item["stiffness_next_morning"]) == (3, 1)


def test_a_session_is_replaced_as_a_whole_and_a_bad_edit_changes_nothing(alice: Any) -> None:
    client = client_for(alice)
    row = stored(alice)
    edited = session(pain_after=4)
    edited["exercises"] = edited["exercises"][:1]
    response = client.put(f"/api/sessions/{row.pk}", edited, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["pain_after"] == 4 and len(response.json()["exercises"]) == 1
    bad = client.put(f"/api/sessions/{row.pk}", session(pain_after=12), content_type=JSON)
    assert bad.status_code == 422 and "pain_after" in bad.json()["detail"]
    again = client.get(f"/api/sessions/{row.pk}").json()
    assert again["pain_after"] == 4 and len(again["exercises"]) == 1


def test_what_get_returns_can_be_put_back_unchanged(alice: Any) -> None:
    client = client_for(alice)
    row = stored(alice)
    before = client.get(f"/api/sessions/{row.pk}").json()
    body = {k: v for k, v in before.items() if k != "id"}
    after = client.put(f"/api/sessions/{row.pk}", body, content_type=JSON).json()
    assert after == before


def test_a_session_is_deleted_with_its_sets(alice: Any) -> None:
    client = client_for(alice)
    row = stored(alice)
    assert client.delete(f"/api/sessions/{row.pk}").status_code == 204
    assert not SessionLog.objects.exists() and not SetLog.objects.exists()
    assert client.delete(f"/api/sessions/{row.pk}").status_code == 404


def test_a_coach_reads_the_sessions_but_cannot_write_them(alice: Any, bob: Any) -> None:
    row = stored(alice)
    coach = client_for(bob)
    on = f"?athlete={alice.pk}"
    assert coach.get(f"/api/sessions{on}").json()["count"] == 1
    assert coach.get(f"/api/sessions/{row.pk}{on}").status_code == 200
    assert create(coach, session(3), on).status_code == 404
    assert coach.put(f"/api/sessions/{row.pk}{on}", session(), content_type=JSON).status_code == 404
    assert coach.delete(f"/api/sessions/{row.pk}{on}").status_code == 404
    assert coach.delete(f"/api/sessions/{row.pk}").status_code == 404
    assert coach.get(f"/api/sessions/{row.pk}").status_code == 404  # not in bob's own log
    assert SessionLog.objects.filter(owner=alice).count() == 1


@pytest.mark.parametrize("on", ["", "?athlete={alice}"])
def test_a_stranger_gets_404_on_every_session_operation(alice: Any, charlie: Any, on: str) -> None:
    row = stored(alice)
    on = on.format(alice=alice.pk)
    stranger = client_for(charlie)
    assert stranger.get(f"/api/sessions/{row.pk}{on}").status_code == 404
    replaced = stranger.put(f"/api/sessions/{row.pk}{on}", session(), content_type=JSON)
    assert replaced.status_code == 404
    assert stranger.delete(f"/api/sessions/{row.pk}{on}").status_code == 404
    if on:
        assert stranger.get(f"/api/sessions{on}").status_code == 404
        assert create(stranger, session(), on).status_code == 404
        assert stranger.get(f"/api/checkins{on}").status_code == 404
        checkin = {"pain": 1}
        assert stranger.post(f"/api/checkins{on}", checkin, content_type=JSON).status_code == 404
    else:
        assert stranger.get("/api/sessions").json()["count"] == 0
    assert SessionLog.objects.get().pain_after == 2


def test_a_personal_token_logs_a_session_without_csrf(alice: Any, client: Any) -> None:
    _, token = ApiToken.issue(alice, "watch")
    response = create(client, session(), Authorization=f"Bearer {token}")
    assert response.status_code == 201
    assert SessionLog.objects.get().owner == alice
    listing = client.get("/api/sessions", headers={"Authorization": f"Bearer {token}"})
    assert listing.json()["count"] == 1
    assert client.get("/api/sessions").status_code == 401
    assert create(client, session(), Authorization="Bearer kc_wrong").status_code == 401


def test_the_browser_session_needs_the_csrf_token_to_write(alice: Any) -> None:
    response = create(client_for(alice, csrf=True), session())
    assert response.status_code == 403
    assert not SessionLog.objects.exists()


def test_the_morning_check_in_is_recorded_once_a_day(alice: Any) -> None:
    client = client_for(alice)
    first = client.post("/api/checkins", {"pain": 1, "stiffness": 2}, content_type=JSON)
    assert first.status_code == 201
    assert first.json() == {
        "date": timezone.localdate().isoformat(),
        "pain": 1,
        "stiffness": 2,
        "swelling": False,
        "pain_location": None,
    }
    again = client.post("/api/checkins", {"pain": 3, "swelling": True}, content_type=JSON)
    assert again.status_code == 200
    checkin = MorningCheckin.objects.get()
    assert (checkin.pain, checkin.swelling) == (3, True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pain": 11}, "pain"),
        ({"pain": -1}, "pain"),
        ({"pain": 1, "stiffness": 12}, "stiffness"),
        ({"stiffness": 1}, "pain"),
        ({"pain": 1, "date": "2099-01-01"}, "date"),
        ({"pain": 1, "mood": "great"}, "mood"),
    ],
)
def test_an_impossible_check_in_is_422_naming_the_field(
    alice: Any, body: dict[str, Any], field: str
) -> None:
    response = client_for(alice).post("/api/checkins", body, content_type=JSON)
    assert response.status_code == 422 and field in response.json()["detail"]
    assert not MorningCheckin.objects.exists()


def test_check_ins_are_listed_filtered_and_readable_by_the_coach(alice: Any, bob: Any) -> None:
    client = client_for(alice)
    today = timezone.localdate()
    for days_ago in (0, 3, 9):
        day = (today - timedelta(days=days_ago)).isoformat()
        client.post("/api/checkins", {"pain": days_ago, "date": day}, content_type=JSON)
    assert client.get("/api/checkins").json()["count"] == 3
    week = client.get("/api/checkins", {"since": (today - timedelta(days=7)).isoformat()})
    assert [c["pain"] for c in week.json()["items"]] == [0, 3]
    page = client.get("/api/checkins", {"limit": 1, "offset": 2}).json()
    assert page["count"] == 3 and page["items"][0]["pain"] == 9
    coach = client_for(bob)
    assert coach.get(f"/api/checkins?athlete={alice.pk}").json()["count"] == 3
    wrote = coach.post(f"/api/checkins?athlete={alice.pk}", {"pain": 5}, content_type=JSON)
    assert wrote.status_code == 404
    assert MorningCheckin.objects.filter(owner=alice, pain=5).count() == 0
