# Relais — the two commands a newcomer needs:
#   make demo   set everything up and serve Relais with demo data on http://127.0.0.1:$(PORT)
#   make test   set up what the tests need (Chromium included) and run the lint gate and the suite
# DATABASE_URL selects the database (default: SQLite under ./data).

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# Tests run on every core in parallel; the browser journeys then run one at a time.
PYTEST_WORKERS ?= auto

.PHONY: demo setup test lint install install-test chromium clean bench

$(BIN)/relais: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 introuvable ($(PYTHON)) : installez-le ou passez PYTHON=…"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(BIN)/relais

install: $(BIN)/relais

$(VENV)/.test-deps: $(BIN)/relais pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install-test: $(VENV)/.test-deps chromium

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installation de Chromium (Debian) pour les tests de navigateur…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	fi

setup: install
	$(BIN)/relais setup-demo

demo: setup
	@echo "Relais écoute sur http://127.0.0.1:$(PORT) (Ctrl+C pour arrêter)."
	$(BIN)/relais runserver 127.0.0.1:$(PORT) --noreload

lint: $(VENV)/.test-deps
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint src/relais --lint --quiet
	RELAIS_ENV=test $(BIN)/relais check --fail-level WARNING
	RELAIS_ENV=test $(BIN)/relais makemigrations --check --dry-run

test: install-test lint
	RELAIS_ENV=test $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)
	RELAIS_ENV=test $(BIN)/pytest -m browser $(PYTEST_ARGS)

# Volume benchmarks on throw-away SQLite databases (sizes: BENCH_ACTIONS, BENCH_REPORTS; the
# issues' targets are 100000 and 1000000, see bench/*-results.md for measured runs).
BENCH_ACTIONS ?= 20000
BENCH_REPORTS ?= 50000
bench: install
	RELAIS_ENV=demo $(BIN)/python bench/cooperation.py --actions $(BENCH_ACTIONS)
	@dir=$$(mktemp -d) && RELAIS_DATA_DIR=$$dir $(BIN)/relais setup-demo >/dev/null \
	  && RELAIS_DATA_DIR=$$dir $(BIN)/python bench/information.py --reports $(BENCH_REPORTS); \
	  status=$$?; rm -rf $$dir; exit $$status

clean:
	rm -rf $(VENV) data test-artifacts .pytest_cache .ruff_cache
