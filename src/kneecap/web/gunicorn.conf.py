"""gunicorn defaults for kneecap: ``gunicorn -c src/kneecap/web/gunicorn.conf.py``.

Threaded workers keep HTTP connections alive (the sync worker closes each one) and overlap
database waits; several processes use several cores. Every worker is stateless: sessions live
in the database, background imports in the task queue, cached reports under keys that change
with the data (docs/scale-out.md). Command-line options override these, e.g.
``--bind 0.0.0.0:8000 --workers 8`` (or ``GUNICORN_CMD_ARGS``).
"""

from __future__ import annotations

import os

wsgi_app = "kneecap.web.wsgi:application"
bind = "127.0.0.1:8000"
workers = 2 * (os.cpu_count() or 1)
threads = 4
worker_class = "gthread"
keepalive = 5
timeout = 120
graceful_timeout = 20
forwarded_allow_ips = "127.0.0.1"
