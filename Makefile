# Code & Care: `make run` to chat, `make test` to check everything.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON310 ?= $(shell command -v python3.10 2>/dev/null || echo python3.10)
VENV := .venv
BIN := $(VENV)/bin
RASA := $(BIN)/rasa
# This machine's pip config names local indexes that may not exist; drop that noise only.
QUIET_PIP := { grep -v 'is ignored: it is neither a file nor a directory' || true; }
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml)

# No telemetry, no network, quiet TensorFlow.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.PHONY: help install validate train run shell actions test bench clean purge erase report scale-test

help:
	@echo "make run    set up, train if needed, start the assistant and print where to chat"
	@echo "make shell  chat in the terminal (rasa shell)"
	@echo "make test   every check CI runs"
	@echo "make validate  check the knowledge files and the training data"
	@echo "make report    HTML report of what people ask and what went unanswered (var/report/)"
	@echo "make purge DAYS=N    delete what was said more than N days ago"
	@echo "make erase ID=...    delete one conversation (erasure request)"
	@echo "make scale-test      two replicas behind nginx with PostgreSQL and Redis, one killed mid-run"
	@echo "make bench           Code & Care against Rasa's default recipe, same data, one run (bench/RESULTS.md)"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements.lock
	test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	$(BIN)/python -c 'import sys; assert sys.version_info[:2] == (3, 10), "Rasa 3.6 needs Python 3.10, got " + sys.version'
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip==24.0 2>&1 | $(QUIET_PIP)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements.lock 2>&1 | $(QUIET_PIP)
	touch $@

validate: install
	$(BIN)/python -m carekb validate knowledge
	$(RASA) data validate --fail-on-warnings

train: models/.trained

models/.trained: $(VENV)/.installed $(TRAIN_INPUTS)
	$(RASA) train --fixed-model-name codecare --out models
	touch $@

run: train
	@scripts/run.sh

shell: train
	@scripts/run.sh --shell

actions: install
	$(BIN)/python -m ops.actions --actions actions

test: validate train
	$(BIN)/pytest -q

# The conversation store that endpoints.yml names (default: SQLite in var/, as `make run` uses).
purge: install
	@test -n "$(DAYS)" || { echo "usage: make purge DAYS=N" >&2; exit 2; }
	@$(BIN)/python -m ops purge --days "$(DAYS)"

erase: install
	@test -n "$(ID)" || { echo "usage: make erase ID=<conversation id>" >&2; exit 2; }
	@$(BIN)/python -m ops erase -- '$(ID)'

report: install
	@$(BIN)/python -m ops report $(if $(OUT),--out "$(OUT)")

scale-test: install train
	$(BIN)/pytest -q tests/deploy/test_scale_out.py

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf models results .pytest_cache
