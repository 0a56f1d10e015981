# Polis: `make serve` runs the archive, `make test` runs every test. Nothing else is needed.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
POLIS := $(VENV)/bin/polis
HOST ?= 127.0.0.1
PORT ?= 8000
export POLIS_DATA_DIR ?= $(CURDIR)/var

.PHONY: install serve test lint format browser demo bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

serve: install
	$(POLIS) migrate --noinput
	$(POLIS) collectstatic --noinput -v 0
	$(POLIS) serve --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads one).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing a Java runtime for epubcheck"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

test: install browser
	$(VENV)/bin/ruff check polis tests bench
	$(VENV)/bin/ruff format --check polis tests bench
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check polis tests bench

format: install
	$(VENV)/bin/ruff format polis tests bench
	$(VENV)/bin/ruff check --fix polis tests bench

demo: install
	$(POLIS) migrate --noinput
	$(POLIS) demo

bench: install
	$(POLIS) migrate --noinput
	@echo "No benchmarks yet: see docs/benchmarks.md"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
