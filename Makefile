# Convene — two commands: `make demo` and `make test`. Everything they need, they install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: demo test bench setup test-deps system-deps lint messages clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

## Serve the Hanoi demo on SQLite at http://127.0.0.1:$(PORT)
demo: setup
	bash scripts/demo.sh $(PORT)

## Every test, on SQLite and on a throwaway PostgreSQL server, browser tests included
test: setup
	bash scripts/test.sh

bench: setup
	bash scripts/bench.sh

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
