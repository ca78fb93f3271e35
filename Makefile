# Attesta — the handful of verbs. On a fresh machine `make demo` and `make test` do all the set-up.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
# uv from PATH, else installed with pip and run as a module (no PATH change needed).
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help uv install system browser demo serve test test-fast quality format bench bench-scheduler bench-documents screenshots clean

help:
	@echo "make demo      base SQLite, comptes et référentiels de démonstration, serveur sur http://$(HOST):$(PORT)"
	@echo "make test      toute la suite de tests (tests navigateur compris)"
	@echo "make quality   ruff, djlint, mypy, import-linter, migrations à jour"
	@echo "make bench     mesures de performance (docs/performance.md)"

uv:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || \
		{ echo "Installation de uv avec pip…"; $(PYTHON) -m pip install --quiet --disable-pip-version-check uv; }

install: uv
	@$(UV) sync --frozen --quiet

# Pango, HarfBuzz's subsetter and a font for WeasyPrint (PDF documents), from Debian's
# packages when missing (without the subsetter WeasyPrint warns, and the tests fail on warnings).
system:
	@if ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 \
		&& ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installation de pango, harfbuzz-subset et des polices DejaVu (paquets Debian)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	else \
		echo "AVERTISSEMENT : pango manque ; les documents PDF ne pourront pas être produits."; \
	fi

# Chromium from Debian's packages for the browser tests, when missing and the machine allows it.
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installation de chromium (paquets Debian)…"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } \
		|| echo "AVERTISSEMENT : chromium n'a pas pu être installé ; les tests navigateur seront ignorés."; \
	else \
		echo "AVERTISSEMENT : chromium absent et non installable ici ; les tests navigateur seront ignorés."; \
	fi

demo: install system
	@mkdir -p var
	DEBUG=1 $(RUN) attesta migrate --no-input
	DEBUG=1 $(RUN) attesta demo
	@echo "Attesta démarre sur http://$(HOST):$(PORT)/ (Ctrl-C pour arrêter)"
	DEBUG=1 $(RUN) attesta runserver $(HOST):$(PORT)

serve: install
	DEBUG=1 $(RUN) attesta runserver $(HOST):$(PORT)

test: install system browser
	$(RUN) pytest

test-fast: install
	$(RUN) pytest -m "not browser"

quality: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) djlint --check attesta
	$(RUN) djlint --lint attesta
	$(RUN) mypy attesta config
	$(RUN) lint-imports
	DATABASE_URL=sqlite:///:memory: DJANGO_SETTINGS_MODULE=config.settings_test $(RUN) python manage.py makemigrations --check --dry-run

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .
	$(RUN) djlint --reformat attesta

bench: install
	$(RUN) python benchmarks/parse_seeds.py
	$(RUN) python benchmarks/candidate_list.py
	$(RUN) python benchmarks/candidate_import.py

bench-scheduler: install
	$(RUN) python benchmarks/scheduler.py

bench-documents: install system
	$(RUN) python benchmarks/documents.py

screenshots: install browser
	$(RUN) python docs/screenshots.py

clean:
	rm -rf .venv var .pytest_cache .mypy_cache .ruff_cache
