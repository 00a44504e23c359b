# solidarnum — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DJANGO_DEBUG=1 SOLIDARNUM_MFA_REQUIRED=0
PYTEST_ARGS ?=

.PHONY: install run test test-postgres test-browser quality format migrate seed clean bench bench-import bench-national bench-load bench-connectivity bench-sales bench-support schemathesis messages

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

## Install, migrate SQLite, load the demo data and serve on http://127.0.0.1:8000
run: seed
	@echo "solidarnum : http://127.0.0.1:8000  (Ctrl+C pour arrêter)"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole suite on SQLite (browser journeys too when Chromium is installed)
test: install
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## The suite on PostgreSQL (DATABASE_URL defaults to the local server)
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/solidarnum} \
		$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

## Browser journeys only (Playwright driving /usr/bin/chromium)
test-browser: install
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy solidarnum config
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

## Translations: extract what people read into solidarnum/locale, then compile the .mo files
messages: install
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemessages --all --add-location=file
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py compilemessages --ignore '.venv'

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/ staticfiles/ .mypy_cache .ruff_cache

## Time the growing pages on a generated volume (see bench/README.md)
bench: install
	$(BIN)/python bench/run.py

## Time the check and the confirmation of the largest device import (see bench/README.md)
bench-import: install
	$(BIN)/python bench/imports.py

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/solidarnum_bench
PEOPLE ?= 1000000

## Every staff and référent page on PostgreSQL at national scale (PEOPLE=100000 for the smaller one)
bench-national: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --people $(PEOPLE) --only staff

## HTTP load on gunicorn as in production, on the volume bench-national generated
bench-load: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/load.py

## Time the code stock pages and the relay statement on 2 million codes (PostgreSQL, see bench/README.md)
bench-connectivity: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/solidarnum_bench_conn} \
		$(BIN)/python bench/connectivity.py $(BENCH_ARGS)

## Time a sale under 50-way contention and the session report at 2 million sales (PostgreSQL, see bench/README.md)
bench-sales: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/solidarnum_bench_sales} \
		$(BIN)/python bench/sales.py $(BENCH_ARGS)

## Time the agenda, a person's file and the monthly activity at 10 million activity records (PostgreSQL, see bench/README.md)
bench-support: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/solidarnum_bench_support} \
		$(BIN)/python bench/support.py $(BENCH_ARGS)

## Fuzz the partner API (schemathesis, every check, 1,000 examples an operation) on a server it starts
schemathesis: install
	scripts/schemathesis.sh
