# govsite: `make run` to see the demo platform, `make test` to run the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
GOVSITE := $(BIN)/govsite
# $(call pytest,ARGS): run pytest; "no tests collected" (exit code 5) fails with a message, as a
# wrong path or -m/-k selection must never pass quietly.
pytest = $(BIN)/pytest $(1); rc=$$?; [ $$rc -ne 5 ] || \
  echo "pytest collected no tests (exit code 5): check the test paths and the -m/-k selection." >&2; \
  exit $$rc
export PORT

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed: installing Debian's python3-venv"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; \
	  else sudo apt-get install -y python3-venv; fi; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

# The admin's Chinese catalogues: .po (committed) → .mo, in Python (no gettext needed; docs/admin-language.md).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard src/govsite/locale/*/LC_MESSAGES/*.po))
$(CATALOGUES): %.mo: %.po $(VENV)/.installed
	@$(BIN)/python -m govsite.core.catalogues

install: $(VENV)/.installed $(CATALOGUES) ## Create .venv, install govsite with its pinned dependencies, build the catalogues

run: install ## Set up, load the demo platform and serve it on http://127.0.0.1:$(PORT)
	@start=$$(date +%s); \
	$(GOVSITE) migrate --noinput -v0 && \
	$(GOVSITE) collectstatic --noinput -v0 && \
	$(GOVSITE) demo --port $(PORT) && \
	$(GOVSITE) publish && \
	echo "准备就绪，用时 $$(( $$(date +%s) - start )) 秒。按 Ctrl+C 停止。" && \
	{ $(GOVSITE) worker -v0 & worker=$$!; $(GOVSITE) scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(GOVSITE) serve --host 127.0.0.1 --port $(PORT); }

system-deps: ## Install the system packages of the tests and benchmarks (`make doctor` lists them); needs root
	bash scripts/system-deps.sh

doctor: ## Name each system program the tests and benchmarks need that is missing, and how to get it
	@bash scripts/doctor.sh

# `make test` runs the whole suite, `make test-db` the tests that reach the database. CI runs each test once
# (a few on both engines), split between its two passes (.ci/run sets both, "CI time" in docs/testing.md).
TEST_MARKERS ?=
DB_TEST_MARKERS ?= not browser and not platform and not no_database

test: install ## Run the whole suite (unit and browser tests); installs missing system programs as root (make doctor)
	@bash scripts/doctor.sh >/dev/null || { bash scripts/doctor.sh | grep -v '^  ok'; \
	  if [ "$$(id -u)" = 0 ]; then echo "make test: installing them (scripts/system-deps.sh)"; \
	    bash scripts/system-deps.sh && bash scripts/doctor.sh >/dev/null; \
	  else echo "make test: system programs are missing (see above): run 'sudo make system-deps' first." >&2; \
	    false; fi; }
	$(call pytest,-q --durations=25 $(if $(TEST_MARKERS),-m "$(TEST_MARKERS)"))

test-db: install ## Run the database tests only (with DATABASE_URL: on PostgreSQL): not the browser tests, nor those whose platform runs on SQLite anyway, nor those that never reach the database
	$(call pytest,-q --durations=25 -m "$(DB_TEST_MARKERS)")

lint: install ## Check style, complexity and security (ruff), migrations, the apps' layers (import-linter) and types (mypy)
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(GOVSITE) makemigrations --check --dry-run -v0
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory typecheck

typecheck: install ## Check the types of src/ with mypy and django-stubs (settings in pyproject.toml)
	$(BIN)/mypy

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix src tests bench conftest.py
	$(BIN)/ruff format src tests bench conftest.py

check-deploy: install ## Run Django's deployment checks with production-like settings
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  GOVSITE_PII_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  GOVSITE_PII_HASH_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))') \
	  GOVSITE_HTTPS=1 GOVSITE_DEBUG=0 ALLOWED_HOSTS=kjt.nmg.gov.cn \
	  $(GOVSITE) check --deploy --fail-level WARNING

audit-deps: install ## Audit the installed pinned dependencies for known vulnerabilities (pip-audit, PyPI's vulnerability API)
	@BIN=$(BIN) bash scripts/audit-deps.sh

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var

.PHONY: help install run system-deps doctor test test-db lint typecheck format check-deploy audit-deps clean
