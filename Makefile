# piagraph — two entry points (see README "Quick start"):
#   make demo   set up, load the bundled fictional samples into the embedded store, open the app
#   make test   set up (Python packages and the Debian packages the tests need) and run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .piagraph/store
DIAGRAM_PACKAGES := graphviz fonts-noto-cjk
TEST_PACKAGES := $(DIAGRAM_PACKAGES) chromium virtuoso-opensource-7-bin

.PHONY: demo test setup setup-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Debian packages: installed when missing (as root), otherwise named in a note.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: missing Debian packages:$$missing (run as root to install)"; fi; \
	fi
endef

setup: $(BIN)/python
	$(call apt_install,$(DIAGRAM_PACKAGES))
	$(BIN)/pip install --quiet -e '.[app]'

setup-test: $(BIN)/python
	$(call apt_install,$(TEST_PACKAGES))
	$(BIN)/pip install --quiet -e '.[app,test]'

demo: setup
	$(BIN)/piagraph load --store $(STORE) samples/
	$(BIN)/piagraph list --store $(STORE)
	$(BIN)/piagraph app --store $(STORE)

test: setup-test
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/bench_convert.py

clean:
	rm -rf $(VENV) .piagraph build *.egg-info
