# Two entry points a newcomer needs: `make run` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-postgresql bench demo system-deps clean

$(VENV)/.runtime: requirements.txt pyproject.toml
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@# The package itself, editable: `outside-in` on the PATH of the venv, imports without path tricks.
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m meeting init --demo --if-missing
	@# Prints the GM passcode on the first run (only its hash is kept); says where it comes from afterwards.
	$(PY) -m meeting passcode
	$(PY) -m streamlit run app.py

# Browser tests drive Debian's Chromium; the minutes export is checked by LibreOffice; tests marked both_engines
# start a throw-away PostgreSQL server from Debian's binaries (tests/support/postgres.py). All come from apt.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null \
			|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) apt-get update -q && \
		$(SUDO) apt-get install -y -q --no-install-recommends chromium libreoffice-writer-nogui poppler-utils postgresql; \
	fi

test: $(VENV)/.dev system-deps
	$(VENV)/bin/ruff check meeting views tests bench app.py router.py
	@# Types of meeting/ and views/ (configured in pyproject.toml; its cache in .mypy_cache): 12-50 s cold (a loaded 2-core machine), 1 s warm.
	$(PY) -m mypy meeting views
	$(PY) -m pytest

# The unit and page tests with every database fixture on PostgreSQL (a server of their own, on a free port).
test-postgresql: $(VENV)/.dev system-deps
	$(PY) -m pytest --engine=postgresql tests/unit tests/pages

bench: $(VENV)/.dev
	@# As modules from the project root: benches share helpers (bench.scale_bench) and import the package as installed.
	@for script in bench/*_bench.py; do name=$$(basename $$script .py); echo "== $$script"; $(PY) -m bench.$$name || exit 1; done

# Regenerate the demo CSVs from the committed generator (deterministic: same seed, same files).
demo: $(VENV)/.runtime
	$(PY) -m meeting.demo generate

clean:
	rm -rf $(VENV) .pytest_cache
