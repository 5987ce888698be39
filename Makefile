# Digilyft. The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve serve-cluster test lint format messages makemessages system-packages clean bench bench-respondents

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
# DIGILYFT_SITE_URL makes the links in mails (sent by the worker) and the links printed here
# point at the address and port this server runs on.
run: export DEBUG = true
run: export DIGILYFT_SITE_URL = http://$(HOST):$(PORT)
run: export STAFF_OTP_REQUIRED = false
run: messages
	$(PY) manage.py migrate --noinput --verbosity=0
	$(PY) manage.py load_demo
	@echo ""
	@echo "Digilyft is running at http://$(HOST):$(PORT)/"
	@echo "  log in:           http://$(HOST):$(PORT)/accounts/login/"
	@echo "  coordinator login: samordnare.trelleborg / digilyft-demo (also samordnare.ostergotland)"
	@echo "  programme office: programkontoret / digilyft-demo, http://$(HOST):$(PORT)/programme/"
	@echo "  admin:            http://$(HOST):$(PORT)/admin/"
	@echo "  STAFF_OTP_REQUIRED=false: staff log in without a second factor (demo only;"
	@echo "  production asks every staff account for a TOTP code from an authenticator app)"
	@echo "  mail goes to this console; the background worker (db_worker) runs alongside"
	@echo ""
	$(PY) manage.py db_worker --queue-name '*' --verbosity 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## The production setup on this machine, against DATABASE_URL (default the SQLite file in var/):
## migrations, hashed static files, nginx on http://$(HOST):$(PORT)/ (lib/localproxy.py: it reads
## each request whole before gunicorn sees it, and serves the static files), then gunicorn with
## gunicorn.conf.py (WEB_CONCURRENCY workers, default 2 x cores + 1) behind it on the unix socket
## var/gunicorn.sock, and the background worker. DEBUG is off.
serve: PROXY_ARGS = --dir var/nginx --listen $(HOST):$(PORT) --socket var/gunicorn.sock \
	--static "$${STATIC_ROOT:-staticfiles}"
serve: messages
	sh scripts/ensure-system-packages.sh serve
	$(PY) manage.py migrate --noinput --verbosity=0
	$(PY) manage.py collectstatic --noinput --verbosity=0
	@echo ""
	@echo "Digilyft (production setup) at http://$(HOST):$(PORT)/: nginx in front of gunicorn, and"
	@echo "the worker; Ctrl-C stops all three. nginx's files and access log: var/nginx/"
	@echo "  database: $${DATABASE_URL:-sqlite (var/digilyft.sqlite3)}"
	@echo ""
	$(PY) -m lib.localproxy --check $(PROXY_ARGS)
	$(PY) -m lib.localproxy --run $(PROXY_ARGS) & proxy=$$!; \
	$(PY) manage.py db_worker --queue-name '*' --verbosity 1 & worker=$$!; \
	trap 'kill $$worker $$proxy 2>/dev/null' EXIT INT TERM; \
	DIGILYFT_TRUSTED_PROXY_COUNT=$${DIGILYFT_TRUSTED_PROXY_COUNT:-1} \
		$(VENV)/bin/gunicorn -c gunicorn.conf.py --bind unix:var/gunicorn.sock digilyft.wsgi

## Past one machine, on this one (lib/cluster.py): a PostgreSQL primary and a streaming replica,
## Redis, two gunicorn app servers and nginx balancing between them on http://127.0.0.1:$(PORT)/,
## the worker and the demo data. Everything in a fresh folder; Ctrl-C stops all of it.
serve-cluster: export STAFF_OTP_REQUIRED = false
serve-cluster: messages
	sh scripts/ensure-system-packages.sh cluster
	$(PY) -m lib.cluster --port $(PORT)

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

## Measure the national scale on PostgreSQL (BENCH_DATABASE_URL; default a local digilyft_bench),
## sending 5,000 invitations to a local SMTP sink (BENCH_INVITATIONS_DATABASE_URL, BENCH_SMTP_PORT),
## then the respondent load (bench-respondents)
bench: $(VENV)/.installed bench-respondents
	$(VENV)/bin/pip install --quiet duckdb==2.0.0 aiosmtpd==1.4.6
	$(PY) manage.py collectstatic --noinput --verbosity=0
	$(PY) bench/national.py
	$(PY) bench/invitations.py

## The kick-off's load on the production setup: gunicorn on PostgreSQL
## (BENCH_RESPONDENTS_DATABASE_URL; default a local digilyft_bench_respondents), driven by wrk
bench-respondents: messages
	sh scripts/ensure-system-packages.sh bench
	$(PY) bench/respondents.py
