# Every target does its own set-up: a fresh clone needs only Python 3.11 and make.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package of the bot and its test extras, pinned with hashes (pip-tools; see `make lock`).
LOCK := requirements.lock

.PHONY: run test lint typecheck pytest demo screenshot clean bench bench-broadcast lock

# Installs exactly the locked releases (pip checks each file's hash), then the project itself
# without resolving anything (its build backend is the locked setuptools; PYTHONWARNINGS quiets
# setuptools' notice on every editable install); `pip check` fails if pyproject.toml needs a
# package the lock lacks.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $(STAMP)

# Regenerate the lock from pyproject.toml after changing a dependency: pins that still fit are
# kept; `make lock LOCK_ARGS=--upgrade` moves every pin to the newest release that fits.
lock:
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links $(LOCK_ARGS) --output-file $(LOCK) pyproject.toml

run: $(STAMP)
	$(BIN)/triage-bot run

demo: $(STAMP)
	$(BIN)/triage-bot demo

# Refreshes the README's picture on purpose: the browser test (needs the system's chromium)
# copies its screenshot over docs/demo.png. A plain test run never touches tracked files.
screenshot: $(STAMP)
	DEMO_SCREENSHOT='$(CURDIR)/docs/demo.png' $(BIN)/python -m pytest -q tests/demo/test_demo_browser.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -rs

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# One learning brief to 5 000 practitioners with 429s injected (several minutes; see benchmarks/REPORT.md).
bench-broadcast: $(STAMP)
	$(BIN)/python benchmarks/broadcast.py

clean:
	rm -rf $(VENV) build dist *.egg-info
