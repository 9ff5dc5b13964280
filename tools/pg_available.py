"""Exit 0 when the PostgreSQL server for the test run answers, 1 otherwise (used by make)."""

import os
import sys

import psycopg

url = os.environ.get("KNEECAP_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
try:
    psycopg.connect(url, connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
