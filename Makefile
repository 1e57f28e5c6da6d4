# `make run` and `make test` are all a new machine needs: each creates .venv/ first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint bench-ingest profile sandbox requirements

$(INSTALLED): requirements/base.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

run: $(INSTALLED)
	deploy/demo.sh

test: $(INSTALLED)
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Development tools: DEBUG=true spares them a SECRET_KEY.
bench-ingest: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py bench_ingest

# PostgreSQL and Redis, as production: DATABASE_URL and REDIS_URL must be set.
profile: $(INSTALLED)
	@command -v hey > /dev/null || { echo "hey is not installed: apt-get install hey (Debian, Ubuntu) or brew install hey (macOS)." >&2; exit 1; }
	DEBUG=true $(BIN)/python manage.py profile_api

sandbox: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py run_sandbox

requirements: $(INSTALLED)
	cd requirements && for set in base production dev; do \
		../$(BIN)/pip-compile --quiet --strip-extras --no-header --allow-unsafe \
			--no-emit-index-url --no-emit-find-links $$set.in -o $$set.txt; \
	done
