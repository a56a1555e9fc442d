# Two commands do all the set-up on a fresh machine (Python 3.10+ with venv):
#   make build   install the tool in .venv and build evidence.db from the bundled corpus
#   make test    install what the tests need and run them
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: build test lint bench fuzz serve clean

$(BIN)/evidence: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/evidence
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(BIN)/evidence
	$(BIN)/evidence build

test: $(VENV)/.test-deps
	$(BIN)/pytest -q

lint: $(VENV)/.test-deps
	$(BIN)/ruff check extract link evidence tests benchmarks
	$(BIN)/ruff format --check extract link evidence tests benchmarks
	$(BIN)/mypy

bench: $(BIN)/evidence
	$(BIN)/python benchmarks/build_speed.py ../shared/corpus/ofsted

# 500 damaged copies of the national collection's reports (the fault suite runs 36 in CI)
fuzz: $(BIN)/evidence
	$(BIN)/python benchmarks/fuzz_faults.py ../shared/corpus/ofsted ../shared/corpus/ofsted-more \
		../shared/corpus/ofsted-2025-26 --mutations 500 --seed 1 --jobs 2
	$(BIN)/python benchmarks/serve_faults.py

serve: $(BIN)/evidence
	$(BIN)/evidence serve

clean:
	rm -rf $(VENV) evidence.db *.egg-info
