"""Issue 14 §6: every threshold is one setting, instance-wide in the data dir's rules file
(checked at start) and per runner by a linked coach or physio; every explanation uses the
numbers in force."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone

from kneecap import config
from kneecap.core.rules import DEFAULT_RULES
from kneecap.db.accounts.models import RunnerProfile
from tests.web.conftest import client_for
from tests.web.test_safety_doors import onboard

pytestmark = pytest.mark.django_db
JSON = "application/json"


def log_split_squat(client: Any, days_ago: int, pain: int) -> None:
    day = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    session = {
        "date": day,
        "pain_next_morning": 0,
        "exercises": [
            {
                "exercise": "split-squat",
                "level": "bodyweight",
                "pain_during": pain,
                "sets": [{"reps": 8}, {"reps": 8}],
            }
        ],
    }
    assert client.post("/api/sessions", session, content_type=JSON).status_code == 201


def split_squat(client: Any, athlete: Any) -> dict[str, Any]:
    response = client.get(f"/api/progress/split-squat?athlete={athlete.pk}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


# --- the instance's file -------------------------------------------------------------------


def test_no_file_means_the_briefs_numbers(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("KNEECAP_RULES_FILE", raising=False)
    assert config.rules(tmp_path) is DEFAULT_RULES


def test_the_data_dirs_file_is_read_and_checked(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("KNEECAP_RULES_FILE", raising=False)
    (tmp_path / "rules.toml").write_text("[pain]\namber_max = 4\n", encoding="utf-8")
    assert config.rules(tmp_path).amber_max == 4
    (tmp_path / "rules.toml").write_text("[pain]\namber_max = 11\n", encoding="utf-8")
    with pytest.raises(config.ConfigError) as raised:
        config.rules(tmp_path)
    message = str(raised.value)
    assert "pain.amber_max" in message and "11" in message and "rules.toml" in message


def test_a_named_file_that_is_missing_is_an_error(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("KNEECAP_RULES_FILE", str(tmp_path / "nowhere.toml"))
    with pytest.raises(config.ConfigError, match=r"nowhere\.toml"):
        config.rules(tmp_path)


def test_the_instances_numbers_reach_the_explanations(alice: Any, settings: Any) -> None:
    onboard(alice)
    client = client_for(alice)
    log_split_squat(client, 3, 5)
    assert split_squat(client, alice)["pain_ceiling"] == 5
    assert split_squat(client, alice)["decision"] != "regress"  # 5 is amber by default
    settings.KNEECAP_RULES = replace(DEFAULT_RULES, green_max=1, amber_max=4)
    caches["values"].clear()  # a restart with other rules starts from an empty cache
    decision = split_squat(client, alice)
    assert decision["pain_ceiling"] == 4 and decision["decision"] == "regress"
    assert any("above 4" in why for why in decision["why"])
    page = client.get("/today/?exercise=split-squat").content.decode()
    assert "above 4/10 (rule 16)" in page


# --- a runner's own numbers, set by a linked coach or physio -------------------------------


def test_a_linked_coach_sets_the_pain_ceiling_and_the_athlete_sees_it(
    alice: Any, bob: Any, charlie: Any
) -> None:
    onboard(alice)
    runner, coach = client_for(alice), client_for(bob)
    log_split_squat(runner, 3, 5)
    url = f"/api/coach/athletes/{alice.pk}/rules"
    shown = {s["key"]: s for s in coach.get(url).json()}
    assert set(shown) == {
        "green_max",
        "amber_max",
        "max_rep_step",
        "load_step_pct",
        "hold_step_max_s",
        "short_hold_step_max_s",
        "distance_step_max_pct",
        "deload_sets",
    }
    assert shown["amber_max"] == {
        "key": "amber_max",
        "value": 5,
        "instance": 5,
        "own": False,
        "min": 1,
        "max": 10,
        "rules": "15, 16",
        "meaning": shown["amber_max"]["meaning"],
    }
    changed = coach.put(url, {"amber_max": 4, "green_max": 1}, content_type=JSON)
    assert changed.status_code == 200, changed.content
    assert {s["key"]: (s["value"], s["own"]) for s in changed.json()}["amber_max"] == (4, True)
    assert RunnerProfile.objects.get(user=alice).rules == {"amber_max": 4, "green_max": 1}
    decision = split_squat(runner, alice)
    assert decision["pain_ceiling"] == 4 and decision["decision"] == "regress"
    assert any("above 4" in why for why in decision["why"])
    assert "above 4/10" in runner.get("/today/?exercise=split-squat").content.decode()
    # null goes back to the instance's number
    back = coach.put(url, {"amber_max": None, "green_max": None}, content_type=JSON)
    assert back.status_code == 200 and RunnerProfile.objects.get(user=alice).rules == {}
    assert split_squat(runner, alice)["pain_ceiling"] == 5


def test_bad_numbers_are_refused_by_name_and_nothing_changes(alice: Any, bob: Any) -> None:
    onboard(alice)
    coach, url = client_for(bob), f"/api/coach/athletes/{alice.pk}/rules"
    cases = [
        ({"amber_max": 11}, "amber_max"),
        ({"amber_max": 4.5}, "amber_max"),
        ({"green_max": 6}, "green_max"),  # above the pain ceiling of 5
        ({"alert_pain_above": 6}, "alert_pain_above"),  # an instance-wide number
        ({"ceiling": 4}, "ceiling"),
    ]
    for body, key in cases:
        response = coach.put(url, body, content_type=JSON)
        assert response.status_code == 422, (body, response.content)
        assert key in response.content.decode(), body
    assert RunnerProfile.objects.get(user=alice).rules == {}


def test_only_a_linked_coach_sets_a_runners_numbers(alice: Any, bob: Any, charlie: Any) -> None:
    onboard(alice)
    url = f"/api/coach/athletes/{alice.pk}/rules"
    for user in (alice, charlie):  # the runner themselves, and a stranger
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.put(url, {"amber_max": 7}, content_type=JSON).status_code == 404
        page = f"/coaching/athletes/{alice.pk}/rules/"
        assert client.post(page, {"amber_max": "7"}).status_code == 404
    assert RunnerProfile.objects.get(user=alice).rules == {}


def test_the_coachs_page_sets_and_clears_a_number(alice: Any, bob: Any) -> None:
    onboard(alice)
    coach, page = client_for(bob), f"/coaching/athletes/{alice.pk}/rules/"
    shown = coach.get(page).content.decode()
    assert "Pain ceiling" in shown and "rule 15, 16" in shown
    assert coach.post(page, {"amber_max": "4", "deload_sets": "0.5"}).status_code == 302
    assert RunnerProfile.objects.get(user=alice).rules == {"amber_max": 4, "deload_sets": 0.5}
    refused = coach.post(page, {"amber_max": "4", "green_max": "4"})
    assert refused.status_code == 200 and "must be below" in refused.content.decode()
    assert coach.post(page, {"deload_sets": "0.5"}).status_code == 302
    assert RunnerProfile.objects.get(user=alice).rules == {"deload_sets": 0.5}
