# piagraph — two entry points (see README "Quick start"):
#   make demo   set up, load the bundled fictional samples into the embedded store, open the app
#   make test   set up (Python packages and the Debian packages the tests need) and run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .piagraph/store
APT_PACKAGES := graphviz fonts-noto-cjk chromium

.PHONY: demo test setup setup-test system-packages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[app]'

setup-test: $(BIN)/python system-packages
	$(BIN)/pip install --quiet -e '.[app,test]'

# Debian packages for the diagram and browser tests; skipped when already present or not root.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: missing Debian packages:$$missing (run as root to install)"; fi; \
	fi

demo: setup
	$(BIN)/piagraph load --store $(STORE) samples/
	$(BIN)/piagraph list --store $(STORE)
	@if $(BIN)/piagraph --help | grep -q " app "; then $(BIN)/piagraph app --store $(STORE); fi

test: setup-test
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/bench_convert.py

clean:
	rm -rf $(VENV) .piagraph build *.egg-info
