"""Log and fix a session without the timer (issue 18.3): a form, not JSON."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kneecap.application.today import planned_log
from kneecap.core.profile import WEEKDAYS
from kneecap.db.training.models import SessionLog
from tests.web.conftest import client_for
from tests.web.test_api_plan_runs import PROFILE, put_profile


def _new(exercise: str, level: str, rows: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    day = timezone.localdate() - timedelta(days=1)
    data = {"date": day.isoformat(), "pain_after": "1", "ex0-level": level}
    data |= {"ex0-set-TOTAL_FORMS": str(len(rows)), "ex0-set-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data |= {f"ex0-set-{n}-{k}": str(v) for k, v in row.items()}
    return data | more


def test_the_log_form_picks_exercises_then_saves_the_sets(alice: Any) -> None:
    client = client_for(alice)
    picker = client.get("/sessions/new/").content.decode()
    assert "Split squat" in picker and 'name="exercise"' in picker
    page = client.get("/sessions/new/?exercise=split-squat").content.decode()
    assert "Reps" in page and "Set" in page and "JSON" not in page
    rows = [{"reps": 8}, {"reps": 6}, {}]  # the blank row is a set not done
    response = client.post(
        "/sessions/new/?exercise=split-squat", _new("split-squat", "bodyweight", rows)
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    row = SessionLog.objects.get(owner=alice)
    assert [s.reps for s in row.exercises.get().sets.order_by("pk")] == [8, 6]


def test_an_error_names_the_set_and_the_field_a_person_sees(alice: Any) -> None:
    rows = [{"reps": 8}, {"reps": 5000}]
    page = (
        client_for(alice)
        .post("/sessions/new/?exercise=split-squat", _new("split-squat", "bodyweight", rows))
        .content.decode()
    )
    assert "Set 2 of Split squat: Reps" in page
    assert "exercises[" not in page and "sets[" not in page
    assert not SessionLog.objects.exists()


def test_the_day_s_plan_is_ticked_and_its_sets_filled_in(alice: Any) -> None:
    client = client_for(alice)
    today = WEEKDAYS[timezone.localdate().weekday()]
    put_profile(client, {**PROFILE, "runs": {today: {"kind": "quality", "minutes": 45}}})
    planned = planned_log(alice, timezone.localdate())
    assert planned, "the profile plans a session today"
    picker = client.get("/sessions/new/").content.decode()
    for slug in planned:
        assert f'value="{slug}" checked' in picker
    slug, entry = next(iter(planned.items()))
    page = client.get(f"/sessions/new/?exercise={slug}").content.decode()
    assert f'name="ex0-set-TOTAL_FORMS" value="{len(entry.sets) + 1}"' in page
