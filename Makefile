# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app eih
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint test-postgres chromium bench bench-startup translations extract compile clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

# Compile every catalog (core, plugins, planning, hours) that has a .po file.
compile: $(STAMP)
	@for dir in eih/translations eih/plugins/*/translations eih/planning/translations eih/hours/translations; do \
		ls $$dir/*/LC_MESSAGES/messages.po >/dev/null 2>&1 || continue; \
		$(BIN)/pybabel -q compile -f -d $$dir || exit 1; done

run: $(STAMP) compile
	$(FLASK) eih init
	@$(FLASK) eih has-data || { echo "Empty database: loading the demo data"; $(FLASK) eih demo >/dev/null; }
	@$(FLASK) eih demo-logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (installed when missing and root).
chromium:
	@bash .ci/chromium

# pyflakes and import order (configuration in pyproject.toml); `ruff check --fix` sorts imports
lint: $(STAMP)
	$(BIN)/ruff check eih tests

test: $(STAMP) lint compile chromium
	$(BIN)/python -m pytest

# The same tests (the pure scheduler aside) on a local PostgreSQL server.
test-postgres: $(STAMP) compile chromium
	url=$$(bash .ci/postgres) && EIH_TEST_POSTGRES=$$url $(BIN)/python -m pytest --ignore=tests/scheduler

bench: $(STAMP)
	$(BIN)/eih-schedule bench

# Whole-process time of `eih-schedule solve` on the real team's week against a bare OR-Tools import.
bench-startup: $(STAMP)
	$(BIN)/eih-schedule bench --startup

# Extract every translatable string and merge it into the Dutch catalogs:
# the core catalog (without plugins, planning, hours and scheduler), then each plugin's, planning's and hours' own.
BABEL_EXTRACT = $(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext
extract: $(STAMP)
	$(BABEL_EXTRACT) -o eih/translations/messages.pot --ignore-dirs="plugins planning hours scheduler migrations .* ._" eih
	@for dir in eih eih/plugins/*/ eih/planning/ eih/hours/; do \
		dir=$${dir%/}; [ -d $$dir/translations ] || continue; \
		[ $$dir = eih ] || $(BABEL_EXTRACT) -o $$dir/translations/messages.pot $$dir; \
		if [ -f $$dir/translations/nl/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel -q update -N --ignore-obsolete -i $$dir/translations/messages.pot -d $$dir/translations -l nl; \
		else $(BIN)/pybabel -q init -i $$dir/translations/messages.pot -d $$dir/translations -l nl; fi; done

translations: extract compile

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
