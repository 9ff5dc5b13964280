"""Outcome questionnaires through the application layer and the pages: stored scores are
core's, the schedule asks at the start and then every N weeks, the owner's wording turns the
licensed forms on, the chart renders with its table, a coach sets the schedule."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from kneecap.application import outcomes
from kneecap.core.outcomes import OutcomeError, score
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import OutcomeResponse, OutcomeSchedule, SessionLog
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

KOOS = [1, 2, 1, 0, 2, 2, 3, 1, 3, 2, 2, 1]
DAY = date(2026, 3, 2)  # a fixed clock: a Monday


def supply_wording(data_dir: Path, instrument_id: str) -> None:
    """The instance's owner supplies the wording: here the example, marked as real."""
    texts = resources.files("kneecap.core.outcomes").joinpath("texts")
    raw = texts.joinpath(f"{instrument_id}.example.toml").read_text(encoding="utf-8")
    folder = data_dir / "outcomes"
    folder.mkdir(exist_ok=True)
    real = raw.replace("placeholder = true", "placeholder = false").replace(
        "(text supplied by the instance owner)", "(the owner wording)"
    )
    (folder / f"{instrument_id}.toml").write_text(real, encoding="utf-8")


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_koos_12_stored_scores_match_core(alice: Any) -> None:
    stored = outcomes.record(alice, "koos-12", KOOS, DAY)
    row = OutcomeResponse.objects.get(pk=stored.id)
    assert row.scores == score("koos-12", KOOS)
    assert row.scores["summary"] == pytest.approx(175 / 3)
    assert row.answers == KOOS and row.to_core() == stored.response
    with_skips = [4, 4, None, None, *KOOS[4:]]
    assert outcomes.record(alice, "koos-12", with_skips, DAY).response.scores["pain"] == 0.0
    assert OutcomeResponse.objects.filter(owner=alice).count() == 2


def test_a_refused_response_names_the_field_and_stores_nothing(alice: Any) -> None:
    with pytest.raises(OutcomeError, match=r"answers\[0\]: 7 is outside 0–4"):
        outcomes.record(alice, "koos-12", [7, *KOOS[1:]], DAY)
    with pytest.raises(OutcomeError, match=r"answered: .* is in the future"):
        outcomes.record(alice, "sane", [80], DAY, answered=DAY + timedelta(days=3))
    assert not OutcomeResponse.objects.exists()


def test_recording_moves_the_runners_version(alice: Any) -> None:
    RunnerProfile.objects.create(user=alice, data={})
    before = RunnerProfile.objects.get(user=alice).version
    outcomes.record(alice, "sane", [70], DAY)
    assert RunnerProfile.objects.get(user=alice).version != before


def _due(user: Any, today: date) -> dict[str, outcomes.Due]:
    return {d.instrument: d for d in outcomes.due(user, today)}


def test_due_at_the_start_then_every_interval(alice: Any, bob: Any) -> None:
    assert _due(alice, DAY)["sane"].due and _due(alice, DAY)["sane"].due_on == DAY
    outcomes.record(alice, "sane", [70], DAY)
    assert not _due(alice, DAY)["sane"].due
    assert _due(alice, DAY)["psfs"].due  # each instrument on its own clock
    assert _due(alice, DAY + timedelta(weeks=4) - timedelta(days=1))["sane"].due is False
    assert _due(alice, DAY + timedelta(weeks=4))["sane"].due_on == date(2026, 3, 30)
    assert _due(alice, DAY + timedelta(weeks=4))["sane"].due
    outcomes.set_schedule(alice, 2, bob)
    assert outcomes.schedule_of(alice) == outcomes.Schedule(2, "bob")
    assert _due(alice, DAY + timedelta(weeks=2))["sane"].due


def test_only_questionnaires_with_wording_are_due_now(alice: Any, data_dir: Path) -> None:
    assert [d.instrument for d in outcomes.due_now(alice, DAY)] == ["sane", "psfs"]
    supply_wording(data_dir, "koos-12")
    assert "koos-12" in [d.instrument for d in outcomes.due_now(alice, DAY)]


def test_a_placeholder_or_broken_file_is_not_used(data_dir: Path) -> None:
    assert "outcomes/koos-pf.toml in the data directory" in outcomes.wording("koos-pf").problem
    texts = resources.files("kneecap.core.outcomes").joinpath("texts")
    folder = data_dir / "outcomes"
    folder.mkdir()
    example = texts.joinpath("koos-pf.example.toml").read_text(encoding="utf-8")
    (folder / "koos-pf.toml").write_text(example, encoding="utf-8")
    assert "placeholder = true" in outcomes.wording("koos-pf").problem
    (folder / "koos-pf.toml").write_text('instrument = "koos-pf"\n', encoding="utf-8")
    assert "cannot be used: language: must be non-empty text" in outcomes.wording("koos-pf").problem


def test_the_list_page_shows_what_is_due_and_how_to_supply_wording(
    alice: Any, data_dir: Path
) -> None:
    page = client_for(alice).get("/outcomes/").content.decode()
    assert "Knee rating" in page and "Answer now" in page
    assert "outcomes/koos-12.toml in the data directory" in page
    assert "docs/outcomes.md" in page
    form = client_for(alice).get("/outcomes/kujala/").content.decode()
    assert "Not available on this instance" in form and "kujala.toml" in form


def test_sane_saves_through_the_page(alice: Any) -> None:
    client = client_for(alice)
    assert "percentage of normal" in client.get("/outcomes/sane/").content.decode()
    response = client.post("/outcomes/sane/", {"answer-0": "85"})
    assert response.status_code == 302
    assert OutcomeResponse.objects.get(owner=alice).scores == {"score": 85.0}
    refused = client.post("/outcomes/sane/", {"answer-0": "120"})
    assert refused.status_code == 200 and OutcomeResponse.objects.count() == 1


def test_psfs_saves_named_activities_and_offers_them_again(alice: Any) -> None:
    client = client_for(alice)
    body = {"activity-0": "running downhill", "answer-0": "4", "activity-1": "stairs"}
    page = client.post("/outcomes/psfs/", body | {"answer-1": ""}).content.decode()
    assert "Activity 2: rate it from 0 to 10" in page and not OutcomeResponse.objects.exists()
    page = client.post("/outcomes/psfs/", {"answer-0": "4"}).content.decode()
    assert "activities[0]: name the activity" in page
    client.post("/outcomes/psfs/", body | {"answer-1": "7"})
    row = OutcomeResponse.objects.get(owner=alice)
    assert row.activities == ["running downhill", "stairs"] and row.scores == {"score": 5.5}
    assert 'value="running downhill"' in client.get("/outcomes/psfs/").content.decode()


def test_koos_12_form_appears_with_the_owners_wording(alice: Any, data_dir: Path) -> None:
    supply_wording(data_dir, "koos-12")
    client = client_for(alice)
    page = client.get("/outcomes/koos-12/").content.decode()
    assert "Item 1 (the owner wording)" in page and 'type="radio"' in page
    body = {f"answer-{n}": str(v) for n, v in enumerate(KOOS)}
    assert client.post("/outcomes/koos-12/", body).status_code == 302
    assert OutcomeResponse.objects.get(owner=alice).scores == score("koos-12", KOOS)


def test_kujala_answers_are_option_indexes(alice: Any, data_dir: Path) -> None:
    supply_wording(data_dir, "kujala")
    client = client_for(alice)
    best = {f"answer-{n}": "0" for n in range(13)}
    assert client.post("/outcomes/kujala/", best).status_code == 302
    worst_limp = best | {"answer-0": "2"}  # a limp all the time: 0 of its 5 points
    assert client.post("/outcomes/kujala/", worst_limp).status_code == 302
    scores = [r.scores for r in OutcomeResponse.objects.filter(owner=alice).order_by("id")]
    assert scores == [{"score": 100.0}, {"score": 95.0}]
    skipped = client.post("/outcomes/kujala/", {"answer-0": "0"}).content.decode()
    assert "too few items answered to give any score" in skipped  # no rule for a gap
    assert OutcomeResponse.objects.count() == 2


def test_the_due_include_shows_only_when_due(alice: Any) -> None:
    request = RequestFactory().get("/")
    request.user = alice
    shown = render_to_string("training/_outcomes_due.html", {"user": alice}, request)
    assert "Questionnaire due" in shown and "/outcomes/sane/" in shown
    today = timezone.localdate()
    outcomes.record(alice, "sane", [70], today)
    outcomes.record(alice, "psfs", [5], today, activities=["hills"])
    assert "Questionnaire due" not in render_to_string(
        "training/_outcomes_due.html", {"user": alice}, request
    )


def test_the_due_include_costs_no_query_when_given_the_version(
    alice: Any, django_assert_max_num_queries: Any
) -> None:
    RunnerProfile.objects.create(user=alice, data={})
    version = RunnerProfile.objects.get(user=alice).version

    def render(context: dict[str, Any]) -> str:
        return render_to_string("training/_outcomes_due.html", {"user": alice, **context})

    assert "Questionnaire due" in render({"outcomes_version": version})  # kept
    with django_assert_max_num_queries(0):
        assert "Questionnaire due" in render({"outcomes_version": version})
    with django_assert_max_num_queries(1):  # the runner's version
        assert "Questionnaire due" in render({})


def test_the_chart_renders_with_its_table_and_marks(alice: Any, bob: Any) -> None:
    today = timezone.localdate()
    first = today - timedelta(weeks=5)
    outcomes.record(alice, "sane", [60], first)
    outcomes.record(alice, "sane", [80], today)
    outcomes.record(alice, "koos-12", KOOS, today)
    SessionLog.objects.create(owner=alice, date=first + timedelta(days=1))
    SessionLog.objects.create(owner=alice, date=first + timedelta(days=2))
    Activity.objects.create(
        owner=alice, start=timezone.now() - timedelta(weeks=5), distance_m=8000, elapsed_s=2700
    )
    page = client_for(bob).get(f"/progress/?athlete={alice.pk}").content.decode()
    assert page.count('<svg viewBox="0 0 640 300"') == 2
    assert "<caption>Knee rating" in page and "Sessions that week" in page
    assert "first score plus 7 points" in page and "Winterstein" in page
    assert "kneecap found none published for KOOS-12" in page
    row = page.split("<caption>Knee rating", 1)[1].split("</table>", 1)[0]
    assert "60.0" in row and "80.0" in row and "8.0" in row  # the week's km beside it


def test_a_coach_sets_the_schedule_a_stranger_gets_404(alice: Any, bob: Any, charlie: Any) -> None:
    card = client_for(bob).get("/coaching/athletes/").content.decode()
    assert f"/outcomes/?athlete={alice.pk}" in card
    page = client_for(bob).get(f"/outcomes/?athlete={alice.pk}").content.decode()
    assert "alice’s questionnaires" in page and "every 4 weeks" in page
    body = {"athlete": alice.pk, "interval_weeks": 6}
    assert client_for(bob).post("/outcomes/schedule/", body).status_code == 302
    assert OutcomeSchedule.objects.get(owner=alice).interval_weeks == 6
    assert (
        client_for(charlie).post("/outcomes/schedule/", body | {"interval_weeks": 2}).status_code
        == 404
    )
    assert client_for(charlie).get(f"/outcomes/?athlete={alice.pk}").status_code == 404
    assert OutcomeSchedule.objects.get(owner=alice).interval_weeks == 6
    assert client_for(bob).get(f"/outcomes/sane/?athlete={alice.pk}").status_code == 404
