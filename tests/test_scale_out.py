"""Production mode across processes: two gunicorn web servers and one import worker.

Both servers and the worker share only PostgreSQL, the data folder (a shared volume in a real
deployment) and the secret key. An export is uploaded through server A while sessions are
logged through A and B at once, each also re-sent through the other server; afterwards every
session is stored exactly once, the worker has imported every run, and the job is done.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.test_concurrency import call, instance_env, scratch_postgres

pytestmark = [pytest.mark.slow, pytest.mark.instances]
REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GUNICORN_CONF = REPO / "src" / "kneecap" / "web" / "gunicorn.conf.py"
SAMPLE_GPX = REPO / "tests" / "data" / "togeojson__missing_hr.gpx"
RUNS = 120  # distinct runs in the uploaded export
SESSIONS = 12  # per logging thread; two threads per server
CSRF = "s" * 32
PROFILE = {
    "runs": {"tue": {"kind": "quality", "minutes": 50}, "sun": {"kind": "long", "minutes": 100}},
    "equipment": ["wall", "rail"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 0,
    "screening": {},
}


def prepare() -> str:
    """In the instance: schema, one onboarded runner, and a signed-in session for them."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.core.management import call_command
    from django.utils import timezone

    from kneecap.db.accounts.models import RunnerProfile

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    user = get_user_model().objects.create_user("runner", password=None)
    RunnerProfile.objects.create(user=user, data=PROFILE, onboarded_at=timezone.now())
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def export_zip(target: Path, count: int) -> Path:
    """``count`` different runs: a GPX sample with every timestamp moved a day further."""
    text = SAMPLE_GPX.read_text(encoding="utf-8")
    origin = datetime.fromisoformat(re.findall(r"<time>([^<]+)</time>", text)[0])
    with zipfile.ZipFile(target, "w") as archive:
        for n in range(count):
            shift = datetime(2010, 1, 1, 6, tzinfo=UTC) + timedelta(days=n) - origin

            def moved(match: re.Match[str], shift: timedelta = shift) -> str:
                at = datetime.fromisoformat(match.group(1)) + shift
                return f"<time>{at:%Y-%m-%dT%H:%M:%SZ}</time>"

            archive.writestr(f"export/{n:04d}.gpx", re.sub(r"<time>([^<]+)</time>", moved, text))
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(
    port: int, cookie: str, method: str, path: str, body: bytes = b"", kind: str = ""
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"sessionid={cookie}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
    if kind:
        headers["Content-Type"] = kind
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_until_up(port: int, process: subprocess.Popen[bytes], limit_s: float = 30) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "the web process exited"
        try:
            if request(port, "", "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answers on port {port}")


@contextmanager
def running(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """The process until the block ends; its log in the data folder, for a failing run."""
    log = Path(env["KNEECAP_DATA_DIR"]) / f"{Path(command[0]).name}-{uuid.uuid4().hex[:6]}.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, env=env, stderr=sink)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def web(stack: ExitStack, env: dict[str, str]) -> int:
    port = free_port()
    command = [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}"]
    process = stack.enter_context(running([*command, "--workers", "1"], env))
    wait_until_up(port, process)
    return port


def upload(port: int, cookie: str, archive: Path) -> int:
    """POST the export as the upload form does; the job id from the redirect."""
    boundary = uuid.uuid4().hex
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n',
            CSRF.encode() + b"\r\n",
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="file"; filename="export.zip"\r\n',
            b"Content-Type: application/zip\r\n\r\n",
            archive.read_bytes() + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
    )
    kind = f"multipart/form-data; boundary={boundary}"
    status, headers, _ = request(port, cookie, "POST", "/runs/import/", body, kind)
    assert status == 302, status
    return int(re.findall(r"/runs/import/(\d+)/", headers["Location"])[0])


def session(day: date, client_id: str) -> bytes:
    sets = [{"reps": 10, "hold_s": 3}] * 3
    entry = {"exercise": "tibialis-raise", "level": "both-legs", "pain_during": 0, "sets": sets}
    payload = {"date": day.isoformat(), "client_id": client_id, "exercises": [entry]}
    return json.dumps(payload).encode()


def log_sessions(first: int, second: int, cookie: str, sent: list[str], errors: list[str]) -> None:
    """Each session through one server, then re-sent through the other (an offline retry)."""
    for n in range(SESSIONS):
        client_id = str(uuid.uuid4())
        body = session(date(2025, 1, 1) + timedelta(days=n), client_id)
        kind = "application/json"
        created = request(first, cookie, "POST", "/sessions/", body, kind)[0]
        again = request(second, cookie, "POST", "/sessions/", body, kind)[0]
        if (created, again) != (201, 200):
            errors.append(f"{client_id}: {created} then {again}")
        sent.append(client_id)


def job_state(url: str, job_id: int) -> tuple[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT status, imported FROM runs_importjob WHERE id = %s", (job_id,)
        ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1])


def stored(url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url) as conn:
        sessions = conn.execute(
            "SELECT client_id::text, count(*) FROM training_sessionlog GROUP BY client_id"
        ).fetchall()
        runs = conn.execute("SELECT count(*) FROM runs_activity").fetchone()
    return {"sessions": dict(sessions), "runs": runs[0] if runs else 0}


def wait_for_job(url: str, job_id: int, limit_s: float = 60) -> tuple[str, int]:
    deadline = time.monotonic() + limit_s
    state = job_state(url, job_id)
    while state[0] not in {"done", "failed"} and time.monotonic() < deadline:
        time.sleep(0.5)
        state = job_state(url, job_id)
    return state


@pytest.fixture
def production(tmp_path: Path) -> Iterator[tuple[dict[str, str], str]]:
    with scratch_postgres() as url:
        env = instance_env(tmp_path / "data", url)
        env["KNEECAP_SECRET_KEY"] = uuid.uuid4().hex * 2  # the same in every process
        env["KNEECAP_LOG_LEVEL"] = "WARNING"
        yield env, url


def test_two_web_processes_and_a_worker_stay_consistent(
    production: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, url = production
    cookie = call(env, prepare)
    archive = export_zip(tmp_path / "export.zip", RUNS)
    with ExitStack() as stack:
        a, b = web(stack, env), web(stack, env)
        stack.enter_context(running([str(BIN / "kneecap"), "worker"], env))
        css = re.findall(
            r'href="(/static/[^"]+\.css)"', request(a, cookie, "GET", "/today/")[2].decode()
        )
        assert css and request(b, cookie, "GET", css[0])[0] == 200  # whitenoise, hashed name
        sent: list[str] = []
        errors: list[str] = []
        loggers = [
            threading.Thread(target=log_sessions, args=(x, y, cookie, sent, errors))
            for x, y in ((a, b), (b, a), (a, b), (b, a))
        ]
        for thread in loggers:
            thread.start()
        job_id = upload(a, cookie, archive)
        for thread in loggers:
            thread.join(timeout=60)
        state = wait_for_job(url, job_id)
    assert errors == []
    assert state == ("done", RUNS)
    found = stored(url)
    assert found["sessions"] == dict.fromkeys(sent, 1)
    assert found["runs"] == RUNS
