# One command a tier. Each target sets up .venv on first use (and again whenever
# pyproject.toml or the pinned tool versions change), then runs its checks.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Exact versions of every tool and library the checks use (constraints/dev.txt).
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c constraints/dev.txt
STAMP := $(VENV)/.installed-stamp
DEMO_STAMP := $(VENV)/.demo-stamp
BENCH_STAMP := $(VENV)/.bench-stamp


.PHONY: install demo bench test lint typecheck unit contract test-explore clean

$(STAMP): pyproject.toml constraints/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[test]'
	touch $(STAMP)

$(DEMO_STAMP): pyproject.toml constraints/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[local]'
	touch $(DEMO_STAMP)

$(BENCH_STAMP): pyproject.toml constraints/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[bench]'
	touch $(BENCH_STAMP)

install: $(STAMP)

# The library doing its job: an approval story on a local DynamoDB emulator.
demo: $(DEMO_STAMP)
	$(BIN)/access-requests demo

# Speed and round trips side by side with boto3, PynamoDB and the raw client:
# writes docs/benchmarks.md and docs/benchmarks.png (a few minutes).
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy access_requests tests

# Pure tests, no I/O at all: the domain, the codec, cursors, indexes, in seconds.
unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# The shared contract suite, on every adapter, sync and async.
contract: $(STAMP)
	$(BIN)/python -m pytest tests/contract

# Everything CI runs: lint, mypy --strict, and every test (unit, contract suite
# on every adapter, CLI, packaging), hypothesis derandomized (the `ci` profile).
test: lint typecheck
	$(BIN)/python -m pytest

# The same tests with hypothesis exploring far more examples, at random.
test-explore: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build dist *.egg-info .hypothesis .mypy_cache .ruff_cache
