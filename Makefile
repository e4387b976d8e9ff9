# One command a tier. `make test` sets up .venv from pyproject.toml on first use
# (and again whenever pyproject.toml changes), then runs every check.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_STAMP := $(VENV)/.demo-stamp
BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: install demo bench test lint typecheck unit test-explore clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[local]'
	touch $(DEMO_STAMP)

$(BENCH_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
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

unit: $(STAMP)
	$(BIN)/python -m pytest

# Everything CI runs: lint, mypy --strict, unit tests and the contract suite
# on every adapter, with hypothesis derandomized (the `ci` profile).
test: lint typecheck unit

# The same tests with hypothesis exploring far more examples, at random.
test-explore: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info .hypothesis .mypy_cache .ruff_cache
