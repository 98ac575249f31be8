# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
MO     := locales/zh/LC_MESSAGES/messages.mo locales/en/LC_MESSAGES/messages.mo

.PHONY: run test lint typecheck pytest i18n compile-i18n migrate clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"

$(VENV)/.base: pyproject.toml constraints.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po | $(VENV)/.base
	$(BIN)/pybabel compile --use-fuzzy -d locales -D messages -l $* >/dev/null

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

pytest: $(VENV)/.dev compile-i18n
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Extract msgids from the code, merge them into both catalogues (listing what lacks Chinese), compile.
i18n: $(VENV)/.base
	$(PY) locales/sync.py || echo "translate the entries listed above in locales/zh/LC_MESSAGES/messages.po"
	$(BIN)/pybabel compile --use-fuzzy -d locales -D messages >/dev/null

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
