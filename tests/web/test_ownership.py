"""Ownership everywhere: every page and every API operation, for the owner, her coach, a stranger.

The routes come from the URL configuration and the operations from /api/openapi.json, so a
new one is tested as soon as it exists; a new page must also be classified in ``PAGES``
(what a coach may do there), or the first test fails naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kneecap.db.accounts.models import RunnerProfile
from tests.web import ownership as own
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

# Pages anyone may open, each for a reason; everything else needs a login.
PUBLIC = {
    "kc-setup": "first-run page: creates the owner account, closed once one exists",
    "kc-signup": "sign-up form (the admin may close it)",
    "kc-login": "login form",
    "kc-logout": "logout ends the caller's own session only",
    "kc-password-reset": "asks for an email; says the same whether or not it exists",
    "kc-password-reset-sent": "static confirmation",
    "password_reset_confirm": "guarded by the signed one-time token in its URL",
    "kc-healthz": "health check: no user data",
    "kc-manifest": "the web app manifest: the same for everyone",
    "kc-sw": "the service worker's script: the same for everyone",
    "kc-offline": "the page shown with no network: the same for everyone",
    "kc-calendar-feed": "guarded by its secret token (tests/web/test_plan_exports.py)",
    "kc-reminders-off": "guarded by its signed token; only switches one email off "
    "(tests/web/test_reminders.py)",
}
SKIPPED_PREFIXES = ("admin/", "api/", "static/", "media/")  # api/: the OpenAPI tests below
ID_PARAMS = {"run_id", "session_id", "token_id", "link_id", "job_id", "athlete_id"}
COACH_MODELS = frozenset(
    {
        *("Pin", "CoachNote", "CustomExercise", "PlannedSession", "CoachLink", "SafetyEvent"),
        "RunnerProfile",  # the runner's own numbers (issue 14 §6)
        "OutcomeSchedule",  # how often the questionnaires come (issue 19)
    }
)


@dataclass(frozen=True, slots=True)
class Access:
    """What the linked coach may do on a page; the runner may do everything unless noted."""

    coach_reads: bool = False  # GET ?athlete=<id> shows the athlete's data
    coach_writes: frozenset[str] = field(default_factory=frozenset)  # models a POST may change
    owner_not_found: bool = False  # the page is about someone else: the owner's own id is 404


OWN = Access()
READ = Access(coach_reads=True)
PIN = Access(coach_reads=False, coach_writes=frozenset({"Pin", "PlannedSession"}))
LINK = Access(coach_writes=frozenset({"CoachLink"}))

PAGES: dict[str, Access] = {
    "kc-home": OWN,
    "kc-settings": OWN,
    "kc-design": OWN,  # sample values only
    "kc-token-create": OWN,
    "kc-token-revoke": OWN,
    "kc-reminders": OWN,
    "kc-units": OWN,
    "kc-password-change": OWN,
    "kc-onboarding": OWN,
    "kc-onboarding-step": OWN,
    "kc-plan": READ,
    "kc-plan-month": READ,
    "kc-plan-pdf": READ,
    "kc-session-fit": READ,
    "kc-calendar-new": OWN,
    "kc-calendar-off": OWN,
    "kc-today": OWN,
    "kc-settling": OWN,
    "kc-rating": OWN,
    "kc-pattern": OWN,
    "kc-progress": READ,
    "kc-exercise-progress": READ,
    "kc-pin": PIN,
    "kc-unpin": PIN,
    "kc-outcomes": READ,
    "kc-outcome-form": OWN,  # a coach reads the answers but never gives them
    # a linked coach or physio sets how often the questionnaires come (issue 19)
    "kc-outcome-schedule": Access(coach_writes=frozenset({"OutcomeSchedule", "RunnerProfile"})),
    "kc-history": READ,
    "kc-exercise-history": READ,
    "kc-session": READ,
    "kc-session-record": OWN,
    "kc-session-new": OWN,
    "kc-session-edit": OWN,
    "kc-session-delete": OWN,
    "kc-checkin": OWN,
    "kc-load": READ,
    "kc-runs": READ,
    "kc-run": READ,
    "kc-import-upload": OWN,
    "kc-import": OWN,
    "kc-run-new": OWN,
    "kc-run-edit": OWN,
    "kc-run-delete": OWN,
    "kc-exercises": OWN,
    "kc-exercise": OWN,
    "kc-exercise-new": OWN,
    "kc-exercise-edit": OWN,
    "kc-exercise-delete": OWN,
    "kc-coaching": OWN,
    "kc-coach-dashboard": READ,
    "kc-coach-note": Access(coach_writes=frozenset({"CoachNote"}), owner_not_found=True),
    # a linked coach or physio clears a pause with a note (the gate, issue 14)
    "kc-coach-clear": Access(coach_writes=frozenset({"SafetyEvent"}), owner_not_found=True),
    # a linked coach or physio sets the runner's pain ceiling and steps (issue 14 §6)
    "kc-coach-rules": Access(
        coach_reads=True, coach_writes=frozenset({"RunnerProfile"}), owner_not_found=True
    ),
    # only the invitee accepts, and the world's link is already active
    "kc-coaching-accept": Access(coach_writes=frozenset({"CoachLink"}), owner_not_found=True),
    "kc-coaching-revoke": LINK,
    "kc-account-delete": OWN,
    "kc-account-export": OWN,
}


def pages() -> list[own.Route]:
    return [r for r in own.walk() if not r.pattern.startswith(SKIPPED_PREFIXES)]


@pytest.fixture
def world(alice: Any, bob: Any, charlie: Any) -> own.World:
    return own.build_world(alice, bob, charlie)


def form_body(world: own.World) -> dict[str, Any]:
    """Plausible values for the usual form fields, so a missing check would really write."""
    today = timezone.localdate()
    return {
        "athlete": world.alice.pk,
        "text": "written by someone else",
        "level": "bodyweight",
        "sets": 2,
        "reps": 5,
        "note": "someone else's pin",
        "pain": 2,
        "stiffness": 1,
        "date": (today - timedelta(days=3)).isoformat(),
        "minutes": 20,
        "kind": "easy",
        "name": "someone else's run",
        "confirm": "delete",
    }


def visit(
    client: Client, world: own.World, *, athlete: bool, watch: bool = True
) -> Iterator[tuple[own.Route, str, Any, set[str]]]:
    """Every classified page by GET and POST, filled with alice's ids; changes undone (and
    compared with alice's rows unless ``watch`` is off)."""
    query = f"?athlete={world.alice.pk}" if athlete else ""
    before = own.rows_of(world.alice) if watch else None
    for route in pages():
        if route.name in PUBLIC:
            continue
        url = own.url_for(route, world.params) + query
        for method in ("GET", "POST"):
            send: Callable[[], Any] = (
                (lambda u=url: client.get(u))
                if method == "GET"
                else (lambda u=url: client.post(u, form_body(world)))
            )
            response, diff = own.request_rolled_back(
                send, world.alice, None if method == "GET" else before
            )
            yield route, f"{method} {url}", response, diff


def failed(response: Any) -> str | None:
    if isinstance(response, Exception):
        return f"raised {response!r}"
    if response.status_code >= 500:
        return f"answered {response.status_code}"
    return None


def echoed(route: own.Route, world: own.World) -> tuple[str, ...]:
    return tuple(world.params[p] for p in route.params if not p.endswith("_id"))


def test_every_page_is_classified_or_public() -> None:
    names = {r.name for r in pages()}
    unknown = sorted(names - PAGES.keys() - PUBLIC.keys())
    assert not unknown, (
        f"pages without an ownership classification: {unknown}. Add each to PAGES (or PUBLIC, "
        "with a reason) in tests/web/test_ownership.py, saying what a coach may do there."
    )
    assert not sorted(PAGES.keys() - names), "PAGES names routes that no longer exist"


def test_the_owner_reaches_every_page_with_her_own_ids(world: own.World) -> None:
    """Otherwise a stranger's 404 below would prove nothing."""

    def judge(route: own.Route, what: str, response: Any, diff: set[str]) -> str | None:
        if response.status_code == 404 and not PAGES[route.name].owner_not_found:
            return "is 404 for the owner"
        return None

    assert_none(client_for(world.alice), world, judge, athlete=False, watch=False)


@pytest.mark.parametrize("athlete", [False, True], ids=["own-ids", "with-athlete"])
def test_a_stranger_gets_nothing_of_alices_on_any_page(world: own.World, athlete: bool) -> None:
    def judge(route: own.Route, what: str, response: Any, diff: set[str]) -> str | None:
        if "alice" in own.shown(response, echoed(route, world)):
            return f"shows alice's data ({response.status_code})"
        if ID_PARAMS & set(route.params) and response.status_code not in {404, 405}:
            return f"answered {response.status_code}, not 404"
        return f"changed alice's {sorted(diff)}" if diff else None

    assert_none(client_for(world.charlie), world, judge, athlete=athlete)


@pytest.mark.parametrize("athlete", [False, True], ids=["own-ids", "with-athlete"])
def test_a_coach_reads_what_a_coach_may_and_writes_only_that(
    world: own.World, athlete: bool
) -> None:
    def judge(route: own.Route, what: str, response: Any, diff: set[str]) -> str | None:
        access, posted = PAGES[route.name], what.startswith("POST")
        if any(s in own.shown(response) for s in world.secrets):
            return "shows alice's account settings"
        allowed = access.coach_writes if posted else frozenset()
        if diff - allowed:
            return f"changed alice's {sorted(diff - allowed)}"
        status = response.status_code
        if athlete and access.coach_reads and not posted and status == 404:
            return "is 404 for her coach, who may read it"
        coach_page = access.coach_reads or (posted and access.coach_writes)
        if not coach_page and ID_PARAMS & set(route.params) and status not in {404, 405}:
            return f"answered {status} on a runner-only page, not 404"
        return None

    assert_none(client_for(world.bob), world, judge, athlete=athlete)


def test_anonymous_visitors_are_sent_to_log_in(world: own.World) -> None:
    def judge(route: own.Route, what: str, response: Any, diff: set[str]) -> str | None:
        location = response.get("Location", "")
        if response.status_code != 405 and not location.startswith("/login/"):
            return f"answered {response.status_code} without a login"
        return f"changed alice's {sorted(diff)}" if diff else None

    assert_none(Client(), world, judge, athlete=True)


def test_no_page_changes_anything_on_get(world: own.World) -> None:
    """GET changes nothing: CSRF guards only the other methods, and a GET request reads each
    runner's stamp once (revision.ReadOnlyScope), so a GET that wrote would serve stale pages.
    The stamp itself is compared too (rows_of leaves updated_at out)."""
    client = client_for(world.alice)

    def stamp() -> list[Any]:
        return list(RunnerProfile.objects.filter(user=world.alice).values_list("updated_at"))

    before, stamped = own.rows_of(world.alice), stamp()
    wrote = []
    for route in pages():
        if route.name in PUBLIC:
            continue
        url = own.url_for(route, world.params)

        def send(u: str = url) -> Any:
            response = client.get(u)
            return response if stamp() == stamped else RuntimeError("moved the stamp")

        response, diff = own.request_rolled_back(send, world.alice, before)
        if diff or isinstance(response, Exception):
            wrote.append(f"GET {url}: {sorted(diff) or response}")
    assert not wrote


Judge = Callable[[own.Route, str, Any, set[str]], "str | None"]


def assert_none(
    client: Client, world: own.World, judge: Judge, *, athlete: bool, watch: bool = True
) -> None:
    """Visit every page; fail naming each route where ``judge`` (or a 5xx) finds a problem."""
    findings = []
    for route, what, response, diff in visit(client, world, athlete=athlete, watch=watch):
        problem = failed(response) or judge(route, what, response, diff)
        if problem:
            findings.append(f"{route.name}: {what} {problem}")
    assert not findings, "\n".join(findings)


# --- the API: every operation in /api/openapi.json -----------------------------------------

REFUSED = {401, 404, 405, 422}  # statuses that tell a stranger nothing
# What a coach must be able to read about a linked athlete (issue 8: plan, logs, progress,
# load, runs, notes, the dashboard card). Other operations taking ``athlete`` may refuse a
# coach with 404; none may show him her account or let him change more than COACH_MODELS.
COACH_READS_API = {
    "GET /api/profile",
    "GET /api/plan",
    "GET /api/exercises",
    "GET /api/exercises/{slug}",
    "GET /api/runs",
    "GET /api/runs/{run_id}",
    "GET /api/sessions",
    "GET /api/sessions/{session_id}",
    "GET /api/checkins",
    "GET /api/progress",
    "GET /api/progress/{slug}",
    "GET /api/progress/{slug}/pin",
    "GET /api/load",
    "GET /api/notes",
    "GET /api/coach/athletes/{athlete_id}",
    "GET /api/outcomes",
    "GET /api/outcomes/schedule",
}
# Operations whose filled-in ids reach nothing in the world, each for a reason.
UNREACHABLE = {
    "POST /api/coach-links/{link_id}/accept": "accepts a pending invitation; the world's is active",
}


def visit_api(
    client: Client, world: own.World, *, athlete: bool, watch: bool = True
) -> Iterator[tuple[own.Operation, Any, set[str]]]:
    before = own.rows_of(world.alice) if watch else None
    alice = str(world.alice.pk)
    for op in own.operations(world.doc):
        response, diff = own.request_rolled_back(
            lambda op=op: own.call(client, op, world, athlete=alice if athlete else None),
            world.alice,
            None if op.method == "get" else before,
        )
        yield op, response, diff


ApiJudge = Callable[[own.Operation, Any, set[str]], "str | None"]


def assert_api_none(
    client: Client, world: own.World, judge: ApiJudge, *, athlete: bool, watch: bool = True
) -> None:
    findings = []
    for op, response, diff in visit_api(client, world, athlete=athlete, watch=watch):
        problem = failed(response) or judge(op, response, diff)
        if problem:
            findings.append(f"{op}: {problem}")
    assert not findings, "\n".join(findings)


def test_the_api_document_lists_the_operations(world: own.World) -> None:
    listed = {str(op) for op in own.operations(world.doc)}
    assert {"GET /api/me", "GET /api/runs/{run_id}"} <= listed
    assert not (COACH_READS_API | UNREACHABLE.keys()) - listed, "stale entries in this file"
    assert all(not op.public for op in own.operations(world.doc)), "an operation without auth"


def test_every_api_id_names_an_object_the_owner_or_her_coach_reaches(world: own.World) -> None:
    """The ids filled in are real: a stranger's 404 below then means something."""
    tokens = world.tokens
    alice, bob = own.token_client(tokens["alice"]), own.token_client(tokens["bob"])
    reached: dict[str, set[int]] = {}
    for client in (alice, bob):
        for op, response, _ in visit_api(client, world, athlete=client is bob, watch=False):
            assert failed(response) is None, f"{op}: {failed(response)}"
            reached.setdefault(str(op), set()).add(response.status_code)
    lost = sorted(
        op
        for op, codes in reached.items()
        if codes <= {404} and "{" in op and op not in UNREACHABLE
    )
    assert not lost, f"404 for both the owner and her coach: {lost}"


def test_the_owner_uses_every_api_operation_without_a_server_error(world: own.World) -> None:
    def judge(op: own.Operation, response: Any, diff: set[str]) -> str | None:
        if op.method == "get" and not op.params and response.status_code != 200:
            return f"answered {response.status_code} to the owner"
        return None

    alice = own.token_client(world.tokens["alice"])
    assert_api_none(alice, world, judge, athlete=False, watch=False)


@pytest.mark.parametrize("athlete", [False, True], ids=["own-ids", "with-athlete"])
def test_a_stranger_gets_nothing_of_alices_from_the_api(world: own.World, athlete: bool) -> None:
    def judge(op: own.Operation, response: Any, diff: set[str]) -> str | None:
        echo = tuple(world.params[p] for p in op.params if not p.endswith("_id"))
        if "alice" in own.shown(response, echo):
            return f"shows alice's data ({response.status_code})"
        about_alice = ID_PARAMS & set(op.params) or (athlete and op.takes_athlete)
        if about_alice and response.status_code not in REFUSED:
            return f"answered {response.status_code}, not 404"
        return f"changed alice's {sorted(diff)}" if diff else None

    assert_api_none(own.token_client(world.tokens["charlie"]), world, judge, athlete=athlete)


@pytest.mark.parametrize("athlete", [False, True], ids=["own-ids", "with-athlete"])
def test_a_coach_reads_through_the_api_and_writes_only_coach_things(
    world: own.World, athlete: bool
) -> None:
    def judge(op: own.Operation, response: Any, diff: set[str]) -> str | None:
        if any(s in own.shown(response) for s in world.secrets):
            return "shows alice's account settings"
        if diff - COACH_MODELS:
            return f"changed alice's {sorted(diff - COACH_MODELS)}"
        offered = str(op) in COACH_READS_API and (athlete or "athlete_id" in op.params)
        if offered and response.status_code != 200:
            return f"answered {response.status_code} to her coach, who may read it"
        return None

    assert_api_none(own.token_client(world.tokens["bob"]), world, judge, athlete=athlete)


def test_anonymous_callers_get_401_from_every_api_operation(world: own.World) -> None:
    def judge(op: own.Operation, response: Any, diff: set[str]) -> str | None:
        if response.status_code != 401:
            return f"answered {response.status_code} without credentials"
        return f"changed alice's {sorted(diff)}" if diff else None

    assert_api_none(Client(), world, judge, athlete=True)


ODD_IDS = ("²", str(2**70))  # a digit int() refuses; an id past any database key


def test_odd_athlete_ids_are_refused_never_a_server_error(world: own.World) -> None:
    pages_client, api_client = client_for(world.bob), own.token_client(world.tokens["bob"])
    findings = []
    for odd in ODD_IDS:
        for route in (r for r in pages() if r.name not in PUBLIC):
            url = f"{own.url_for(route, world.params)}?athlete={odd}"
            for send in (lambda u=url: pages_client.get(u), lambda u=url: pages_client.post(u)):
                response, _ = own.request_rolled_back(send, world.alice, None)
                findings += [f"{route.name}: {url} {failed(response)}"] if failed(response) else []
        for op in own.operations(world.doc):
            response, _ = own.request_rolled_back(
                lambda op=op, odd=odd: own.call(api_client, op, world, athlete=odd),
                world.alice,
                None,
            )
            findings += [f"{op} athlete={odd} {failed(response)}"] if failed(response) else []
    assert not findings, "\n".join(findings)
