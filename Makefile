# xiaozhen — every set-up step lives here, so a fresh clone needs only `make demo` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
SYSTEM_STAMP := var/.system-packages
export PROJ_NETWORK := OFF
export PYTHONPATH := $(CURDIR)/web:$(CURDIR)/src

# Debian packages the tests and reports need: the browser for Playwright (never a browser downloaded by Playwright),
# CJK fonts and Pango for WeasyPrint PDFs, poppler-utils (pdftotext) to read them back in tests.
DEBIAN_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils

.PHONY: help venv system-packages test lint unit demo demo-cli bench clean inventory

help:
	@echo "make demo   — build everything, load demo data, start the site on http://127.0.0.1:8000"
	@echo "make test   — build what is needed and run every test (lint, types, pytest)"
	@echo "make bench  — run the benchmarks in benchmarks/"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[web,dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

# Installs the Debian packages when we are root and any is missing; otherwise says what to install.
system-packages:
	@mkdir -p var
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >var/apt.log 2>&1 \
	      || { echo "apt-get failed; see var/apt.log"; tail -5 var/apt.log; exit 1; }; \
	  else \
	    echo "missing Debian packages:$$missing (run: sudo apt-get install$$missing)"; \
	  fi; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check src web tests benchmarks
	$(VENV)/bin/mypy

# The quick loop at the desk: no whole-demo loads, no browser.
unit: $(STAMP)
	$(PY) -m pytest -m "not slow"

# Lint, types and every test; prints how long it took (the bar: under 8 minutes on 2 cores, SQLite).
test: $(STAMP) system-packages
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint && $(PY) -m pytest -p no:cacheprovider -n auto --durations=15; rc=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s (exit $$rc)"; exit $$rc

demo-cli: $(STAMP)
	$(VENV)/bin/xiaozhen policies list
	$(VENV)/bin/xiaozhen evaluate --policy tongzhou-towns --stage application examples/tongzhou-towns/application.csv
	$(VENV)/bin/xiaozhen assess --policy tongzhou-towns --year 2020 examples/tongzhou-towns/history.csv

demo: $(STAMP) system-packages demo-cli
	@if [ -f web/manage.py ]; then \
	  export DEBUG=true && \
	  $(PY) web/manage.py migrate --noinput && \
	  $(PY) web/manage.py load_demo && \
	  echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop); background tasks: manage.py db_worker" && \
	  { $(PY) web/manage.py db_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	    $(PY) web/manage.py runserver 127.0.0.1:8000; }; \
	fi

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# docs/inventory.md: every action and permission rule, generated (tests/web/test_inventory.py checks it is fresh).
inventory: $(STAMP)
	$(PY) -m config.inventory
