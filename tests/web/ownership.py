"""The pieces of the three-persona access tests: a world, the routes, what may change.

Alice (runner) owns one of every object, each carrying ``alicemark`` in a text field;
bob is her linked coach; charlie is a stranger with objects of his own. A response to
charlie must never mention alice; a response to bob must never show her account secrets.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from kneecap.application import outcomes, plans, record
from kneecap.core import log as core
from kneecap.core.catalog import exercise_to_dict, load_catalog
from kneecap.db.accounts.models import ApiToken, CoachLink, RunnerProfile
from kneecap.db.catalog.models import CustomExercise
from kneecap.db.runs.models import Activity, ImportJob
from kneecap.db.training.models import CoachNote, MorningCheckin, Pin, PlannedSession

DATA_MARK = "alicemark"  # in alice's health data: her coach may see it, nobody else
ACCOUNT_MARK = "aliceaccount"  # in her account settings: only she may see it
PROFILE = {
    "runs": {"tue": {"kind": "quality", "minutes": 50}, "sun": {"kind": "long", "minutes": 100}},
    "equipment": ["wall", "rail"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 0,
    "screening": {},
}


@dataclass(frozen=True, slots=True)
class World:
    alice: Any
    bob: Any
    charlie: Any
    params: dict[str, str]  # URL parameter name -> a value naming one of alice's objects
    tokens: dict[str, str]  # username -> API token
    secrets: tuple[str, ...] = field(default=())  # what bob must never see either
    doc: dict[str, Any] = field(default_factory=dict)  # /api/openapi.json


def own_everything(user: Any, mark: str, account_mark: str) -> dict[str, Any]:
    """One of every object for ``user``; health data carries ``mark``, settings the other."""
    today = timezone.localdate()
    RunnerProfile.objects.create(user=user, data=PROFILE, onboarded_at=timezone.now())
    data = exercise_to_dict(load_catalog().get("split-squat"))
    custom = CustomExercise.objects.create(
        owner=user, slug=f"{mark}-squat", data={**data, "slug": f"{mark}-squat", "name": mark}
    )
    session, _ = record.record_session(
        user,
        core.SessionLog(
            today - timedelta(days=1),
            tuple(
                core.ExerciseLog(slug, "bodyweight", (core.SetResult(reps=8),))
                for slug in ("split-squat", custom.slug)
            ),
            notes=f"{mark} session",
        ),
        today,
    )
    MorningCheckin.objects.create(owner=user, date=today, pain=1)
    Pin.objects.create(owner=user, exercise=custom.slug, level="bodyweight", note=f"{mark} pin")
    run = Activity.objects.create(
        owner=user, start=timezone.now() - timedelta(days=2), name=f"{mark} run", elapsed_s=1800
    )
    job = ImportJob.objects.create(owner=user, original_name=f"{mark}.fit", status="done")
    token, secret = ApiToken.issue(user, f"{account_mark} token")
    outcomes.record(user, "psfs", [6], today, activities=[f"{mark} hills"])
    outcomes.set_schedule(user, 6, user)
    plans.snapshot(user, today)
    planned = PlannedSession.objects.filter(owner=user).order_by("date").first()
    assert planned is not None, "the profile should plan sessions"
    return {
        "run_id": run.pk,
        "session_id": session.pk,
        "token_id": token.pk,
        "job_id": job.pk,
        "athlete_id": user.pk,
        "slug": custom.slug,
        "day": planned.date.isoformat(),
        "step": "running",
        "instrument": "psfs",
        "secret": secret,
    }


def build_world(alice: Any, bob: Any, charlie: Any) -> World:
    own = own_everything(alice, DATA_MARK, ACCOUNT_MARK)
    get_user_model().objects.filter(pk=alice.pk).update(email=f"{ACCOUNT_MARK}@example.org")
    own_everything(charlie, "charliemark", "charlieaccount")
    CoachNote.objects.create(athlete=alice, author=bob, text=f"{DATA_MARK} note")
    link = CoachLink.objects.get(athlete=alice, coach=bob)
    params = {k: str(v) for k, v in own.items() if k != "secret"} | {"link_id": str(link.pk)}
    tokens = {u.username: ApiToken.issue(u, "persona")[1] for u in (bob, charlie)}
    tokens["alice"] = own["secret"]
    doc = Client().get("/api/openapi.json").json()
    return World(alice, bob, charlie, params, tokens, secrets=(ACCOUNT_MARK,), doc=doc)


# --- routes -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    name: str  # "namespace:name" when namespaced
    pattern: str
    params: tuple[str, ...]


def walk(patterns: Any = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every URL pattern reachable from the root URLconf, includes followed."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, text, ns)
        elif isinstance(entry, URLPattern):
            names = tuple(re.findall(r"<(?:\w+:)?(\w+)>", text)) or tuple(
                entry.pattern.regex.groupindex
            )
            yield Route(f"{namespace}{entry.name or ''}" or text, text, names)


def url_for(route: Route, params: dict[str, str]) -> str:
    missing = [p for p in route.params if p not in params]
    assert not missing, (
        f"route {route.name!r} ({route.pattern}) has parameters {missing} that the ownership "
        "test cannot fill: add them to the world in tests/web/ownership.py"
    )
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: params[m.group(1)], route.pattern)
    return "/" + path


# --- what a response shows ------------------------------------------------------------


def body_text(response: Any) -> str:
    """All readable text of a response: zips unpacked, PDF streams inflated."""
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"\n".join(archive.read(name) for name in archive.namelist())
    if raw[:4] == b"%PDF":
        raw += b"".join(_inflate(m) for m in re.findall(rb"stream\r?\n(.*?)endstream", raw, re.S))
    return raw.decode("utf-8", "replace").lower() + response.get("Location", "").lower()


def _inflate(chunk: bytes) -> bytes:
    import zlib

    try:
        return zlib.decompress(chunk)
    except zlib.error:
        return b""


def shown(response: Any, echoed: tuple[str, ...] = ()) -> str:
    """The response text without the request's own parameters (a 404 may echo a slug)."""
    text = body_text(response)
    for value in echoed:
        text = text.replace(value.lower(), "")
    return text


# --- what a request changed ------------------------------------------------------------

VOLATILE = {"id", "updated_at", "changed_at", "last_used_at", "last_login", "created_at"}


def _user_paths(model: type[models.Model], depth: int = 3) -> list[str]:
    """Lookups from ``model`` to a user (``owner``, ``session__owner``…)."""
    user_model = get_user_model()
    paths = []
    for f in model._meta.get_fields():
        if not (f.is_relation and f.many_to_one and f.concrete):
            continue
        if f.related_model is user_model:
            paths.append(f.name)
        elif depth > 1 and f.related_model is not model:
            paths += [f"{f.name}__{p}" for p in _user_paths(f.related_model, depth - 1)]
    return paths


def kneecap_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("kneecap.")]


def rows_of(user: Any) -> dict[str, list[str]]:
    """Every kneecap row that points at ``user`` (and the account itself), comparable."""
    found: dict[str, list[str]] = {}
    for model in kneecap_models():
        paths = _user_paths(model)
        if not paths:
            continue
        query = models.Q()
        for p in paths:
            query |= models.Q(**{p: user.pk})
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
        rows = model.objects.filter(query).values_list(*fields)
        found[model.__name__] = sorted(json.dumps(list(r), default=str) for r in rows)
    account = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list("username", "email", "password", "is_active")
    )
    found["User"] = [json.dumps(list(r)) for r in account]
    return found


def changed(before: dict[str, list[str]], after: dict[str, list[str]]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def request_rolled_back(
    send: Any, watched: Any, before: dict[str, list[str]] | None
) -> tuple[Any, set[str]]:
    """Send one request, see what it changed for ``watched`` (``before``: rows_of it, or None
    for a safe method, not compared to save time), and undo it."""
    with transaction.atomic():
        try:
            response = send()
        except Exception as exc:  # the test reports which route raised
            response = exc
        try:
            diff = set() if before is None else changed(before, rows_of(watched))
        except Exception as exc:  # a broken transaction is a finding too
            response, diff = exc, set()
        transaction.set_rollback(True)
    return response, diff


def token_client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


# --- the API, from its OpenAPI document --------------------------------------------------

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str  # "/api/runs/{run_id}"
    spec: dict[str, Any]

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(p["name"] for p in self.spec.get("parameters", ()) if p["in"] == "path")

    @property
    def takes_athlete(self) -> bool:
        return any(p["name"] == "athlete" for p in self.spec.get("parameters", ()))

    @property
    def public(self) -> bool:
        return self.spec.get("security", [{}]) in ([], [{}])

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations(doc: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method, path, spec)
        for path, item in doc["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


def sample(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """The smallest plausible value for a JSON schema: required fields only."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return sample(doc["components"]["schemas"][name], doc)
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return sample(options[0], doc)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: sample(v, doc) for k, v in props.items() if k in schema.get("required", ())}
    return _scalar(kind, schema)


def _scalar(kind: str, schema: dict[str, Any]) -> Any:
    if kind == "array":
        return []
    if kind in {"integer", "number"}:
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        return max(1, int(low) + 1)
    if kind == "boolean":
        return False
    fmt = schema.get("format", "")
    if fmt == "date":
        return (timezone.localdate() - timedelta(days=3)).isoformat()
    if fmt == "date-time":
        return (timezone.now() - timedelta(days=3)).isoformat()
    if fmt == "binary":
        return SimpleUploadedFile("run.fit", b"not really a fit file")
    return "someone else"


def call(client: Client, op: Operation, world: World, *, athlete: str | None) -> Any:
    """One API request with alice's ids in the path (and ``athlete=`` if given and taken)."""
    path = re.sub(r"\{(\w+)\}", lambda m: world.params[m.group(1)], op.path)
    if athlete is not None and op.takes_athlete:
        path += f"?athlete={athlete}"
    send = getattr(client, op.method)
    content = op.spec.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = sample(content["application/json"]["schema"], world.doc)
        return send(path, json.dumps(body), content_type="application/json")
    if "multipart/form-data" in content:
        return send(path, sample(content["multipart/form-data"]["schema"], world.doc))
    return send(path)
