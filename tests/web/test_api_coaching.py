from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kneecap.db.accounts.models import ApiToken, CoachLink
from kneecap.db.training.models import CoachNote
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
JSON = "application/json"
SUMMARY_KEYS = {
    "athlete",
    "done_week",
    "planned_week",
    "done_6w",
    "planned_6w",
    "pain_recent",
    "pain_before",
    "pain_trend",
    "max_pain_14d",
    "flags",
    "progression",
    "week_km",
    "spike",
}


def invite(client: Any, username: str, direction: str = "coach-me", query: str = "") -> Any:
    body = {"username": username, "direction": direction}
    return client.post(f"/api/coach-links{query}", body, content_type=JSON)


def link_of(athlete: Any, coach: Any) -> CoachLink:
    return CoachLink.objects.exclude(status="revoked").get(athlete=athlete, coach=coach)


def test_both_sides_see_their_link(alice: Any, bob: Any) -> None:
    mine = client_for(alice).get("/api/coach-links").json()
    assert mine["count"] == 1
    link = mine["items"][0]
    assert (link["athlete"]["username"], link["coach"]["username"]) == ("alice", "bob")
    assert link["status"] == "active" and link["invited_by_me"] is True
    theirs = client_for(bob).get("/api/coach-links").json()["items"][0]
    assert theirs["id"] == link["id"] and theirs["invited_by_me"] is False


def test_invite_accept_read_revoke_then_404(alice: Any, charlie: Any) -> None:
    runner, coach = client_for(alice), client_for(charlie)
    assert invite(runner, "charlie").status_code == 202
    pending = coach.get("/api/coach-links").json()["items"][0]
    assert pending["status"] == "pending" and pending["invited_by_me"] is False
    assert coach.get(f"/api/sessions?athlete={alice.pk}").status_code == 404  # not yet
    accepted = coach.post(f"/api/coach-links/{pending['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert coach.get(f"/api/sessions?athlete={alice.pk}").status_code == 200
    assert runner.delete(f"/api/coach-links/{pending['id']}").status_code == 204
    assert coach.get(f"/api/sessions?athlete={alice.pk}").status_code == 404
    assert coach.get("/api/coach-links").json()["count"] == 0


def test_a_coach_invites_a_runner_who_accepts(alice: Any, charlie: Any) -> None:
    assert invite(client_for(charlie), "alice", "i-coach").status_code == 202
    link = link_of(alice, charlie)
    assert link.invited_by == charlie and link.status == "pending"
    assert client_for(charlie).post(f"/api/coach-links/{link.pk}/accept").status_code == 404
    assert client_for(alice).post(f"/api/coach-links/{link.pk}/accept").status_code == 200


def test_the_answer_to_an_invitation_never_tells_whether_an_account_exists(
    alice: Any, charlie: Any
) -> None:
    client = client_for(alice)
    answers = [invite(client, name) for name in ("charlie", "nobody-here", "alice", "charlie")]
    assert {(r.status_code, r.content) for r in answers} == {(202, answers[0].content)}
    assert CoachLink.objects.filter(athlete=alice, coach=charlie).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "username"),
        ({"username": ""}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"username": "char\x00lie"}, "username"),
        ({"username": "charlie", "direction": "sideways"}, "direction"),
        ({"username": "charlie", "role": "guru"}, "role"),
    ],
)
def test_an_impossible_invitation_is_422_naming_the_field(
    alice: Any, charlie: Any, body: dict[str, Any], field: str
) -> None:
    response = client_for(alice).post("/api/coach-links", body, content_type=JSON)
    assert response.status_code == 422 and field in response.json()["detail"]
    assert not CoachLink.objects.filter(coach=charlie).exists()


def test_either_side_revokes_and_access_ends_at_once(alice: Any, bob: Any) -> None:
    link = link_of(alice, bob)
    coach = client_for(bob)
    assert coach.post(f"/api/coach-links/{link.pk}/accept").status_code == 404  # already live
    assert coach.delete(f"/api/coach-links/{link.pk}").status_code == 204
    assert coach.get(f"/api/load?athlete={alice.pk}").status_code == 404
    assert coach.delete(f"/api/coach-links/{link.pk}").status_code == 404


def test_links_are_paged_and_filtered_by_the_day_they_were_made(
    alice: Any, bob: Any, charlie: Any
) -> None:
    invite(client_for(alice), "charlie")
    CoachLink.objects.filter(coach=bob).update(created_at=timezone.now() - timedelta(days=30))
    client = client_for(alice)
    assert client.get("/api/coach-links", {"limit": 1}).json()["count"] == 2
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    recent = client.get("/api/coach-links", {"since": since}).json()["items"]
    assert [link["coach"]["username"] for link in recent] == ["charlie"]
    until = (timezone.localdate() - timedelta(days=7)).isoformat()
    older = client.get("/api/coach-links", {"until": until}).json()["items"]
    assert [link["coach"]["username"] for link in older] == ["bob"]


def test_the_dashboard_summarizes_each_linked_athlete(alice: Any, bob: Any) -> None:
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    session = {
        "date": day,
        "pain_after": 3,
        "exercises": [
            {"exercise": "split-squat", "level": "bodyweight", "pain_during": 8, "sets": []}
        ],
    }
    assert client_for(alice).post("/api/sessions", session, content_type=JSON).status_code == 201
    board = client_for(bob).get("/api/coach/athletes").json()
    assert board["count"] == 1
    card = board["items"][0]
    assert set(card) == SUMMARY_KEYS and card["athlete"]["id"] == alice.pk
    assert card["max_pain_14d"] == 8 and any("rule 38" in f for f in card["flags"])
    one = client_for(bob).get(f"/api/coach/athletes/{alice.pk}").json()
    assert one == card
    assert client_for(alice).get("/api/coach/athletes").json()["count"] == 0
    assert client_for(bob).get("/api/coach/athletes", {"offset": 1}).json()["items"] == []


def test_a_coach_leaves_a_note_the_athlete_reads(alice: Any, bob: Any) -> None:
    coach = client_for(bob)
    response = coach.post(
        f"/api/coach/athletes/{alice.pk}/notes", {"text": "Easy this week"}, content_type=JSON
    )
    assert response.status_code == 201
    assert response.json()["author"]["username"] == "bob"
    notes = client_for(alice).get("/api/notes").json()
    assert notes["count"] == 1 and notes["items"][0]["text"] == "Easy this week"
    assert coach.get(f"/api/notes?athlete={alice.pk}").json()["count"] == 1
    assert coach.get("/api/notes").json()["count"] == 0  # none left for bob himself


@pytest.mark.parametrize(
    ("text", "field"), [("", "text"), ("   ", "text"), ("x" * 2001, "text"), ("a\x00b", "text")]
)
def test_an_empty_or_overlong_note_is_422(alice: Any, bob: Any, text: str, field: str) -> None:
    response = client_for(bob).post(
        f"/api/coach/athletes/{alice.pk}/notes", {"text": text}, content_type=JSON
    )
    assert response.status_code == 422 and field in response.json()["detail"]
    assert not CoachNote.objects.exists()


def test_notes_are_paged_and_filtered_by_day(alice: Any, bob: Any) -> None:
    for text, days_ago in (("old", 20), ("new", 1)):
        note = CoachNote.objects.create(athlete=alice, author=bob, text=text)
        CoachNote.objects.filter(pk=note.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    client = client_for(alice)
    assert [n["text"] for n in client.get("/api/notes").json()["items"]] == ["new", "old"]
    page = client.get("/api/notes", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and page["items"][0]["text"] == "old"
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert [n["text"] for n in client.get("/api/notes", {"since": since}).json()["items"]] == [
        "new"
    ]


def test_a_runner_cannot_leave_a_note_for_herself(alice: Any) -> None:
    response = client_for(alice).post(
        f"/api/coach/athletes/{alice.pk}/notes", {"text": "hi me"}, content_type=JSON
    )
    assert response.status_code == 404 and not CoachNote.objects.exists()


@pytest.mark.parametrize("on", ["", "?athlete={alice}"])
def test_a_stranger_gets_404_on_every_coaching_operation(
    alice: Any, bob: Any, charlie: Any, on: str
) -> None:
    link = link_of(alice, bob)
    CoachNote.objects.create(athlete=alice, author=bob, text="private")
    on = on.format(alice=alice.pk)
    stranger = client_for(charlie)
    assert stranger.post(f"/api/coach-links/{link.pk}/accept{on}").status_code == 404
    assert stranger.delete(f"/api/coach-links/{link.pk}{on}").status_code == 404
    assert stranger.get(f"/api/coach/athletes/{alice.pk}{on}").status_code == 404
    note = {"text": "hello"}
    url = f"/api/coach/athletes/{alice.pk}/notes{on}"
    assert stranger.post(url, note, content_type=JSON).status_code == 404
    if on:
        assert stranger.get(f"/api/coach-links{on}").status_code == 404
        assert invite(stranger, "alice", query=on).status_code == 404
        assert stranger.get(f"/api/coach/athletes{on}").status_code == 404
        assert stranger.get(f"/api/notes{on}").status_code == 404
    else:
        assert stranger.get("/api/coach-links").json()["count"] == 0
        assert stranger.get("/api/coach/athletes").json()["count"] == 0
        assert stranger.get("/api/notes").json()["count"] == 0
    assert link_of(alice, bob).status == "active"
    assert CoachNote.objects.count() == 1


def test_links_are_account_settings_a_coach_cannot_reach_through_athlete(
    alice: Any, bob: Any
) -> None:
    coach = client_for(bob)
    on = f"?athlete={alice.pk}"
    assert coach.get(f"/api/coach-links{on}").status_code == 404
    assert invite(coach, "charlie", query=on).status_code == 404
    assert coach.delete(f"/api/coach-links/{link_of(alice, bob).pk}{on}").status_code == 404
    assert coach.get(f"/api/coach/athletes{on}").status_code == 404


def test_a_personal_token_works_for_the_coach(alice: Any, bob: Any, client: Any) -> None:
    _, token = ApiToken.issue(bob, "clinic laptop")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/coach/athletes", headers=auth).json()["count"] == 1
    response = client.post(
        f"/api/coach/athletes/{alice.pk}/notes",
        {"text": "see you Tuesday"},
        content_type=JSON,
        headers=auth,
    )
    assert response.status_code == 201
    assert client.get("/api/coach/athletes").status_code == 401


def test_the_openapi_document_lists_every_new_operation(client: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/sessions": {"get", "post"},
        "/api/sessions/{session_id}": {"get", "put", "delete"},
        "/api/checkins": {"get", "post"},
        "/api/progress": {"get"},
        "/api/progress/{slug}": {"get"},
        "/api/progress/{slug}/pin": {"get", "put", "delete"},
        "/api/imports": {"get", "post"},
        "/api/imports/{job_id}": {"get"},
        "/api/load": {"get"},
        "/api/coach-links": {"get", "post"},
        "/api/coach-links/{link_id}": {"delete"},
        "/api/coach-links/{link_id}/accept": {"post"},
        "/api/coach/athletes": {"get"},
        "/api/coach/athletes/{athlete_id}": {"get"},
        "/api/coach/athletes/{athlete_id}/notes": {"post"},
        "/api/notes": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    upload = paths["/api/imports"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
