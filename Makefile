# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
LINT_PATHS := src tests $(wildcard bench)
# Every package at one version with its hashes (scripts/lock-dependencies writes them).
LOCK := requirements/lock.txt
DEV_LOCK := requirements/lock-dev.txt
# `make test-latest` installs the newest releases pyproject.toml allows here, away from .venv.
LATEST_VENV := var/venv-latest
# moot is installed with --no-deps, so a dependency added to pyproject.toml but missing from the
# lock would go unseen; pip check sees it.
STALE_LOCK_CHECK = $(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
	echo "The lock does not satisfy pyproject.toml: run 'make lock' and commit the locks."; exit 1; }

.PHONY: run test test-latest lock lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever a lock or pyproject.toml changes; the stamp files record what is installed.
# Everything comes from the lock, pip and setuptools included, each file checked against its
# hash; moot itself is then installed with no dependency resolution and no build isolation, so
# nothing is fetched that the lock does not name.
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(STALE_LOCK_CHECK)
	touch $@

$(VENV)/.installed-dev: $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(STALE_LOCK_CHECK)
	touch $@ $(VENV)/.installed

# HOST and PORT reach every command, so the links they print and send name this address.
run: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) $(BIN)/moot migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(BIN)/moot load-demo
	HOST=$(HOST) PORT=$(PORT) $(BIN)/moot serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite against the newest release of everything pyproject.toml allows, ignoring the lock,
# in a venv made afresh each time: a breaking upstream release fails here (and in CI) before
# a refreshed lock, or anyone installing moot without it, meets it.
test-latest:
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade -e '.[dev]'
	$(PYTHON) scripts/compare-with-lock $(LATEST_VENV)/bin/python
	$(LATEST_VENV)/bin/pytest $(PYTEST_ARGS)

# Recompile the locks from pyproject.toml, keeping each pin it still allows;
# `make lock UPGRADE=1` moves every pin to the newest release allowed.
lock:
	scripts/lock-dependencies $(if $(UPGRADE),--upgrade)

lint: $(VENV)/.installed-dev
	$(BIN)/python scripts/check-boundaries
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

clean:
	rm -rf $(VENV) var artifacts .pytest_cache .mypy_cache .ruff_cache
