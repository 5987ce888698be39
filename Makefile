# Digilyft. The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages makemessages system-packages clean bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

system-packages:
	sh scripts/ensure-system-packages.sh

messages: $(VENV)/.installed system-packages
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0

## Start the whole product on SQLite with demo data at http://$(HOST):$(PORT)/
run: messages
	DEBUG=true $(PY) manage.py migrate --noinput --verbosity=0
	DEBUG=true $(PY) manage.py load_demo
	@echo ""
	@echo "Digilyft is running at http://$(HOST):$(PORT)/"
	@echo "  coordinator login: samordnare.trelleborg / digilyft-demo (also samordnare.ostergotland)"
	@echo "  programme office (staff, /admin/): programkontoret / digilyft-demo"
	@echo "  STAFF_OTP_REQUIRED=false: staff log in without a second factor (demo only;"
	@echo "  production asks every staff account for a TOTP code from an authenticator app)"
	@echo "  mail goes to this console; the background worker (db_worker) runs alongside"
	@echo ""
	DEBUG=true $(PY) manage.py db_worker --queue-name '*' --verbosity 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true STAFF_OTP_REQUIRED=false $(PY) manage.py runserver $(HOST):$(PORT)

## Run lint and the whole test suite (browser tests included). DATABASE_URL picks the database.
test: messages
	sh scripts/ensure-system-packages.sh test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --verbosity=0
	$(VENV)/bin/pytest

lint:
	$(VENV)/bin/ruff check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Refresh both catalogues after changing user-facing strings
makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l sv -l en --ignore=.venv --no-obsolete
	sh scripts/fill-english-catalogue.sh

clean:
	rm -rf $(VENV) var staticfiles

## Measure the national scale on PostgreSQL (BENCH_DATABASE_URL; default a local digilyft_bench)
bench: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet duckdb==2.0.0
	$(PY) bench/national.py
