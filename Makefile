# One dev entry point: the targets here are what CI runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= var/sitrep.db

.PHONY: run test lint bench eval clean chromium serve

# Browser tests drive Debian's Chromium through Playwright (no browser download).
CHROMIUM := /usr/bin/chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	# Country outlines for the dashboard's map: the public-domain Natural Earth file that
	# geopandas < 1.0 ships in its wheel (read from disk; geopandas itself is never imported).
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps 'geopandas==0.14.4'
	touch $(STAMP)

## run: ingest the sample reports in examples/ into a fresh ledger and print the situation report
run: $(STAMP)
	mkdir -p $(dir $(DB))
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/sitrep ingest examples/ --db $(DB)
	$(BIN)/sitrep report --db $(DB)

## chromium: install Debian's chromium for the dashboard's browser tests (needs root)
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make: $(CHROMIUM) missing and not root: browser tests will be skipped (apt-get install chromium)"; \
	  fi; }

## test: the whole test suite, the gold-set gate included
test: $(STAMP) chromium
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

## serve: the dashboard and API on http://127.0.0.1:8000 over the ledger make run built
serve: $(STAMP)
	$(BIN)/sitrep serve --db $(DB)

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_throughput.py

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
