# Quick start: `make run` starts the app, `make test` runs the whole test suite.
# Both set up what they need first (system packages, a virtual environment).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean system-deps

$(STAMP): pyproject.toml
	scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/quotedesk

# the PostgreSQL variants of the database tests must run here, never skip (tests/conftest.py)
test: $(STAMP)
	scripts/system-deps.sh test
	QUOTEDESK_REQUIRE_POSTGRES=1 $(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not xvfb"

lint: $(STAMP)
	$(VENV)/bin/ruff check desktop tests benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) benchmarks/quotes.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# The PyInstaller onedir build in dist/quotedesk/ and its smoke test (slow: see
# packaging/README.md). Not part of `make test`.
.PHONY: bundle
bundle: $(STAMP)
	packaging/build.sh

# Opt-in, not in CI: import the exports into a real Label Studio and a real doccano
# (each in its own virtual environment under ~/.cache/quotedesk-consumers, ~1 GB and
# ~700 MB from PyPI, made on first use), on 127.0.0.1; see benchmarks/README.md (Formats).
CONSUMERS ?= $(HOME)/.cache/quotedesk-consumers
.PHONY: test-consumers
test-consumers: $(STAMP)
	test -x $(CONSUMERS)/ls-venv/bin/label-studio || { $(PYTHON) -m venv $(CONSUMERS)/ls-venv && \
		$(CONSUMERS)/ls-venv/bin/pip install -q "label-studio==1.23.2"; }
	test -x $(CONSUMERS)/doccano-venv/bin/doccano || { $(PYTHON) -m venv $(CONSUMERS)/doccano-venv && \
		$(CONSUMERS)/doccano-venv/bin/pip install -q "doccano==1.8.4" "marshmallow<4" "numpy<2"; }
	QUOTEDESK_CONSUMERS_HOME=$(CONSUMERS) $(PY) -m pytest tests/consumers -m consumers -s -p no:cacheprovider
