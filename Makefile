# 帮办 Bangban. `make run` starts the site on embedded defaults; `make test` runs the whole suite on PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench lint messages venv setup clean

# The site's own packages (requirements.lock); tests and benchmarks add pytest, Playwright and the reference
# openai-whisper engine with torch (requirements-test.lock, a superset).
$(STAMP): requirements.lock
	@echo "==> installing the site's packages into $(VENV) (pinned by requirements.lock)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP) requirements-test.lock
	@echo "==> installing test and benchmark packages into $(VENV) (pinned by requirements-test.lock; torch is large)"
	@$(PY) -m pip install --quiet -r requirements-test.lock
	@touch $(TEST_STAMP)

venv: $(STAMP)

node_modules/.installed: package.json package-lock.json
	@echo "==> installing browser test tools from npm (axe-core, lighthouse)"
	@npm ci --no-audit --no-fund --silent
	@touch $@

messages: $(STAMP)
	@echo "==> compiling translations"
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

setup: $(STAMP) messages
	@echo "==> migrating the database"
	@$(PY) manage.py migrate --no-input -v 0
	@echo "==> seeding demo content (idempotent)"
	@LOG_LEVEL=WARNING $(PY) manage.py seed_demo

run:
	@scripts/system-deps.sh run
	@$(MAKE) --no-print-directory setup
	@scripts/run.sh

test:
	@scripts/system-deps.sh test
	@$(MAKE) --no-print-directory $(TEST_STAMP) node_modules/.installed messages
	@scripts/test.sh

bench:
	@scripts/system-deps.sh bench
	@$(MAKE) --no-print-directory $(TEST_STAMP) node_modules/.installed messages
	@scripts/bench.sh

lint: $(TEST_STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules var
