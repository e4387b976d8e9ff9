# One command a tier. `make test` sets up .venv from pyproject.toml on first use
# (and again whenever pyproject.toml changes), then runs every check.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint typecheck unit test-explore clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

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
