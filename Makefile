# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The PostgreSQL pass of `make test`; pytest-django creates and drops test_<name>.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/fragestund
PYTEST_ARGS ?=
# `make test-at AT=2026-12-24T09:00`: the suite with the whole process's clock moved there.
AT ?=
# The dates `make test-dates` (and so CI) moves the clock to, in Europe/Stockholm: Christmas
# Eve (a holiday on the hour's own weekday), the Thursday and the night of the spring
# change of the clocks, the repeated hour of the autumn change, and New Year's Eve.
HARD_DATES ?= 2026-12-24T09:00 2027-03-25T10:05 2027-03-28T02:30 2026-10-25T02:30 2026-12-31T23:30

.PHONY: cluster cluster-drill cluster-stop install run test test-at test-dates lint format messages makemessages check-deploy clean

# -qq: pip's warnings about index locations of the machine's own pip.conf are not ours to fix.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --disable-pip-version-check --progress-bar off -r requirements-dev.txt
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

# mypy (settings in pyproject.toml): strict for the services, selectors and API modules.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# $(call passes,PYTEST ARGUMENTS): pytest on SQLite (the embedded default) and, when it
# answers, the same on PostgreSQL, side by side: each pass is one process, and two cores
# take both in the time of the longer (SQLite, with the browser tests). The PostgreSQL pass
# has a Redis database of its own and prints when both are done. With REQUIRE_SERVICES=1
# an unreachable PostgreSQL fails.
define passes
	@logs=$$(mktemp -d); postgres=0; \
	if $(PY) -m tests.services postgres "$(TEST_DATABASE_URL)"; then \
		postgres=1; \
		( DATABASE_URL="$(TEST_DATABASE_URL)" TEST_REDIS_URL=redis://127.0.0.1:6379/9 \
			$(BIN)/pytest -p no:cacheprovider $(1) > "$$logs/pg.log" 2>&1; \
			echo $$? > "$$logs/pg.rc" ) & \
	elif [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "PostgreSQL at $(TEST_DATABASE_URL) does not answer and REQUIRE_SERVICES=1" >&2; exit 1; \
	fi; \
	echo "== SQLite pass =="; \
	DATABASE_URL= $(BIN)/pytest $(1); status=$$?; \
	wait; \
	if [ "$$postgres" = 1 ]; then \
		echo "== PostgreSQL pass ($(TEST_DATABASE_URL)) =="; cat "$$logs/pg.log"; \
		[ "$$(cat "$$logs/pg.rc")" = 0 ] || status=1; \
	else \
		echo "== PostgreSQL pass skipped: $(TEST_DATABASE_URL) does not answer =="; \
	fi; \
	rm -rf "$$logs"; exit $$status
endef

test: lint messages
	$(call passes,$(PYTEST_ARGS))

# The browser tests are left out: they are the slowest, and run at a fixed moment of their own.
test-at: install messages
	@[ -n "$(AT)" ] || { echo "usage: make test-at AT=2026-12-24T09:00 (Europe/Stockholm)" >&2; exit 2; }
	$(call passes,--at "$(AT)" -m "not e2e" -q $(PYTEST_ARGS))

# The SQLite pass at each of HARD_DATES (what depends on the date is computed in Python,
# the same on both databases); `make test-at` runs both passes at one date. The passes run
# side by side, each with a Redis database and temporary files of its own: they wait on
# the disk and the network as much as on the cores, so together they take about half as long.
# The walks of every page with odd input (marker `walk`), the modules that never read
# the calendar (marker `dateless`) and the tests on a fixed clock (marker `fixed_clock`,
# set by tests/conftest.py on every test using frozen_now or ticking_now: they run at
# NOW whatever the date) run once, in `make test`: the date changes nothing there, and
# five more runs of them would take CI past its ten minutes.
test-dates: install messages
	@logs=$$(mktemp -d); n=0; \
	for at in $(HARD_DATES); do \
		n=$$((n + 1)); \
		( DATABASE_URL= TEST_REDIS_URL=redis://127.0.0.1:6379/$$((15 - n)) \
			$(BIN)/pytest -p no:cacheprovider --at "$$at" -m "not e2e and not walk and not dateless and not fixed_clock" -q $(PYTEST_ARGS) \
			> "$$logs/$$n.log" 2>&1; echo $$? > "$$logs/$$n.rc" ) & \
	done; \
	wait; status=0; n=0; \
	for at in $(HARD_DATES); do \
		n=$$((n + 1)); echo "== clock moved to $$at =="; \
		if [ "$$(cat "$$logs/$$n.rc")" = 0 ]; then tail -n 1 "$$logs/$$n.log"; \
		else cat "$$logs/$$n.log"; status=1; fi; \
	done; \
	rm -rf "$$logs"; exit $$status

# The production topology on this machine (deploy/cluster.py): PostgreSQL behind PgBouncer,
# Redis, two web nodes behind HAProxy on 127.0.0.1:8080, two Celery workers and two beats.
cluster: install
	$(PY) -m deploy.cluster start

cluster-stop:
	$(PY) -m deploy.cluster stop

# The fault drill (deploy/drill.py): a cluster of its own under a rush of bookings, with a
# web node, a worker and the active beat killed and Redis restarted; exits 1 if a promise
# failed. Bounded (about three minutes), 127.0.0.1 only.
cluster-drill: install
	$(PY) -m deploy.drill

check-deploy: install
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var staticfiles
