# sahelwatch front door. Fresh machine: `make run` (demo) and `make test` need only Python 3.11;
# tests also need Debian's docker-compose, prometheus and prometheus-alertmanager (installed by `make tools`).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
SHARED ?= ../shared
EVAL_OUT := out/eval
TOOLS := docker-compose promtool amtool prometheus prometheus-alertmanager

.PHONY: install tools run test test-fast lint check eval bench up down asyncapi compose-config clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

tools:
	@missing=""; for t in $(TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages for:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    docker-compose prometheus prometheus-alertmanager >/dev/null; \
	fi

run: install
	$(BIN)/sahelwatch demo seeds --out out

test: install tools
	$(BIN)/pytest -q -p no:cacheprovider

test-fast: install
	$(BIN)/pytest -q tests/unit

lint: install
	$(BIN)/ruff check libs services tests
	$(BIN)/ruff format --check libs services tests
	$(BIN)/mypy

check: lint test

eval: install
	@test -d $(SHARED)/eval || { echo "no evaluation kit at $(SHARED)/eval"; exit 2; }
	mkdir -p $(EVAL_OUT)
	$(BIN)/sahelwatch extract $(SHARED)/eval/news/dev/articles/*.txt > $(EVAL_OUT)/news-extract.jsonl
	$(BIN)/sahelwatch extract $(SHARED)/eval/acled/dev/articles/*.txt > $(EVAL_OUT)/acled-extract.jsonl
	$(BIN)/sahelwatch process $(SHARED)/eval/news/dev/articles > $(EVAL_OUT)/news-process.jsonl
	@echo "== news dev: sahelwatch extract"
	$(PY) $(SHARED)/eval/score.py $(SHARED)/eval/news/dev/gold.jsonl $(EVAL_OUT)/news-extract.jsonl
	@echo "== news dev: sahelwatch process (merging)"
	$(PY) $(SHARED)/eval/score.py $(SHARED)/eval/news/dev/gold.jsonl $(EVAL_OUT)/news-process.jsonl
	@echo "== ACLED dev notes: sahelwatch extract"
	$(PY) $(SHARED)/eval/score.py $(SHARED)/eval/acled/dev/gold.jsonl $(EVAL_OUT)/acled-extract.jsonl
	@echo "== ACLED dev notes: place ceiling (gold incidents whose place the note names at all)"
	$(BIN)/python -m services.eval_ceiling $(SHARED)/eval/acled/dev

bench: install
	$(BIN)/python -m services.bench

up: install
	$(BIN)/sahelwatch up

down:
	$(BIN)/sahelwatch down

asyncapi: install
	$(BIN)/sahelwatch asyncapi --dest docs/asyncapi

compose-config: tools
	docker-compose -f docker-compose.yml config -q

clean:
	rm -rf out .sahelwatch .pytest_cache .mypy_cache .ruff_cache
