# graphfraud: the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests use their own Neo4j instance so they never touch the demo's data.
TEST_ENV := GRAPHFRAUD_ENV=test GRAPHFRAUD_NEO4J_HOME=$(CURDIR)/var/neo4j-test \
            GRAPHFRAUD_NEO4J_BOLT_PORT=7688 GRAPHFRAUD_NEO4J_HTTP_PORT=0
PEOPLE ?= 20000
DAYS ?= 3
SEED ?= 101
WORKERS ?= 1

.PHONY: install demo test lint notebooks jupyter neo4j-start neo4j-stop test-neo4j-stop bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,notebooks]"
	npm ci --no-audit --no-fund  # cytoscape.js for /ui, served locally from node_modules
	# headless UI test (Debian's Chromium) and a CJK font so the page's Chinese reasons render
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei)
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check graphfraud tests bench
	$(BIN)/ruff check --no-force-exclude notebooks

test: $(STAMP) lint
	$(TEST_ENV) $(BIN)/pytest -q

# Run the analyst notebooks top to bottom against the test Neo4j (CI runs them inside `make test`).
notebooks: $(STAMP)
	$(TEST_ENV) $(BIN)/pytest -q tests/notebooks

jupyter: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test-neo4j-stop: $(STAMP)
	$(TEST_ENV) $(BIN)/graphfraud neo4j stop

neo4j-start: $(STAMP)
	$(BIN)/graphfraud neo4j start

neo4j-stop: $(STAMP)
	$(BIN)/graphfraud neo4j stop

demo: $(STAMP)
	$(BIN)/graphfraud demo --people $(PEOPLE) --days $(DAYS) --seed $(SEED)

bench: $(STAMP)
	$(BIN)/graphfraud bench

clean:
	rm -rf var .cache

# Load test of graphfraud serve (see docs/api.md): loads a scored world into the test Neo4j.
# wrk (closed loop, Debian) and vegeta (open loop, Go module, built into .cache/bin).
GO ?= $(shell command -v go || echo /usr/local/go/bin/go)
VEGETA_VERSION := v12.13.0
.PHONY: bench-api
bench-api: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	test -x .cache/bin/vegeta || GOFLAGS=-mod=mod GOBIN=$(CURDIR)/.cache/bin \
	    $(GO) install github.com/tsenart/vegeta/v12@$(VEGETA_VERSION)
	$(TEST_ENV) $(BIN)/graphfraud neo4j start
	$(TEST_ENV) GRAPHFRAUD_API_KEYS=bench-key:admin $(BIN)/python bench/load.py --load --workers $(WORKERS)
