# `make serve` and `make test` set everything up from a fresh clone: a venv in
# .venv, the npm packages in web/node_modules, the static site in site/.
# Stamp files in build/ skip the installs while their inputs are unchanged.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := build/stamps
SITE_INPUTS := index.html web/build.mjs $(shell find py/chainrule -name '*.py' -not -path '*/notebook/*') \
	$(wildcard lessons/*.md) $(shell find web/src web/shell web/build web/tools -type f)
# The notebook widget's bundle, from the same renderer sources, inside the Python package.
WIDGET_INPUTS := web/build/widget.mjs web/build/bundle.mjs web/build/paths.mjs $(shell find web/src -type f)

.PHONY: all build serve test clean distclean

all: build

$(STAMPS):
	mkdir -p $@

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/venv: pyproject.toml | $(PY) $(STAMPS)
	$(PY) -m pip install --quiet -e .
	touch $@

$(STAMPS)/venv-test: pyproject.toml $(STAMPS)/venv
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(STAMPS)/npm: web/package.json web/package-lock.json | $(STAMPS)
	cd web && npm ci --no-audit --no-fund
	touch $@

$(STAMPS)/site: $(STAMPS)/npm $(SITE_INPUTS)
	cd web && node build.mjs ../site
	touch $@

$(STAMPS)/widget: $(STAMPS)/npm $(WIDGET_INPUTS)
	cd web && node build/widget.mjs
	touch $@

build: $(STAMPS)/site $(STAMPS)/widget

serve: build $(STAMPS)/venv
	@echo "chainrule: open http://127.0.0.1:$(PORT)/"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory site

test: build $(STAMPS)/venv-test
	$(PY) -m pytest

clean:
	rm -rf site site.partial $(STAMPS) py/chainrule/notebook/static

distclean: clean
	rm -rf $(VENV) web/node_modules
