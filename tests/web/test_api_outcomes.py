"""The outcome API: score as the CLI does, record and list responses, the schedule; a coach
reads and sets the schedule, never answers; a stranger gets 404."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kneecap.core.outcomes import score
from kneecap.db.training.models import OutcomeResponse, OutcomeSchedule
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
JSON = "application/json"
KOOS = [1, 2, 1, 0, 2, 2, 3, 1, 3, 2, 2, 1]


def post(client: Any, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type=JSON)


def test_score_gives_the_clis_keys_and_numbers(alice: Any, tmp_path: Path) -> None:
    got = post(client_for(alice), "/api/outcomes/score", {"instrument": "koos-12", "answers": KOOS})
    assert got.status_code == 200
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(KOOS), encoding="utf-8")
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "kneecap.cli",
            "outcome",
            "score",
            "--instrument",
            "koos-12",
            "--answers",
            str(answers),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert got.json() == json.loads(cli.stdout)
    assert list(got.json()) == ["pain", "function", "quality_of_life", "summary"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"instrument": "koos-12", "answers": [5, *KOOS[1:]]}, "answers[0]: 5 is outside 0–4"),
        ({"instrument": "koos", "answers": KOOS}, "instrument: no instrument 'koos'"),
        ({"instrument": "sane", "answers": [True]}, "answers.0"),
        ({"instrument": "sane", "answers": [50], "extra": 1}, "extra"),
        ({"instrument": "koos-12", "answers": KOOS[:11]}, "answers: koos-12 takes 12 answers"),
    ],
)
def test_bad_input_names_the_field(alice: Any, body: Any, detail: str) -> None:
    got = post(client_for(alice), "/api/outcomes/score", body)
    assert got.status_code == 422 and detail in got.json()["detail"]


def test_record_and_list(alice: Any, bob: Any) -> None:
    client = client_for(alice)
    got = post(client, "/api/outcomes", {"instrument": "koos-12", "answers": KOOS})
    assert got.status_code == 201
    assert got.json()["scores"] == score("koos-12", KOOS)
    assert got.json()["answered"] == timezone.localdate().isoformat()
    psfs = {"instrument": "psfs", "answers": [3, None], "activities": ["hills", "stairs"]}
    assert post(client, "/api/outcomes", psfs).json()["scores"] == {"score": 3.0}
    bad = post(client, "/api/outcomes", {"instrument": "psfs", "answers": [3]})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("activities:")
    listed = client.get("/api/outcomes?instrument=koos-12").json()
    assert listed["count"] == 1 and listed["items"][0]["answers"] == KOOS
    assert client_for(bob).get(f"/api/outcomes?athlete={alice.pk}").json()["count"] == 2


def test_a_coach_reads_and_schedules_but_never_answers(alice: Any, bob: Any, charlie: Any) -> None:
    coach, stranger = client_for(bob), client_for(charlie)
    answer = {"instrument": "sane", "answers": [60]}
    assert post(coach, f"/api/outcomes?athlete={alice.pk}", answer).status_code == 404
    assert not OutcomeResponse.objects.filter(owner=alice).exists()
    schedule = coach.get(f"/api/outcomes/schedule?athlete={alice.pk}").json()
    assert schedule["interval_weeks"] == 4 and schedule["set_by"] == ""
    assert {d["instrument"] for d in schedule["due"] if d["due"]} >= {"sane", "psfs"}
    path = f"/api/outcomes/schedule?athlete={alice.pk}"
    got = coach.put(path, json.dumps({"interval_weeks": 8}), content_type=JSON)
    assert got.status_code == 200 and got.json()["set_by"] == "bob"
    assert OutcomeSchedule.objects.get(owner=alice).interval_weeks == 8
    refused = coach.put(path, json.dumps({"interval_weeks": 0}), content_type=JSON)
    assert refused.status_code == 422 and "interval_weeks" in refused.json()["detail"]
    for send in (
        lambda: stranger.get(path),
        lambda: stranger.put(path, json.dumps({"interval_weeks": 2}), content_type=JSON),
        lambda: stranger.get(f"/api/outcomes?athlete={alice.pk}"),
    ):
        assert send().status_code == 404
    assert OutcomeSchedule.objects.get(owner=alice).interval_weeks == 8
