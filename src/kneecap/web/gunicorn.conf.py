"""gunicorn defaults for kneecap: ``gunicorn -c src/kneecap/web/gunicorn.conf.py``.

Threaded workers keep HTTP connections alive (the sync worker closes each one) and overlap
database waits; one process per core uses them all. Every worker is stateless: sessions live
in the database, background imports in the task queue, cached reports under keys that change
with the data (docs/scale-out.md). Command-line options override these, e.g.
``--bind 0.0.0.0:8000 --workers 8`` (or ``GUNICORN_CMD_ARGS``).
"""

from __future__ import annotations

import os

wsgi_app = "kneecap.web.wsgi:application"
bind = "127.0.0.1:8000"
# One process per core, one thread each. A request is 2-4 ms of Python and the database is
# local, so more threads only queue on their process's interpreter lock, and more processes
# than cores queue on the cores: /today/ at 16 clients on 2 cores gave p99 106 ms with
# 4 processes x 4 threads, 63 ms with 2 x 4 and 44-49 ms with 2 x 2 (November). A second
# thread also holds SQLite's write lock while its sibling has the interpreter: logging a
# session at 16 clients gave 165-169 requests/s with 2 x 2 and 214-222 with 2 x 1, reads
# alike (bench/load_results.md, December). With a database across a network, add threads.
workers = os.cpu_count() or 1
threads = 1
# gthread, except that a busy process leaves a new connection to a free one for a moment:
# kept-alive connections split 14 to 2 by chance otherwise (kneecap.web.gunicorn_worker).
worker_class = "kneecap.web.gunicorn_worker.BalancedThreadWorker"
keepalive = 2
# At most this many connections per process: kept-alive connections stay with the process
# that accepted them, and a burst of 16 left one process with 8 while another had 2 (its
# requests queued behind one core while the other idled). More simultaneous connections
# than workers x this wait for a kept-alive one to end (<= ``keepalive`` s): add workers,
# or let a proxy in front hold the browsers' connections (docs/scale-out.md).
worker_connections = 16
timeout = 120
graceful_timeout = 20
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker: object) -> None:
    """Move everything loaded so far out of the garbage collector's sight (``gc.freeze``):
    a full collection otherwise walks all of Django (140,000 objects, a 38 ms pause; 2.5 ms
    once frozen, measured over 2,000 page requests)."""
    import gc

    gc.freeze()


# What the first requests build and keep for the process's life (compiled templates, URL
# and query caches, the kept pages of src/kneecap/application/cache.py) is frozen too,
# once it exists: unfrozen, every full collection walked it again, a 35-65 ms pause about
# every 3 s under load that held all of the process's connections (the slow clusters of
# the 16-client tails).
FREEZE_AFTER = (200, 2000)


def post_request(worker: object, req: object, environ: object, resp: object) -> None:
    import gc

    served = getattr(worker, "kneecap_served", 0) + 1
    setattr(worker, "kneecap_served", served)  # noqa: B010 - gunicorn's worker is untyped
    if served in FREEZE_AFTER:
        gc.collect()  # garbage frozen now would never be freed
        gc.freeze()
