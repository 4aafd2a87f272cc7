# make serve  - set up .venv/ and serve the site with live reload on http://127.0.0.1:8000
# make test   - set up .venv/ and the browser, then run every test
# make build  - strict build into site/      make check - validate playbooks/
# make lint   - ruff                         make lock  - re-pin requirements.lock from pyproject.toml
# make bench  - time the build, the checker and the walker against goals (tests/bench/last-results.md)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build check test lint schema lock clean browser bench

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements.lock
	@touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/python -m macros check

schema: $(STAMP)
	$(BIN)/python -m macros schema

lint: $(STAMP)
	$(BIN)/ruff check macros tests

browser: $(STAMP)
	$(BIN)/python tests/provision_browser.py

test: $(STAMP) browser
	$(BIN)/python -m pytest

bench: $(STAMP) browser
	$(BIN)/python tests/bench/bench_main.py

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[test]'
	{ echo "# Every package the project installs, pinned (direct ones are listed in pyproject.toml)."; \
	  echo "# Regenerate with: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^incident-comms-playbook'; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf site .pytest_cache .hypothesis
