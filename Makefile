# Cyberdiplo: `make run` serves the site with the curated content, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install install-dev content check-content clean
.PHONY: serve db-start db-stop backup restore port-free
.PHONY: rehearse-scale bench-scale bench-tools messages

$(VENV)/.base: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Cyberdiplo needs Python 3.12 or newer, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

## Create or update the database, load data/ and serve on http://$(HOST):$(PORT)
## (development server; the embedded PostgreSQL stops with it unless `make db-start` started it)
run: port-free install content
	$(BIN)/python -m cyberdiplo.db run -- $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Before installing anything: say at once when the port is taken, and how to pick another.
port-free:
	@$(PYTHON) -c 'import socket; s = socket.socket(socket.AF_INET6 if ":" in "$(HOST)" else socket.AF_INET); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("$(HOST)", $(PORT)))' 2>/dev/null \
		|| { echo "Port $(PORT) on $(HOST) is already in use: stop what listens there, or choose another port, e.g. make $(firstword $(MAKECMDGOALS) run) PORT=8001" >&2; exit 1; }

## Production mode on one machine: migrate, collectstatic and gunicorn (deploy/gunicorn.conf.py)
## on http://$(HOST):$(PORT). Needs SECRET_KEY and ALLOWED_HOSTS; without DATABASE_URL it
## starts the embedded PostgreSQL as its own process (`make db-stop` stops it).
serve: export CYBERDIPLO_ENV = production
serve: export CYBERDIPLO_EMBEDDED_DB = $(if $(strip $(DATABASE_URL)),0,1)
# glibc's allocator: fewer per-thread arenas, blocks of 1 MiB or more returned to the
# system as they are freed, and at most 16 MiB kept free on the heap, so a worker's memory
# stays near what it uses (deploy/systemd sets the same). A lower threshold costs time: at
# 64 KiB every page over that size was mapped and unmapped, 2 ms more on a record page.
serve: export MALLOC_ARENA_MAX = 2
serve: export MALLOC_MMAP_THRESHOLD_ = 1048576
serve: export MALLOC_TRIM_THRESHOLD_ = 16777216
# On a loopback address nothing but this machine connects, over plain HTTP: no redirect to
# https unless asked. Elsewhere TLS ends at the proxy in front (docs/deploy.md).
serve: export SECURE_SSL_REDIRECT := $(or $(SECURE_SSL_REDIRECT),$(if $(filter 127.0.0.1 localhost ::1,$(HOST)),0,1))
serve: port-free install
	@test -n "$$SECRET_KEY" -a -n "$$ALLOWED_HOSTS" || { echo "make serve needs SECRET_KEY and ALLOWED_HOSTS in the environment, e.g. SECRET_KEY=\$$(openssl rand -base64 48) ALLOWED_HOSTS=example.org make serve" >&2; exit 1; }
	@if [ -z "$$DATABASE_URL" ]; then $(BIN)/python -m cyberdiplo.db start; fi
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) exec $(BIN)/gunicorn --config deploy/gunicorn.conf.py

## Start the embedded PostgreSQL (data in .data/postgres) as its own long-lived process
db-start: install
	$(BIN)/python -m cyberdiplo.db start

## Stop the embedded PostgreSQL
db-stop: install
	$(BIN)/python -m cyberdiplo.db stop

## Dump the database (embedded, or DATABASE_URL's) to backups/<UTC timestamp>.dump
backup: install
	$(BIN)/python manage.py backup

## Restore a backup into an empty database: make restore FILE=backups/....dump [FORCE=1 to replace]
restore: install
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=backups/<timestamp>.dump" >&2; exit 1; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(filter 1 yes true,$(FORCE)),--force)

content: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py create_demo_users

## Check data/ against the format and the database's rules without writing (source URLs
## well-formed and one key per page), then print the coverage report of data/: fails on a
## research-process phrase or a placeholder "as of" date, not on coverage shortfalls
check-content: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content --dry-run
	$(BIN)/python manage.py content_report --data --check --fewest 0

## The interface's French and Spanish (locale/): collect the strings marked in templates
## and code into the .po files, then compile the .mo files the site reads (both kept in
## git, so that a clone needs no gettext). Needs GNU gettext (apt-get install gettext).
messages:
	$(BIN)/python manage.py makemessages -l fr -l es --no-location --ignore=.venv --ignore=node_modules --ignore=tests --ignore=.data
	$(BIN)/python manage.py compilemessages --ignore=.venv

## The whole suite, browser tests included (needs Debian's chromium: apt-get install chromium)
test: install-dev
	$(BIN)/python -m pytest --numprocesses=auto --maxprocesses=4

## What visitors feel (issue 10), under production settings as `make serve` sets them:
## gunicorn (deploy/gunicorn.conf.py, 2 workers) against a hello-world page under the same
## settings, wrk per page cached and uncached, a 60 s mix at 64 connections, in-process
## p50/p95 and query counts, worker peak RSS; fails naming each missed target
## (content/bench/targets.py). BENCH_ARGS=--quick for short runs.
BENCH_ENV = CYBERDIPLO_ENV=production CYBERDIPLO_EMBEDDED_DB=$(if $(strip $(DATABASE_URL)),0,1) \
	SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=1048576 \
	MALLOC_TRIM_THRESHOLD_=16777216 \
	SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
bench: install bench-tools
	@if [ -z "$$DATABASE_URL" ]; then $(BIN)/python -m cyberdiplo.db start; fi
	@$(MAKE) --no-print-directory content
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BENCH_ENV) $(BIN)/python manage.py bench $(BENCH_ARGS)

## The same at SCALE_RECORDS (100,000) synthetic records, in a cluster of its own
## (SCALE_PGDATA, generated there once); query counts compared with the shipped content's
## cluster, which is only read. Adds the 100k targets (lists, search, record pages, export).
SCALE_RECORDS ?= 100000
SCALE_PGDATA ?= .data/postgres-scale
bench-scale: install bench-tools
	@test -z "$$DATABASE_URL" || { echo "make bench-scale uses its own embedded cluster ($(SCALE_PGDATA)): unset DATABASE_URL" >&2; exit 1; }
	$(BIN)/python -m cyberdiplo.db start
	EMBEDDED_PGDATA=$(SCALE_PGDATA) $(BIN)/python -m cyberdiplo.db start
	EMBEDDED_PGDATA=$(SCALE_PGDATA) $(BENCH_ENV) $(BIN)/python manage.py migrate --noinput
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	EMBEDDED_PGDATA=$(SCALE_PGDATA) $(BENCH_ENV) $(BIN)/python manage.py bench \
		--scale $(SCALE_RECORDS) --shipped-pgdata $(abspath $(or $(EMBEDDED_PGDATA),.data/postgres)) $(BENCH_ARGS)

# wrk drives the servers (Debian's package, installed as root when missing).
bench-tools:
	@command -v wrk >/dev/null || { \
		[ "$$(id -u)" = 0 ] || { echo "wrk is missing; as root: apt-get install wrk" >&2; exit 1; }; \
		echo "Installing wrk"; apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

## Scale-out rehearsal on loopback: PostgreSQL, Redis, two app servers behind nginx
## (deploy/); smoke test, then load with one app server stopped: zero failed requests
rehearse-scale: install
	bash deploy/rehearse-scale.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .data staticfiles .pytest_cache .ruff_cache
