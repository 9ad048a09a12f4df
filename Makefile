# Every target does its own set-up: a fresh clone needs only Python 3.11 and make.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest demo screenshot clean bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

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

clean:
	rm -rf $(VENV) build dist *.egg-info
