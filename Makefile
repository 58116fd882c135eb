# Developer entry points. Everything runs from the project's own virtual environment (.venv),
# which `make venv` creates with the system python3; no global pip is ever used.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ICTKG  := $(BIN)/ictkg

.DEFAULT_GOAL := help
.PHONY: help venv servers demo build validate lint test test-slow check clean

help: ## List the targets
	@echo "Usage: make <target>"
	@echo
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml is newer than the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $(STAMP)

venv: $(STAMP) ## Create .venv and install ictkg with its test tools

# The integration tests start a real Virtuoso 7 (Debian's package) in a folder of their own;
# install it when it is missing. As root apt-get runs directly, otherwise through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
servers: ## Install the triple-store servers the tests start (Debian's virtuoso-opensource)
	@command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || { \
		echo "installing Debian's virtuoso-opensource for the integration tests"; \
		$(SUDO) apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource; }

demo: $(STAMP) ## Build, validate and summarise the graph (ictkg demo)
	$(ICTKG) demo

build: $(STAMP) ## Build and validate, writing build/ (ictkg build)
	$(ICTKG) build

validate: $(STAMP) ## Validate with SHACL and run the check queries (ictkg validate)
	$(ICTKG) validate

lint: $(STAMP) ## ruff check, ruff format --check, mypy (strict) on src, the layering contract
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src
	$(BIN)/lint-imports

# The suite runs in one worker per core (pytest-xdist), a test file per worker at a time, so that
# a file's module-scoped servers start once; each worker starts its own session servers.
test: lint servers ## Lint, install the test servers when missing, then run the whole test suite
	$(BIN)/pytest -q -n auto --dist loadfile

test-slow: venv servers ## The slow tier: kills during a 1e6-triple load, 16 clients for 60 s, big hypothesis runs
	$(BIN)/pytest -q -m slow

check: test validate ## Everything CI checks: lint, tests and validation of the real data

clean: ## Remove generated output and caches (keeps .venv)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	rm -rf src/*.egg-info
