# One obvious way to run each thing. Every target installs what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED_DATA := $(abspath $(wildcard ../shared/market-data))

# Use the shared real prices when they sit beside the checkout (developers, CI); otherwise live data.
export FINSIGHT_MARKET_DATA_DIR ?= $(SHARED_DATA)

.PHONY: install system-deps run test lint bench clean

$(BIN)/finsight: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/finsight

system-deps:
	@bash scripts/system-deps.sh

# One command, so make runs it directly and passes SIGTERM to it; `finsight ui` then execs
# Streamlit, so stopping `make run` stops the app and frees the port (FINSIGHT_PORT, default 8501).
run: install
	$(BIN)/finsight ui

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
