# r2p — common tasks. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra fonts-liberation poppler-utils
BROWSER_PACKAGES := chromium libatomic1
# Node and npm only install test tools (axe-core, for the accessibility checks in tests/browser/axe.py).
NODE_PACKAGES := nodejs npm
# Optional: LibreOffice lays out the DOCX export for the slow test (tests marked slow skip without soffice).
OFFICE_PACKAGES := libreoffice-writer-nogui
# make cluster: nginx in front of two gunicorn servers, Redis for cache and task queue (PostgreSQL: .ci/run's).
CLUSTER_PACKAGES := nginx redis-server postgresql
REDIS_URL_TEST ?= redis://127.0.0.1:6379/1
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/postgres
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: run setup system-packages browser-packages node-packages office-packages cluster-packages cluster test-slow test test-pg lint bench loadtest check-deploy clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

setup: system-packages $(VENV)/.installed

# WeasyPrint needs Pango and fonts; install them as root, else say what to install.
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install these system packages (for PDF export): $$missing"; fi; \
	fi

browser-packages:
	@missing=$$(for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Browser tests need: $$missing (they are skipped without /usr/bin/chromium)"; fi; \
	fi

# axe-core into node_modules/ (package.json, package-lock.json); browser tests skip the axe checks without it.
node-packages: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@missing=$$(for p in $(NODE_PACKAGES); do command -v $$(echo $$p | sed s/nodejs/node/) >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The accessibility checks need: $$missing"; exit 0; fi; \
	fi; \
	npm ci --no-audit --no-fund --loglevel=error && touch $@

office-packages:
	@missing=$$(for p in $(OFFICE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The DOCX layout check needs: $$missing (the slow test is skipped without soffice)"; fi; \
	fi

# The slow checks: the DOCX export laid out by LibreOffice.
test-slow: setup office-packages
	$(PY) -m pytest -q -p no:cacheprovider -m slow

cluster-packages:
	@missing=$$(for p in $(CLUSTER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "make cluster needs: $$missing"; exit 1; fi; \
	fi

# The web server and, beside it, the background task worker (database queue); Ctrl-C stops both.
run: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py loaddemo --with-2025-coverage
	@echo "Serving on http://127.0.0.1:8000/  (log in at http://127.0.0.1:8000/accounts/login/); task worker log: var/worker.log"
	@$(PY) manage.py r2p_worker >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# nginx on 127.0.0.1:$(CLUSTER_PORT) in front of two gunicorn servers, one task worker, PostgreSQL and Redis on
# 127.0.0.1 (started if they do not answer); the same settings as several machines would use. Ctrl-C stops it.
CLUSTER_PORT ?= 8102
cluster: setup cluster-packages
	CLUSTER_PORT=$(CLUSTER_PORT) PY=$(PY) bash deploy/cluster/run.sh

test: setup browser-packages node-packages
	$(PY) -m pytest -q -p no:cacheprovider

# PostgreSQL, and the background tasks also on RQ/Redis (tests/background): REDIS_URL (default Redis db 1).
test-pg: setup browser-packages node-packages
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_PG)} REDIS_URL=$${REDIS_URL:-$(REDIS_URL_TEST)} \
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-deploy: $(VENV)/.installed
	env -u DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE=r2p.settings.prod \
	DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=r2p.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

# A fresh database: var/bench/db.sqlite3 (recreated), or the PostgreSQL database in DATABASE_URL (flushed).
# BENCH_SCALE=full: every UN member state × 5 cycles (~35,000 indicator assessments, ~800,000 history rows),
# instead of 40 countries × 3 cycles; the database and results go to var/bench-full/.
BENCH_SCALE ?= default
BENCH_DIR := $(CURDIR)/var/$(if $(filter full,$(BENCH_SCALE)),bench-full,bench)
bench: setup
	@mkdir -p $(BENCH_DIR)
	@if [ -z "$$DATABASE_URL" ]; then rm -f $(BENCH_DIR)/db.sqlite3 $(BENCH_DIR)/db.sqlite3-wal $(BENCH_DIR)/db.sqlite3-shm; fi
	R2P_VAR_DIR=$(BENCH_DIR) $(PY) manage.py migrate --noinput -v0
	R2P_VAR_DIR=$(BENCH_DIR) $(PY) manage.py bench --scale $(BENCH_SCALE) --output $(BENCH_DIR)/results.json $(BENCH_ARGS)

# Load test on loopback: a fresh var/loadtest/db.sqlite3 (or the PostgreSQL database in DATABASE_URL, flushed)
# with the demo data, the benchmark dataset and its finished annexes published; gunicorn on 127.0.0.1:$(LOADTEST_PORT);
# locust, 50 users for 60 s; prints requests, failures, p50/p95/p99 and whether the target is met.
LOADTEST_PORT ?= 8770
LOADTEST_ENV := DJANGO_SETTINGS_MODULE=r2p.settings.loadtest R2P_VAR_DIR=$(CURDIR)/var/loadtest
loadtest: setup
	@mkdir -p var/loadtest
	@rm -rf var/loadtest/cache
	@if [ -z "$$DATABASE_URL" ]; then rm -f var/loadtest/db.sqlite3 var/loadtest/db.sqlite3-wal var/loadtest/db.sqlite3-shm; fi
	@$(LOADTEST_ENV) $(PY) manage.py migrate --noinput -v0
	@$(LOADTEST_ENV) $(PY) manage.py collectstatic --noinput -v0
	@$(LOADTEST_ENV) $(PY) manage.py flush --noinput -v0
	@$(LOADTEST_ENV) $(PY) manage.py loaddemo >/dev/null
	@$(LOADTEST_ENV) $(PY) manage.py build_dataset --countries 40 --publish
	@$(LOADTEST_ENV) $(PY) manage.py loadtest --port $(LOADTEST_PORT) $(LOADTEST_ARGS)

clean:
	rm -rf var .pytest_cache
