# make serve  - set up .venv/ and serve the site with live reload on http://127.0.0.1:8000
# make test   - set up .venv/, .venv-properdocs/ and the browser, then run every test
# make build  - strict build into site/      make check - validate playbooks/
# make lint   - ruff                         make lock  - re-pin requirements.lock from pyproject.toml
# make screenshots - retake the workspace pictures of docs/onboarding/workspace.md
# make bench  - time the pages, build, serve loop, checker and walker against goals (tests/bench/last-results.md)
# make node_modules      - npm ci of package-lock.json: the W3C Nu HTML checker (vnu-jar) the site tests run with java
# make properdocs        - set up .venv-properdocs/: the ProperDocs engine (requirements-properdocs.lock)
# make build-properdocs  - strict build into site/ with ProperDocs instead of MkDocs
# make lock-properdocs   - re-pin requirements-properdocs.lock (PROPERDOCS_VERSION, and pyproject.toml)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The second engine, in its own environment: ProperDocs (the maintained fork of MkDocs 1.6) with the same
# theme, plugin and project packages, and no MkDocs. Installed with --no-deps: the lock is the whole set.
PD_VENV  := .venv-properdocs
PD_STAMP := $(PD_VENV)/.installed
PD_LOCK  := requirements-properdocs.lock
PROPERDOCS_VERSION := 1.6.7
export NO_MKDOCS_2_WARNING := 1

NODE_STAMP := node_modules/.installed

.PHONY: setup serve build check test lint schema lock clean browser bench screenshots properdocs build-properdocs \
        lock-properdocs \
        node_modules npm

# $(call venv_setup,DIR,LOCK,WHAT FOR,HOW LONG,PIP OPTIONS)
# Makes DIR a virtual environment of $(PYTHON) (3.11+) unless it already has a working pip, installs LOCK
# into it with pip's own progress showing, and touches the target. Each step says what it does first; a
# failing step says which one failed and what to do. A warm run never gets here (the target is up to date).
define venv_setup
@set -e; dir='$(1)'; lock='$(2)'; \
if "$$dir/bin/python" -m pip --version >/dev/null 2>&1; then \
  echo "Updating $$dir/ to the pinned packages of $$lock ($(3)): new or changed since the last complete install, usually under a minute..."; \
else \
  py=$$(command -v '$(PYTHON)' 2>/dev/null) || { \
    echo "make: setup step 'find Python' failed: no '$(PYTHON)' found (on PATH or as a file)." >&2; \
    echo "  Install Python 3.11 or newer (Debian/Ubuntu: sudo apt-get install python3 python3-venv)," >&2; \
    echo "  or name one that is installed: make PYTHON=/path/to/python3.11 $(or $(MAKECMDGOALS),setup)" >&2; \
    exit 1; }; \
  ver=$$("$$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) || ver=''; \
  case "$$ver" in [0-9]*.[0-9]*.[0-9]*) ;; *) \
    echo "make: setup step 'find Python' failed: '$$py' did not run as Python (it printed no version)." >&2; \
    echo "  Name a working Python 3.11 or newer: make PYTHON=/path/to/python3.11 $(or $(MAKECMDGOALS),setup)" >&2; \
    exit 1;; esac; \
  major=$${ver%%.*}; minor=$${ver#*.}; minor=$${minor%%.*}; \
  if [ "$$major" -lt 3 ] || { [ "$$major" -eq 3 ] && [ "$$minor" -lt 11 ]; }; then \
    echo "make: setup step 'find Python' failed: Python 3.11 or newer is needed; '$(PYTHON)' ($$py) is Python $$ver." >&2; \
    echo "  Install 3.11+ and name it: make PYTHON=python3.11 $(or $(MAKECMDGOALS),setup) (or python3.12, python3.13, ...)" >&2; \
    exit 1; fi; \
  echo "Setting up $$dir/ with Python $$ver ($$py) and installing the pinned packages of $$lock"; \
  echo "($(3); first run only, $(4))..."; \
  "$$py" -m venv --clear "$$dir" || { \
    echo "make: setup step 'create $$dir/' failed: '$$py -m venv $$dir' did not make a virtual environment." >&2; \
    echo "  On Debian/Ubuntu the venv module is a package of its own: sudo apt-get install python3-venv" >&2; \
    echo "  (or python$$major.$$minor-venv), then run make again." >&2; \
    exit 1; }; \
fi; \
log="$$dir/pip-install.log"; rm -f "$$log"; \
if [ -t 1 ]; then bar=on; else bar=off; fi; \
if ! "$$dir/bin/python" -m pip install --disable-pip-version-check --require-virtualenv --progress-bar "$$bar" \
     --log "$$log" $(5) -r "$$lock"; then \
  echo "" >&2; \
  if grep -qE 'NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|nodename nor servname|Network is unreachable|Connection refused|ConnectTimeoutError|Read timed out|ProxyError|SSLError|CERTIFICATE_VERIFY_FAILED' "$$log" 2>/dev/null; then \
    echo "make: setup step 'install $$lock into $$dir/' failed: pip could not reach the package registry." >&2; \
    echo "  Check that this machine reaches PyPI (https://pypi.org/simple/), or the index pip is set to use" >&2; \
    echo "  ('$$dir/bin/python -m pip config list', PIP_INDEX_URL), and any proxy it needs (HTTPS_PROXY)." >&2; \
    echo "  Then run make again; it picks up where it stopped. pip's full log: $$log" >&2; \
  else \
    echo "make: setup step 'install $$lock into $$dir/' failed (pip's messages are above; full log: $$log)." >&2; \
  fi; \
  exit 1; \
fi; \
touch '$@'
endef

setup: $(STAMP)

# Only the lock is installed (pyproject.toml reaches it through `make lock`), so only the lock renews the stamp.
$(STAMP): requirements.lock
	$(call venv_setup,$(VENV),requirements.lock,the site's and the tests' packages,about 1-2 minutes)

properdocs: $(PD_STAMP)

$(PD_STAMP): $(PD_LOCK)
	$(call venv_setup,$(PD_VENV),$(PD_LOCK),the ProperDocs engine the engine test builds with,about 10-30 seconds,--no-deps)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict

build-properdocs: $(PD_STAMP)
	$(PD_VENV)/bin/properdocs build --strict -f mkdocs.yml

check: $(STAMP)
	$(BIN)/python -m macros check

schema: $(STAMP)
	$(BIN)/python -m macros schema

lint: $(STAMP)
	$(BIN)/ruff check macros tests

browser: $(STAMP)
	$(BIN)/python tests/provision_browser.py

# The npm packages of package-lock.json (vnu-jar: the W3C Nu HTML checker, run by tests/site/test_every_view.py
# with java). --ignore-scripts: vnu-jar's postinstall would download a Java runtime from GitHub; the tests use the
# machine's java (.ci/run installs Debian's when there is none).
node_modules npm: $(NODE_STAMP)

$(NODE_STAMP): package-lock.json package.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "make: setup step 'npm ci' failed: no 'npm' found. Install Node.js 18+ with npm" >&2; \
	  echo "  (Debian/Ubuntu: sudo apt-get install nodejs npm), then run make again." >&2; exit 1; }
	@echo "Installing the npm packages of package-lock.json into node_modules/ (npm ci: the W3C Nu HTML checker," \
	      "about 30 MB; first run or a changed lock only, a few seconds)..."
	@npm ci --ignore-scripts --no-audit --no-fund || { \
	  echo "make: setup step 'npm ci' failed (npm's messages are above). Check that this machine reaches the npm" >&2; \
	  echo "  registry (npm config get registry) and any proxy it needs, then run make again." >&2; exit 1; }
	@touch '$@'

# The benchmark's own npm packages (Lighthouse 12.2.3, pinned in tests/bench/package-lock.json), apart from the
# tests' so that `make test` and CI do not install them.
BENCH_NODE_STAMP := tests/bench/node_modules/.installed

$(BENCH_NODE_STAMP): tests/bench/package-lock.json tests/bench/package.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "make: setup step 'npm ci' (benchmark) failed: no 'npm' found. Install Node.js 18+ with npm" >&2; \
	  echo "  (Debian/Ubuntu: sudo apt-get install nodejs npm), then run make again." >&2; exit 1; }
	@echo "Installing the benchmark's npm packages of tests/bench/package-lock.json into tests/bench/node_modules/" \
	      "(npm ci: Lighthouse, about 150 packages; first run or a changed lock only, under a minute)..."
	@npm ci --prefix tests/bench --ignore-scripts --no-audit --no-fund || { \
	  echo "make: setup step 'npm ci' (benchmark) failed (npm's messages are above). Check that this machine" >&2; \
	  echo "  reaches the npm registry (npm config get registry) and any proxy it needs, then run make again." >&2; \
	  exit 1; }
	@touch '$@'

test: $(STAMP) $(PD_STAMP) browser $(NODE_STAMP)
	$(BIN)/python -m pytest

# the pictures of docs/onboarding/workspace.md, from the built site on a phone (look at them before committing)
screenshots: $(STAMP) browser
	$(BIN)/python tests/site/workspace_screenshots.py

bench: $(STAMP) browser $(BENCH_NODE_STAMP)
	$(BIN)/python tests/bench/bench_main.py

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[test]'
	{ echo "# Every package the project installs, pinned (direct ones are listed in pyproject.toml)."; \
	  echo "# Regenerate with: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^incident-comms-playbook'; } > requirements.lock
	rm -rf .lock-venv

# ProperDocs, the project's runtime packages (pyproject.toml, without mkdocs) at the versions of
# requirements.lock, then MkDocs and what only it needs removed: mkdocs-material and mkdocs-macros-plugin
# declare mkdocs, but ProperDocs answers their `import mkdocs`. Install the result with --no-deps.
lock-properdocs:
	@echo "Re-pinning $(PD_LOCK): properdocs==$(PROPERDOCS_VERSION) and the project's runtime packages (about 30 s)..."
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	deps=$$($(PYTHON) -c 'import tomllib; d = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]; print(" ".join(x for x in d if not x.startswith("mkdocs==")))'); \
	"$$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check -c requirements.lock \
	  properdocs==$(PROPERDOCS_VERSION) $$deps; \
	"$$tmp/venv/bin/python" -m pip uninstall --quiet --yes mkdocs mkdocs-get-deps mergedeep; \
	{ echo "# The ProperDocs engine's environment (.venv-properdocs/), pinned; installed with pip --no-deps."; \
	  echo "# Same theme, plugin and project packages as requirements.lock, ProperDocs instead of MkDocs."; \
	  echo "# Regenerate with: make lock-properdocs"; \
	  "$$tmp/venv/bin/python" -m pip freeze; } > $(PD_LOCK)

clean:
	rm -rf site .pytest_cache .hypothesis
