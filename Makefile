# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The PostgreSQL pass of `make test`; pytest-django creates and drops test_<name>.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/fragestund
PYTEST_ARGS ?=

.PHONY: install run test lint format messages makemessages check-deploy clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiles locale/*/LC_MESSAGES/django.po to .mo (pure Python: no GNU gettext needed).
messages: install
	$(PY) manage.py compile_translations

# Re-extracts strings from the code into the catalogues (needs GNU gettext's xgettext).
makemessages: install
	$(PY) manage.py makemessages --locale sv --locale en --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'

run: messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	bin/serve-dev

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# SQLite pass first (the embedded default), then the same suite on PostgreSQL
# when it answers. With REQUIRE_SERVICES=1 an unreachable PostgreSQL fails the run.
test: lint messages
	DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)
	@if $(PY) -m tests.services postgres "$(TEST_DATABASE_URL)"; then \
		echo "== PostgreSQL pass ($(TEST_DATABASE_URL)) =="; \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "PostgreSQL at $(TEST_DATABASE_URL) does not answer and REQUIRE_SERVICES=1" >&2; exit 1; \
	else \
		echo "== PostgreSQL pass skipped: $(TEST_DATABASE_URL) does not answer =="; \
	fi

check-deploy: install
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var staticfiles
