# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench provision clean

install: $(STAMP)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: install
	$(BIN)/custodiet init --with-starter
	$(BIN)/custodiet stats
	$(BIN)/custodiet serve --host 127.0.0.1 --port 8000

# Installs what the tests need that the machine lacks (PostgreSQL), or says how.
provision:
	@bash scripts/provision.sh

test: install provision
	$(BIN)/python -m pytest

# Extraction speed and memory against grep, trafilatura and zcat|grep, and importing the
# full-size EFF Atlas against sqlite-utils, and the largest vendor's PDF report on the
# 100,000-deployment atlas (several minutes).
bench: install
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/eff_import.py
	$(BIN)/python benchmarks/report_pdf.py

lint: install
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
