# Code & Care: `make run` to chat, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON310 ?= $(shell command -v python3.10 2>/dev/null || echo python3.10)
VENV := .venv
BIN := $(VENV)/bin
RASA := $(BIN)/rasa
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml)

# No telemetry, no network, quiet TensorFlow.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.PHONY: help install validate train run shell actions test test-unit test-nlu test-stories test-e2e clean

help:
	@echo "make run    set up, train if needed, start the assistant and print where to chat"
	@echo "make shell  chat in the terminal (rasa shell)"
	@echo "make test   every check CI runs"
	@echo "make validate  check the knowledge files and the training data"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements.lock
	test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	$(BIN)/python -c 'import sys; assert sys.version_info[:2] == (3, 10), "Rasa 3.6 needs Python 3.10, got " + sys.version'
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip==24.0
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements.lock
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
	$(RASA) run actions --actions actions

test: validate train
	$(BIN)/pytest -q

clean:
	rm -rf models results .pytest_cache
