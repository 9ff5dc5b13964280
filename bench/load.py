"""Bounded load test: gunicorn on loopback, a runner with 5 years of data, 1/4/16 clients.

    .venv/bin/python bench/load.py                     # SQLite, the full run (make load)
    .venv/bin/python bench/load.py --postgres          # a scratch database on 127.0.0.1
    .venv/bin/python bench/load.py --quick             # small counts, for CI (no timing asserts)

It builds a fresh instance in a temporary folder, seeds ``runner`` (bench/seed_history.py)
and ``coach``, starts gunicorn (src/kneecap/web/gunicorn.conf.py) on a free port on
127.0.0.1 and one ``kneecap worker`` (it runs the re-plans that logging queues), and sends a
fixed number of requests per endpoint and client count, each client a thread with its own
keep-alive connection. Then it runs ``kneecap import`` of a synthetic 3,000-run export in
the background and keeps reading until it ends, counting errors.
Prints a Markdown table (requests/s, p50/p95/p99 in ms, errors) and the import figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import timeit
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))
from seed_history import session_payload, synthetic_export  # noqa: E402

POSTGRES = os.environ.get(
    "KNEECAP_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
CSRF = "k" * 32  # any 32-character secret works as a CSRF cookie and matching header
READS = {
    "today": ("runner", "/today/"),
    "history": ("runner", "/history/"),
    "dashboard": ("coach", "/coaching/athletes/"),
    "runs": ("runner", "/runs/"),
    "api runs": ("runner", "/api/runs"),
}


@dataclass
class Result:
    endpoint: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    driver_cpu_s: float = 0.0  # this script's own CPU: it shares the 2 cores with the server

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def row(self) -> str:
        return (
            f"| {self.endpoint} | {self.clients} | {len(self.latencies)} | {self.rate:.0f} | "
            f"{self.pct(0.50):.1f} | {self.pct(0.95):.1f} | {self.pct(0.99):.1f} | "
            f"{len(self.errors)} | {self.driver_ms:.2f} |"
        )

    @property
    def driver_ms(self) -> float:
        done = len(self.latencies) + len(self.errors)
        return 1000 * self.driver_cpu_s / done if done else float("nan")


HEADER = (
    "| endpoint | clients | requests | requests/s | p50 ms | p95 ms | p99 ms | errors "
    "| driver CPU ms/request |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


class Client:
    """One keep-alive connection with a signed-in session.

    Plain HTTP/1.1 on a socket with the request's fixed headers prepared once: the driver
    shares the 2 cores with the server, and http.client's request and response objects cost
    0.5-0.9 ms of CPU a request (the "driver CPU" column), a tenth of the machine at 16
    clients. Responses are read whole (Django's CommonMiddleware sets Content-Length).
    """

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.head = (
            f"Host: 127.0.0.1:{port}\r\nCookie: sessionid={cookie}; csrftoken={CSRF}\r\n"
            f"X-CSRFToken: {CSRF}\r\n"
        )
        self.sock: socket.socket | None = None
        self.buffer = b""

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        extra = "" if body is None else "Content-Type: application/json\r\n"
        extra += f"Content-Length: {len(body)}\r\n" if body is not None else ""
        message = f"{method} {path} HTTP/1.1\r\n{self.head}{extra}\r\n".encode() + (body or b"")
        for attempt in (0, 1):  # the server may close an idle keep-alive connection
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.buffer = b""
            try:
                self.sock.sendall(message)
                return self._response()
            except (BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _receive(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionResetError("the server closed the connection")
        self.buffer += chunk

    def _response(self) -> int:
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        if "content-length" not in fields:
            raise http.client.HTTPException(f"HTTP {status} without a Content-Length")
        length = int(fields["content-length"])
        while len(self.buffer) < length:
            self._receive()
        self.buffer = self.buffer[length:]
        if fields.get("connection") == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None


Call = Callable[[Client], tuple[int, set[int]]]


def read_call(path: str) -> Call:
    return lambda client: (client.request("GET", path), {200})


def write_call(client: Client) -> tuple[int, set[int]]:
    """Log a session (the guided session's save), each with its own client_id."""
    payload = session_payload(datetime.now(UTC).date(), random.Random())
    payload["client_id"] = str(uuid.uuid4())
    return client.request("POST", "/sessions/", json.dumps(payload).encode()), {201}


def drive(
    port: int, cookie: str, call: Call, clients: int, total: int, limit_s: float, name: str
) -> Result:
    """``total`` requests shared by ``clients`` threads; stops early after ``limit_s``."""
    result = Result(name, clients, 0.0)
    lock = threading.Lock()
    left = [total]
    deadline = time.monotonic() + limit_s

    def worker() -> None:
        client = Client(port, cookie)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                started = time.perf_counter()
                try:
                    status, ok = call(client)
                except (OSError, http.client.HTTPException) as exc:
                    status, ok = 0, {200}
                    error = f"{type(exc).__name__}: {exc}"
                else:
                    error = f"HTTP {status}"
                elapsed = time.perf_counter() - started
                with lock:
                    if status in ok:
                        result.latencies.append(elapsed)
                    else:
                        result.errors.append(error)
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.driver_cpu_s = time.process_time() - cpu
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def instance_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KNEECAP_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kneecap.web.settings",
        KNEECAP_DATA_DIR=str(data_dir),
        KNEECAP_SECRET_KEY="load-test-" + uuid.uuid4().hex,
        KNEECAP_LOG_LEVEL="WARNING",
    )
    if database_url:
        env["KNEECAP_DATABASE_URL"] = database_url
    return env


@contextmanager
def scratch_postgres(admin_url: str) -> Iterator[str]:
    import psycopg

    name = f"kneecap_load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A server process until the block ends."""
    process = subprocess.Popen(command, env=env)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def gunicorn(
    env: dict[str, str], port: int, workers: int | None, threads: int | None
) -> Iterator[None]:
    """The production server on 127.0.0.1:port until the block ends."""
    conf = REPO / "src" / "kneecap" / "web" / "gunicorn.conf.py"
    command = [str(BIN / "gunicorn"), "-c", str(conf), "--bind", f"127.0.0.1:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    with running(command, env) as process:
        wait_for(port, process)
        yield


def wait_for(port: int, process: subprocess.Popen[bytes], limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def seed(env: dict[str, str], years: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, str(BENCH / "seed_history.py"), "--years", str(years), "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@dataclass
class Options:
    requests: int = 1500
    writes: int = 600
    clients: tuple[int, ...] = (1, 4, 16)
    limit_s: float = 60.0
    import_count: int = 3000
    import_limit_s: float = 600.0
    years: int = 5
    workers: int | None = None  # gunicorn.conf.py's own
    threads: int | None = None


def warm(port: int, cookies: dict[str, str], workers: int | None) -> None:
    """Each worker process computes the report once; later requests find it cached."""
    for name, (who, path) in READS.items():
        processes = workers or os.cpu_count() or 1
        drive(port, cookies[who], read_call(path), processes * 2, processes * 4, 60, name)


def run_phases(port: int, cookies: dict[str, str], opts: Options) -> list[Result]:
    results = []
    for clients in opts.clients:
        warm(port, cookies, opts.workers)
        for name, (who, path) in READS.items():
            call = read_call(path)
            results.append(
                drive(port, cookies[who], call, clients, opts.requests, opts.limit_s, name)
            )
            print(results[-1].row(), file=sys.stderr, flush=True)
        results.append(
            drive(
                port, cookies["runner"], write_call, clients, opts.writes, opts.limit_s, "log a set"
            )
        )
        print(results[-1].row(), file=sys.stderr, flush=True)
    return results


def import_under_load(
    env: dict[str, str], port: int, cookies: dict[str, str], opts: Options, folder: Path
) -> tuple[list[Result], float, str]:
    """Reads at 4 clients while ``kneecap import`` stores the synthetic export."""
    export = synthetic_export(folder / "export.zip", opts.import_count)
    started = time.perf_counter()
    output = folder / "import.json"  # a file, not a pipe: the report lists every activity
    with open(output, "wb") as sink:
        importer = subprocess.Popen(
            [str(BIN / "kneecap"), "import", str(export), "--user", "runner", "--json"],
            env=env,
            stdout=sink,
            stderr=subprocess.DEVNULL,
        )
    results = []
    names = list(READS)
    n = 0
    deadline = time.monotonic() + opts.import_limit_s
    while importer.poll() is None and time.monotonic() < deadline:
        name = names[n % len(names)]
        who, path = READS[name]
        results.append(drive(port, cookies[who], read_call(path), 4, 40, 30, name))
        n += 1
    importer.wait(timeout=opts.import_limit_s)
    seconds = time.perf_counter() - started
    report = json.loads(output.read_bytes()) if importer.returncode == 0 else {}
    summary = (
        f"imported {report.get('imported')}, duplicates {report.get('duplicates')}, "
        f"errors {len(report.get('errors', []))}, exit {importer.returncode}"
    )
    return results, seconds, summary


def merged(results: list[Result], name: str) -> Result:
    total = Result(name, results[0].clients if results else 0, sum(r.seconds for r in results))
    for r in results:
        total.latencies += r.latencies
        total.errors += r.errors
        total.driver_cpu_s += r.driver_cpu_s
    return total


def run(database_url: str, opts: Options) -> tuple[list[Result], Result, float, str]:
    with tempfile.TemporaryDirectory(prefix="kneecap-load-") as tmp:
        env = instance_env(Path(tmp) / "data", database_url)
        seeded = seed(env, opts.years)
        cookies = dict(seeded["cookies"])  # type: ignore[call-overload]
        print(
            f"seeded {seeded['activities']} runs, {seeded['sessions']} sessions, "
            f"{seeded['sets']} sets",
            file=sys.stderr,
        )
        port = free_port()
        # the worker runs the re-plans that saves queue, as in production
        worker = running([str(BIN / "kneecap"), "worker"], env)
        with gunicorn(env, port, opts.workers, opts.threads), worker:
            results = run_phases(port, cookies, opts)
            during, seconds, summary = import_under_load(env, port, cookies, opts, Path(tmp))
        return results, merged(during, "reads during import"), seconds, summary


def parse() -> tuple[str, Options, Path | None]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", nargs="?", const=POSTGRES, default="")
    parser.add_argument("--quick", action="store_true", help="small counts (CI)")
    parser.add_argument("--requests", type=int, default=1500, help="per endpoint and level")
    parser.add_argument("--writes", type=int, default=600)
    parser.add_argument("--workers", type=int, help="gunicorn processes (default: its config)")
    parser.add_argument("--threads", type=int, help="threads per process (default: its config)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    opts = Options(
        requests=args.requests, writes=args.writes, workers=args.workers, threads=args.threads
    )
    if args.quick:
        opts = Options(
            requests=20,
            writes=10,
            clients=(1, 4),
            limit_s=20,
            import_count=60,
            import_limit_s=60,
            years=1,
            workers=2,
            threads=2,
        )
    return args.postgres, opts, args.out


def core_speed() -> float:
    """Microseconds for ``sum(range(100))``, best of 5: the shared host's speed per core
    varies by half from hour to hour, so each table says what it ran on."""
    timer = timeit.Timer("sum(range(100))")
    return min(timer.repeat(5, 100_000)) / 100_000 * 1e6


def report(
    results: list[Result],
    during: Result,
    seconds: float,
    summary: str,
    database: str,
    speeds: tuple[float, float],
) -> str:
    command = " ".join([".venv/bin/python bench/load.py", *sys.argv[1:]])
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Command: `{command}`  ",
        f"Database: {database}; {os.cpu_count()} cores; load average after the run {load} "
        f"(1/5/15 min; other work shares this machine); `python -m timeit "
        f'"sum(range(100))"` {speeds[0]:.2f} µs before the run, {speeds[1]:.2f} µs after.',
        "",
        HEADER,
        *(r.row() for r in results),
        during.row(),
        "",
    ]
    lines.append(f"Import under load: {seconds:.1f} s ({summary}).")
    return "\n".join(lines)


def write_section(out: Path, database: str, text: str) -> None:
    """Replace this database's section of ``out`` (between markers), keeping the rest."""
    start, end = f"<!-- bench/load.py {database} -->", f"<!-- end {database} -->"
    block = f"{start}\n{text}\n{end}"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if start in old and end in old:
        before, rest = old.split(start, 1)
        new = before + block + rest.split(end, 1)[1]
    else:
        new = f"{old.rstrip()}\n\n{block}\n".lstrip()
    out.write_text(new, encoding="utf-8")


def main() -> int:
    admin_url, opts, out = parse()
    before = core_speed()
    if admin_url:
        with scratch_postgres(admin_url) as url:
            results, during, seconds, summary = run(url, opts)
    else:
        results, during, seconds, summary = run("", opts)
    database = "PostgreSQL" if admin_url else "SQLite"
    text = report(results, during, seconds, summary, database, (before, core_speed()))
    print(text)
    if out:
        write_section(out, database, text)
    errors = sum(len(r.errors) for r in results) + len(during.errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
