# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# Catalogue sources live in locales/; compiled, they go inside the package (as in a wheel).
MO     := bot/locales/zh/LC_MESSAGES/messages.mo bot/locales/en/LC_MESSAGES/messages.mo

.PHONY: run test lint typecheck pytest i18n compile-i18n migrate wheel clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"

$(VENV)/.base: pyproject.toml constraints.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

bot/locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po locales/compile.py | $(VENV)/.base
	$(PY) locales/compile.py $< $@

compile-i18n: $(MO)

migrate: $(VENV)/.base compile-i18n
	$(PY) -m bot db upgrade

run: migrate
	$(PY) -m bot run

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev
	$(BIN)/mypy

# Two workers for the tests that do not measure time, then those that do, alone (exit status 5:
# the selection left nothing to run in that half).
PYTEST_WORKERS ?= 2
pytest: $(VENV)/.dev compile-i18n
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/pytest -p no:xdist -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

test: lint typecheck pytest

# Extract msgids from the code, merge them into both catalogues (listing what lacks Chinese), compile.
i18n: $(VENV)/.base
	$(PY) locales/sync.py || echo "translate the entries listed above in locales/zh/LC_MESSAGES/messages.po"
	$(MAKE) --no-print-directory compile-i18n

# A wheel in dist/, with the compiled catalogues, the demo roster and the tour (see setup.py).
wheel: $(VENV)/.base
	$(BIN)/pip wheel --quiet --no-deps -c constraints.txt -w dist .

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist bot/locales
