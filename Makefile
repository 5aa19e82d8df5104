# Cyberdiplo: `make run` serves the site with the curated content, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install install-dev content check-content clean

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
run: install content
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

content: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py create_demo_users

## Check data/ against the format and the database's rules without writing
check-content: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content --dry-run

## The whole suite, browser tests included (needs Debian's chromium: apt-get install chromium)
test: install-dev
	$(BIN)/python -m pytest

## Time the main pages against the curated content; fails when a target is missed
bench: content
	$(BIN)/python manage.py bench

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .data staticfiles .pytest_cache .ruff_cache
