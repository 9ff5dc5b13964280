"""One model of a session from the runner's hand to the engine (issue 13).

Random valid sessions go in through every door that writes one (the guided save, the web
form, the API, ``kneecap log session --file``, and an account export read back by
``import-account``) and come back as equal core values: nothing a runner sends is dropped.
Core's field definitions, the documented log shape, the OpenAPI schemas and the model
columns are held equal too, so they cannot drift apart.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kneecap.application import log, record
from kneecap.application.portability.services import delete_user, export_user, import_account
from kneecap.cli import training
from kneecap.core import log as core
from kneecap.core.catalog import load_catalog
from kneecap.core.screening import Leg
from kneecap.db.training.models import ExerciseLog, MorningCheckin, SessionLog, SetLog
from kneecap.web.training.log_forms import set_keys
from tests.web.conftest import client_for
from tests.web.session_form import form_data

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "progression.md"
CATALOG = load_catalog()
LEVELS = [(ex.slug, lvl.slug) for ex in CATALOG for lvl in ex.levels]


def _number(hi: float) -> st.SearchStrategy[float]:
    return st.floats(0, hi, allow_nan=False).map(lambda x: round(x, 2))


def _maybe(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | s


pain = _maybe(st.integers(0, 10))
place = _maybe(st.sampled_from(list(core.PainLocation)))
text = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=40)
sets = st.builds(
    core.SetResult,
    reps=_maybe(st.integers(0, 1000)),
    hold_s=_maybe(_number(3600)),
    distance_m=_maybe(_number(10_000)),
    duration_s=_maybe(_number(7200)),
    load_kg=_maybe(_number(500)),
    flights=_maybe(st.integers(0, 200)),
    side=_maybe(st.sampled_from(list(Leg))),
)
entries = st.builds(
    lambda level, sets, during, where, rpe: core.ExerciseLog(
        level[0], level[1], tuple(sets), during, where, rpe
    ),
    st.sampled_from(LEVELS),
    st.lists(sets, max_size=4),
    pain,
    place,
    _maybe(_number(10)),
)


@st.composite
def sessions(draw: Any, day: date) -> core.SessionLog:
    morning = draw(pain)
    return core.SessionLog(
        day,
        tuple(draw(st.lists(entries, max_size=3))),
        pain_before=draw(pain),
        pain_after=draw(pain),
        pain_location=draw(place),
        pain_next_morning=morning,
        stiffness_next_morning=draw(pain) if morning is not None else None,
        pain_location_next_morning=draw(place) if morning is not None else None,
        swelling=draw(st.booleans()),
        twisted_or_fell=draw(st.booleans()),
        minutes=draw(_maybe(_number(600))),
        rpe=draw(_maybe(_number(10))),
        notes=draw(text),
    )


def _days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def _clean(owner: Any) -> None:
    for model in (SetLog, ExerciseLog, SessionLog):
        model.objects.filter(**{_owner_path(model): owner}).delete()
    MorningCheckin.objects.filter(owner=owner).delete()


def _owner_path(model: Any) -> str:
    return {SetLog: "exercise__session__owner", ExerciseLog: "session__owner"}.get(model, "owner")


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    training.register(app)
    return app


def _stored(owner: Any) -> list[core.SessionLog]:
    rows = (
        SessionLog.objects.filter(owner=owner).order_by("date").prefetch_related("exercises__sets")
    )
    return log.sessions_of(rows)


SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@SETTINGS
@given(session=sessions(_days_ago(2)))
def test_the_guided_save_stores_every_field(alice: Any, session: core.SessionLog) -> None:
    _clean(alice)
    body = {"client_id": str(uuid.uuid4()), **core.to_json(session)}
    response = client_for(alice).post("/sessions/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert _stored(alice) == [session]


@SETTINGS
@given(session=sessions(_days_ago(3)))
def test_the_api_stores_every_field(alice: Any, session: core.SessionLog) -> None:
    _clean(alice)
    client = client_for(alice)
    response = client.post("/api/sessions", core.to_json(session), content_type="application/json")
    assert response.status_code == 201, response.content
    assert _stored(alice) == [session]
    back = client.get(f"/api/sessions/{response.json()['id']}").json()
    assert (
        core.from_json(
            core.SessionLog, {k: v for k, v in back.items() if k not in {"id", "client_id"}}
        )
        == session
    )


@SETTINGS
@given(session=sessions(_days_ago(4)))
def test_the_web_form_stores_every_field(alice: Any, session: core.SessionLog) -> None:
    """Every value the form shows is stored as sent, and what it does not show (the next
    morning) is kept. The form offers a set the amounts of its exercise's dose (and the leg of
    a per-side one); a set with none is a blank row, a set not done. The session edited
    holds the same exercises at their first level, nothing else."""
    _clean(alice)
    session = replace(session, exercises=tuple(_as_the_form_offers(e) for e in session.exercises))
    morning = ("pain_next_morning", "stiffness_next_morning", "pain_location_next_morning")
    bare = tuple(
        core.ExerciseLog(e.exercise, CATALOG.get(e.exercise).levels[0].slug)
        for e in session.exercises
    )
    blank = core.SessionLog(session.date, bare, **{k: getattr(session, k) for k in morning})
    row, _ = record.record_session(alice, blank, timezone.localdate())
    client = client_for(alice)
    response = client.post(f"/sessions/{row.pk}/edit/", form_data(session))
    assert response.status_code == 302, response.content.decode()[-2000:]
    done = tuple(
        replace(e, sets=tuple(s for s in e.sets if s != core.SetResult()))
        for e in session.exercises
    )
    assert _stored(alice) == [replace(session, exercises=done)]


def _as_the_form_offers(entry: core.ExerciseLog) -> core.ExerciseLog:
    exercise = CATALOG.get(entry.exercise)
    keys = set_keys(exercise) + (["side"] if exercise.per_side else [])
    sets = (core.SetResult(**{k: getattr(s, k) for k in keys}) for s in entry.sets)
    return replace(entry, sets=tuple(s for s in sets if s != core.SetResult()))


@SETTINGS
@given(session=sessions(_days_ago(5)))
def test_the_command_line_stores_every_field(
    alice: Any, cli: typer.Typer, session: core.SessionLog, tmp_path_factory: Any
) -> None:
    _clean(alice)
    file = tmp_path_factory.mktemp("log") / "session.json"
    file.write_text(json.dumps(core.to_json(session)), encoding="utf-8")
    result = CliRunner().invoke(cli, ["log", "session", "--user", "alice", "--file", str(file)])
    assert result.exit_code == 0, result.output
    assert _stored(alice) == [session]
    listed = CliRunner().invoke(cli, ["history", "--user", "alice", "--json"])
    (back,) = json.loads(listed.output)
    assert core.from_json(core.SessionLog, {k: v for k, v in back.items() if k != "id"}) == session


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(first=sessions(_days_ago(6)), second=sessions(_days_ago(9)))
def test_an_export_read_back_by_import_account_keeps_every_field(
    django_user_model: Any, first: core.SessionLog, second: core.SessionLog
) -> None:
    from kneecap.application import record

    user = django_user_model.objects.create_user(f"r{uuid.uuid4().hex[:8]}", password="x")
    for s in (second, first):
        record.record_session(user, s, timezone.localdate())
    archive = export_user(user)
    delete_user(user)
    restored = import_account(archive).user
    assert _stored(restored) == [second, first]


def test_core_fields_docs_schemas_and_columns_agree(client: Any) -> None:
    """The log shape in docs/progression.md, core's fields, the OpenAPI schemas and the
    model columns name the same fields."""
    documented = _documented_keys()
    spec = client.get("/api/openapi.json").json()["components"]["schemas"]
    models = {
        core.SetResult: (SetLog, "SetDone"),
        core.ExerciseLog: (ExerciseLog, "ExerciseDone"),
        core.SessionLog: (SessionLog, "SessionIn"),
        core.Checkin: (MorningCheckin, "CheckinIn"),
    }
    for cls, (model, schema) in models.items():
        fields = {name for name, _ in core.specs(cls)}
        assert fields <= documented, f"{cls.__name__}: not documented {fields - documented}"
        assert set(spec[schema]["properties"]) - {"client_id"} == fields, schema
        lists = {name for name, s in core.specs(cls) if s.kind is core.Kind.LIST}
        morning = {"pain_next_morning", "stiffness_next_morning", "pain_location_next_morning"}
        stored = set(getattr(model, "CORE", ()))
        assert stored == fields - lists - (morning if cls is core.SessionLog else set()), model
        columns = {f.name for f in model._meta.concrete_fields}
        assert stored <= columns


def _documented_keys() -> set[str]:
    table = DOCS.read_text(encoding="utf-8").split("### The log file (JSON)")[1].split("###")[0]
    return set(re.findall(r"`([a-z_]+)`", table))
