# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app eih
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench translations extract compile clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

compile: $(STAMP)
	@for dir in eih/translations eih/plugins/*/translations; do \
		[ -d $$dir ] && $(BIN)/pybabel compile -q -f -d $$dir || true; done

run: $(STAMP) compile
	$(FLASK) eih init
	@$(FLASK) eih has-data || $(FLASK) eih demo
	@$(FLASK) eih demo-logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(STAMP) compile
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/eih-schedule bench

# Extract every translatable string and merge it into the Dutch catalogs.
extract: $(STAMP)
	$(BIN)/pybabel extract -q -F babel.cfg -k _l -k lazy_gettext -o eih/translations/messages.pot eih --ignore-dirs=plugins
	$(BIN)/pybabel update -q -N -i eih/translations/messages.pot -d eih/translations -l nl
	@for dir in eih/plugins/*/; do name=$$(basename $$dir); [ -d $$dir/translations ] || continue; \
		$(BIN)/pybabel extract -q -F babel.cfg -k _l -k lazy_gettext -o $$dir/translations/messages.pot $$dir; \
		$(BIN)/pybabel update -q -N -i $$dir/translations/messages.pot -d $$dir/translations -l nl; done

translations: extract compile

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
