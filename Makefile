# Code & Care: `make run` to chat, `make test` to check everything.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON310 ?= $(shell command -v python3.10 2>/dev/null || echo python3.10)
VENV := .venv
BIN := $(VENV)/bin
RASA := $(BIN)/rasa
LOGS := var/log
# The endpoints.yml of `make run` and the admin targets (deploy/endpoints.yml reads the environment).
ENDPOINTS ?= endpoints.yml
# This machine's pip config names local indexes that may not exist; drop that noise only.
QUIET_PIP := { grep -v 'is ignored: it is neither a file nor a directory' || true; }
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml) $(wildcard server/nlu/*.py)
# The Debian packages behind tests/deploy (PostgreSQL, Redis, nginx) and tests/web (Chromium).
SYSTEM_DEPS := redis-server postgresql nginx chromium
# Pure packages and components: no servers, no trained model (make test-unit, under a minute).
UNIT_TESTS := tests/carekb tests/privacy tests/actions tests/admin tests/server tests/test_settings.py \
              tests/channels/test_assets.py tests/channels/test_auth.py tests/security/test_guard.py

# No telemetry, no network, quiet TensorFlow.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.PHONY: help install system-deps check-system-deps validate train run shell actions test test-unit \
        bench clean purge erase report scale-test

help:
	@echo "make run        set up, train if needed, start the assistant; prints where to chat and the HTTP API token"
	@echo "make shell      chat in the terminal (rasa shell)"
	@echo "make test       every check CI runs (needs: make system-deps)"
	@echo "make test-unit  the pure packages and components: no servers, under a minute"
	@echo "make validate   check the knowledge files and the training data"
	@echo "make report     what to fix first: ratings, uncovered questions, hand-offs (var/report/; SINCE=, UNTIL= dates)"
	@echo "make purge DAYS=N    delete what was said more than N days ago"
	@echo "make erase ID=...    delete one conversation (erasure request)"
	@echo "make system-deps     install $(SYSTEM_DEPS) (Debian; as root)"
	@echo "make scale-test      two replicas behind nginx with PostgreSQL and Redis, one killed mid-run"
	@echo "make bench           Code & Care against Rasa's default recipe, same data, one run (bench/RESULTS.md)"
	@echo "make sbom            CycloneDX bill of materials of requirements.lock ($(SBOM))"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements.lock
	@echo "==> Installing Python packages into $(VENV)"
	@mkdir -p $(LOGS)
	@test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; assert sys.version_info[:2] == (3, 10), "Rasa 3.6 needs Python 3.10, got " + sys.version'
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade "$$(grep -E '^pip==' requirements.lock)" 2>&1 | $(QUIET_PIP)
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements.lock 2>&1 | $(QUIET_PIP)
	@touch $@

# The Debian packages the full test suite needs; .ci/run uses this target too.
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make curl ca-certificates \
	  $(SYSTEM_DEPS) >/dev/null

# Says at the start which system programs are missing; in CI (CI=true) that is an error.
check-system-deps:
	@missing=""; \
	for bin in redis-server nginx chromium; do command -v $$bin >/dev/null || missing="$$missing $$bin"; done; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "Missing:$$missing. Install them with: sudo make system-deps"; \
	  if [ "$$CI" = "true" ]; then exit 1; fi; \
	  echo "Their tests (tests/deploy, tests/web) will be skipped on this machine."; \
	fi

validate: install
	@$(BIN)/python -m carekb validate
	@mkdir -p $(LOGS)
	@$(RASA) data validate --fail-on-warnings >$(LOGS)/validate.log 2>&1 \
	  && echo "==> Training data valid (rasa data validate --fail-on-warnings; log: $(LOGS)/validate.log)" \
	  || { grep -v Warning $(LOGS)/validate.log | tail -n 30 >&2; echo "rasa data validate failed; see $(LOGS)/validate.log" >&2; exit 1; }

train: models/.trained

models/.trained: $(VENV)/.installed $(TRAIN_INPUTS)
	@$(BIN)/python -m codecare train
	touch $@

# The launcher makes a new HTTP API token at each start and prints it (codecare/launch.py).
run: train
	@$(BIN)/python -m codecare run --endpoints "$(ENDPOINTS)"

shell: train
	@$(BIN)/python -m codecare shell

actions: install
	$(BIN)/python -m actions.server

test-unit: install
	$(BIN)/pytest -q -m "not system" $(UNIT_TESTS)

test: check-system-deps validate train
	$(BIN)/pytest -q

# The conversation store that endpoints.yml names (ENDPOINTS=path for another one).
purge: install
	@test -n "$(DAYS)" || { echo "usage: make purge DAYS=N" >&2; exit 2; }
	@$(BIN)/python -m admin --endpoints "$(ENDPOINTS)" purge --days "$(DAYS)"

erase: install
	@test -n "$(ID)" || { echo "usage: make erase ID=<conversation id>" >&2; exit 2; }
	@$(BIN)/python -m admin --endpoints "$(ENDPOINTS)" erase -- '$(ID)'

report: install
	@$(BIN)/python -m admin --endpoints "$(ENDPOINTS)" report $(if $(OUT),--out "$(OUT)") \
	  $(if $(SINCE),--since "$(SINCE)") $(if $(UNTIL),--until "$(UNTIL)")

scale-test: install train
	$(BIN)/pytest -q tests/deploy/test_scale_out.py

bench: install
	$(BIN)/python -m bench.run

# The software bill of materials of requirements.lock, by a pinned cyclonedx-py in a venv of its own
# (its dependencies clash with Rasa's); SBOM=path writes it elsewhere.
SBOM ?= var/sbom.cdx.json
SBOM_VENV := var/sbom-venv
.PHONY: sbom
sbom: $(SBOM_VENV)/.installed
	@mkdir -p "$(dir $(SBOM))"
	@$(SBOM_VENV)/bin/cyclonedx-py requirements --output-format JSON --output-reproducible \
	  --mc-type application --output-file "$(SBOM)" requirements.lock
	@echo "==> SBOM of requirements.lock (CycloneDX JSON): $(SBOM)"

$(SBOM_VENV)/.installed: tools/sbom/requirements.txt
	@echo "==> Installing the SBOM tool into $(SBOM_VENV)"
	@test -x $(SBOM_VENV)/bin/python || $(PYTHON310) -m venv $(SBOM_VENV)
	@$(SBOM_VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/sbom/requirements.txt 2>&1 | $(QUIET_PIP)
	@touch $@

clean:
	rm -rf models results .pytest_cache
