# Bulletin: `make run` serves the demo at http://127.0.0.1:8000/ (PORT=8001 for another port),
# `make test` runs the tests.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT   ?= 8000

.PHONY: screenshots run test install messages reliability-report lint stack-up stack-down stack-smoke compose-config bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0

run: messages
	mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_demo
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(MANAGE) serve 127.0.0.1:$(PORT)

test: messages
	$(PY) -m pytest $(PYTEST_ARGS)

# docs/screenshots/: the demo's home, topic, article and email in each language
# at 1280 and 390 px, from a database of its own (needs /usr/bin/chromium).
screenshots: messages
	mkdir -p var
	rm -f var/screenshots.sqlite3
	DATABASE_URL=sqlite:///var/screenshots.sqlite3 $(MANAGE) migrate --noinput -v 0
	DATABASE_URL=sqlite:///var/screenshots.sqlite3 $(MANAGE) load_demo >/dev/null
	DATABASE_URL=sqlite:///var/screenshots.sqlite3 $(MANAGE) screenshots

# Benchmarks (bench/README.md): its own database, Redis and SMTP sink; writes bench/RESULTS.md.
# BENCH_ARGS=--quick for a fast smoke run.
bench: messages
	$(PY) bench/run.py $(BENCH_ARGS)

# docs/RELIABILITY.md from the last tests/reliability run's figures (the tests never write it).
reliability-report: install
	$(PY) scripts/reliability_report.py

lint: install
	$(PY) -m ruff check .
	$(MANAGE) makemigrations --check --dry-run

# The production stack as plain processes (PostgreSQL and Redis from DATABASE_URL
# and REDIS_URL, or their local defaults): scripts/stack.sh says more.
stack-up: messages
	scripts/stack.sh up

stack-down:
	scripts/stack.sh down

stack-smoke: messages
	scripts/stack.sh smoke

# Validate docker-compose.yml against .env.example (`docker compose` or docker-compose).
compose-config:
	@if docker compose version >/dev/null 2>&1; then set -x; \
		BULLETIN_ENV_FILE=.env.example docker compose --env-file .env.example config -q; \
	elif command -v docker-compose >/dev/null; then set -x; \
		BULLETIN_ENV_FILE=.env.example docker-compose --env-file .env.example config -q; \
	else echo "no compose client (docker compose or docker-compose): not validated"; exit 1; fi
	@echo "docker-compose.yml: valid"

clean:
	rm -rf var/bulletin.sqlite3 var/outbox var/static
