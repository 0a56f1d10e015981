# Polis: `make serve` runs the archive, `make test` runs every test. Nothing else is needed.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
POLIS := $(VENV)/bin/polis
HOST ?= 127.0.0.1
PORT ?= 8000
export POLIS_DATA_DIR ?= $(CURDIR)/var
# pytest-xdist workers for `make test` (auto: one per core; 0 runs in this process).
TEST_WORKERS ?= auto

.PHONY: install serve test lint format browser axe demo bench clean

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
browser:  # and the other Debian packages the tests use
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for axe-core (the accessibility tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing a Java runtime for epubcheck"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@command -v pg_dump >/dev/null 2>&1 || { \
	  echo "Installing the PostgreSQL client for polis backup/restore"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; }
	@fc-list | grep -q "Noto Serif CJK" && ldconfig -p | grep -q libpangoft2-1.0.so.0 || { \
	  echo "Installing Pango and fonts for PDF downloads"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji >/dev/null; }

# axe-core from npm for the accessibility tests (tests/a11y/axe.py installs the same version
# itself when a targeted pytest run finds it missing).
axe: install browser
	$(PY) -c "from tests.a11y.axe import axe_source; axe_source()"

test: install browser axe
	$(VENV)/bin/ruff check polis tests bench
	$(VENV)/bin/ruff format --check polis tests bench
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check polis tests bench

format: install
	$(VENV)/bin/ruff format polis tests bench
	$(VENV)/bin/ruff check --fix polis tests bench

demo: install
	$(POLIS) migrate --noinput
	$(POLIS) demo

# Benchmarks fill their own archive (never ./var), made afresh on each run:
# BENCH_WORKS=1000000 make bench for AO3 scale. With DATABASE_URL set they run on that
# PostgreSQL database instead (give it an empty database: the corpus is added to it).
bench: export POLIS_DATA_DIR = $(CURDIR)/var/bench
bench: install
	@if [ -z "$$DATABASE_URL" ]; then rm -rf $(CURDIR)/var/bench; fi
	$(POLIS) migrate --noinput
	$(POLIS) bench corpus --works $${BENCH_WORKS:-100000}
	$(POLIS) bench filter
	$(PY) bench/downloads.py
	$(PY) bench/download_throughput.py
	$(PY) -m bench.hits
	$(PY) -m bench.pages
	$(PY) bench/exchange.py
	$(PY) -m bench.load  # its own fresh archive (a scratch database with DATABASE_URL)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
