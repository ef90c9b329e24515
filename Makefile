# One dev entry point: the targets here are what CI runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= var/sitrep.db

.PHONY: run test lint bench eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

## run: ingest the sample reports in examples/ into a fresh ledger and print the situation report
run: $(STAMP)
	mkdir -p $(dir $(DB))
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/sitrep ingest examples/ --db $(DB)
	$(BIN)/sitrep report --db $(DB)

## test: the whole test suite, the gold-set gate included
test: $(STAMP)
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_throughput.py

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
