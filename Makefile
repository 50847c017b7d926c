# Maillage — the two commands of the README, and a few helpers.
# `make run`  : install, migrate, load territories and demo data, serve on http://127.0.0.1:$(PORT)
# `make test` : install the test tools, lint, check migrations, run the whole suite on PostgreSQL,
#               then a smoke run of the main pages and forms on SQLite (the embedded default)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12: the one pyenv selects through .python-version, else any python3.12 on the PATH.
PYTHON ?= $(shell (pyenv which python3.12 2>/dev/null || command -v python3.12 || command -v python3) | head -n 1)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/maillage

.PHONY: help run test serve lint format check-db migrate demo clean

help:
	@echo "make run   — installe, migre, charge les territoires et la démo, sert http://127.0.0.1:$(PORT)"
	@echo "make test  — installe, vérifie (ruff, migrations) et lance tous les tests sur PostgreSQL"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' || \
		{ echo "Maillage a besoin de Python 3.12 (trouvé : $$($(PYTHON) --version 2>&1)). Installez-le ou passez PYTHON=/chemin/python3.12."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet ".[test]"
	@touch $@ $(VENV)/.installed-run

# The national schema's reference library (npm), with which the tests validate the lieux export: a test tool.
SCHEMA_MODULES := tests/schema/node_modules/.installed
$(SCHEMA_MODULES): tests/schema/package.json tests/schema/package-lock.json
	@command -v npm >/dev/null || { echo "make test a besoin de Node.js et npm (validation du schéma national des lieux)."; exit 1; }
	npm ci --prefix tests/schema --no-audit --no-fund --loglevel=error
	@touch $@

run: $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_territories
	$(PY) manage.py seed_demo
	@echo
	@echo "Maillage tourne sur http://127.0.0.1:$(PORT)/ (Ctrl+C pour arrêter)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

check-db:
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) -c 'import os, sys, psycopg, psycopg.sql, dj_database_url; \
	c = dj_database_url.parse(os.environ["DATABASE_URL"]); \
	kw = dict(host=c["HOST"] or None, port=c["PORT"] or None, user=c["USER"] or None, password=c["PASSWORD"] or None); \
	conn = psycopg.connect(dbname="postgres", connect_timeout=5, autocommit=True, **kw); \
	exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [c["NAME"]]).fetchone(); \
	exists or conn.execute("CREATE DATABASE " + psycopg.sql.Identifier(c["NAME"]).as_string(conn)); \
	conn.close()' 2>/dev/null || \
	{ echo "PostgreSQL injoignable ($${DATABASE_URL:-$(TEST_DATABASE_URL)}) : démarrez-le ou indiquez DATABASE_URL=postgres://utilisateur@hôte:port/base."; exit 1; }

test: $(VENV)/.installed-test $(SCHEMA_MODULES) check-db
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) -m pytest $(PYTEST_ARGS)
# The embedded default of `make run`: main pages and forms on SQLite (in memory), on whole runs only.
	$(if $(PYTEST_ARGS),,DATABASE_URL=sqlite:///smoke.sqlite3 $(PY) -m pytest -q -m sqlite_smoke tests/smoke)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache tests/schema/node_modules
