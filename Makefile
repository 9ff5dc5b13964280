# kneecap developer entry points. Every target bootstraps what it needs and is idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export KNEECAP_DATA_DIR ?= $(CURDIR)/var

.PHONY: install run test lint fmt check test-sqlite test-postgres browser bench fuzz clean load scale-out screenshots

install: $(STAMP)

# Re-installs only when the lock or the project metadata changed.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

run: install
	$(BIN)/kneecap migrate
	@echo "kneecap is starting at http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/kneecap serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python tools/no_cycles.py
	$(BIN)/python -m django makemigrations --check --dry-run --settings=kneecap.web.settings

# Phone and desktop, light and dark, of the main pages with a seeded year (docs/design.md).
screenshots: install
	$(BIN)/python tools/screenshots.py --out docs/screenshots

fmt: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test-sqlite: install
	KNEECAP_DATABASE_URL= $(BIN)/pytest -q -n 2 --dist loadgroup

# PostgreSQL runs when reachable (always under CI=true, where .ci/run starts it). What never
# touches the database under test ran in the SQLite pass: the core, the readers and the
# exports, the browser tests, and the tests that start their own instances on both.
test-postgres: install
	@if $(BIN)/python tools/pg_available.py; then \
	  KNEECAP_DATABASE_URL=$${KNEECAP_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/kneecap} \
	  $(BIN)/pytest -q -n 2 --dist loadgroup -m "not browser and not instances" \
	    --ignore=tests/core --ignore=tests/ingest --ignore=tests/export; \
	else echo "PostgreSQL not reachable: skipping the PostgreSQL run (CI=true requires it)"; \
	  test "$$CI" != "true"; fi

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python bench/run.py

# The full load test (5 years of data, 1/4/16 clients, an import under load) on SQLite and,
# when reachable, PostgreSQL; each replaces its own table in bench/load_results.md.
load: install
	$(BIN)/python bench/load.py --out bench/load_results.md
	@if $(BIN)/python tools/pg_available.py; then \
	  $(BIN)/python bench/load.py --postgres --out bench/load_results.md; fi

# Two gunicorn web processes and one import worker on a scratch PostgreSQL database.
scale-out: install
	$(BIN)/pytest -q tests/test_scale_out.py

# Coverage-guided fuzzing of the FIT, GPX, TCX and archive readers (atheris, libFuzzer),
# FUZZ_SECONDS per target; atheris lives in var/fuzz/site, outside .venv and the lock.
FUZZ_SECONDS ?= 60
FUZZ_SITE := var/fuzz/site
fuzz: install
	@test -d $(FUZZ_SITE)/atheris || $(BIN)/python -m pip install --quiet \
	  --disable-pip-version-check --target $(FUZZ_SITE) -r fuzz/requirements.txt
	PYTHONPATH=$(FUZZ_SITE) $(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis
