"""Shared fixtures: the clock, personas, a standard series, services and a real worker.

- The clock: `frozen_now` stops it at tests/clock.py's NOW (`ticking_now` lets it
  run on from there); `--at` (or TEST_AT)
  moves the whole run's clock to another date, to show that nothing else depends
  on the day the suite runs.
- Personas (as in healthchecks' tests): `employee` (Anna), `other_employee` (Bo,
  who must not see Anna's things), `adviser` (Rut), `other_adviser` (Sam) and the
  anonymous `client`.
- `series` and `session`: Thursdays 10:00-11:00 in Stockholm, four 15-minute slots
  of one seat, made at NOW; `session` is Thursday 5 February 2026.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import redis
import time_machine
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection

from officehours.booking.models import Series, Session
from officehours.celery import app as celery_app
from tests.booking_factories import make_series
from tests.clock import NOW
from tests.people import make_user
from tests.services import redis_answers, redis_test_url, service_unavailable
from tests.workers import broker_at, solo_worker

# --- the clock --------------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--at",
        metavar="DATETIME",
        default=os.environ.get("TEST_AT") or None,
        help=(
            "run the whole suite with the process's clock (every thread) moved to this"
            " date and time, e.g. 2026-12-24T09:00, read in Europe/Stockholm unless it"
            " has an offset; time keeps passing from there. Default: $TEST_AT."
        ),
    )


# When --at moved the clock, by time.monotonic, which time_machine leaves alone.
MOVED_AT = pytest.StashKey[float]()


def pytest_configure(config):
    at = config.getoption("--at")
    if at:
        moved = time_machine.travel(_parse_at(at), tick=True)
        moved.start()
        config.stash[MOVED_AT] = time.monotonic()
        config.add_cleanup(moved.stop)


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    # A test on a fixed clock (frozen_now, ticking_now, or a fixture that uses them) runs
    # at NOW whatever the date: `make test-dates` leaves it out (marker fixed_clock).
    for item in items:
        if {"frozen_now", "ticking_now"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.fixed_clock)


def pytest_report_header(config):
    at = config.getoption("--at")
    return [f"clock moved to {_parse_at(at).isoformat()} (--at)"] if at else []


def _parse_at(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"--at/TEST_AT: {value!r} is not an ISO date or date and time (2026-12-24T09:00)"
        ) from None
    if moment.tzinfo is None:
        # What a person in the question hour's own zone means by a date and time.
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Stockholm"))
    return moment


@pytest.fixture
def frozen_now():
    """The clock stopped at NOW for the test (its traveller, to move on explicitly)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ticking_now():
    """The clock at NOW, with time passing from there: for threads that must see time
    pass (a real worker, the live server), which a stopped clock would stall."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


# --- settings, services ------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite: the test database is a file, not Django's shared in-memory one.

    Threads (a Celery worker, the live server) share an in-memory database through
    SQLite's shared cache, where a write that meets another thread's read fails at
    once with "database table is locked" instead of waiting: a file waits (the
    connection's timeout), as the site's own database does."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tmp_path_factory.mktemp("sqlite")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Hashed static names need collectstatic; tests use plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_EMAIL_DOMAINS = ["example.se"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "sv"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run inline unless a test asks for the real worker."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def pytest_runtest_setup(item):
    wants_redis = item.get_closest_marker("redis") or item.get_closest_marker("celery_worker")
    if wants_redis and not redis_answers():
        service_unavailable(f"Redis does not answer at {redis_test_url()}")
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: runs in the PostgreSQL pass of `make test`")
    if item.get_closest_marker("e2e") and connection.vendor != "sqlite":
        pytest.skip("end-to-end: runs once, in the SQLite pass of `make test`")


@pytest.fixture
def redis_cache(settings):
    """The default cache on the test Redis (emptied), as with REDIS_URL set."""
    redis.Redis.from_url(redis_test_url()).flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "officehours.redis_cache.RedisCache",
            "LOCATION": redis_test_url(),
            "KEY_PREFIX": "fragestund-test",
        }
    }
    # Django's setting_changed handler rebuilds the cache connections.
    yield caches["default"]
    caches["default"].clear()


# --- personas ----------------------------------------------------------------------


@pytest.fixture
def employee(db):
    return make_user("anna@example.se", name="Anna Andersson")


@pytest.fixture
def other_employee(db):
    return make_user("bo@example.se", name="Bo Berg", language="en")


@pytest.fixture
def adviser(db):
    return make_user("rut@example.se", name="Rut Rådgivare", adviser=True)


@pytest.fixture
def other_adviser(db):
    return make_user("sam@example.se", name="Sam Svensson", adviser=True, language="en")


@pytest.fixture
def english_employees(employee, other_employee):
    """Anna and Bo read English pages, so a test can look for the page's own words."""
    for person in (employee, other_employee):
        person.language = "en"
        person.save(update_fields=["language"])


@pytest.fixture
def english_adviser(adviser):
    """Rut reads English pages."""
    adviser.language = "en"
    adviser.save(update_fields=["language"])


@pytest.fixture
def employee_client(client, employee):
    client.force_login(employee)
    return client


@pytest.fixture
def other_client(client, other_employee):
    client.force_login(other_employee)
    return client


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


# --- the standard question hour ------------------------------------------------------


@pytest.fixture
def series(db, frozen_now) -> Series:
    """Thursdays 10:00 in Stockholm, bookable two weeks ahead (5 and 12 February)."""
    return make_series(weeks_ahead=2)


@pytest.fixture
def session(series) -> Session:
    """The series' first session: Thursday 5 February 2026, 10:00-11:00."""
    return series.sessions.order_by("starts_at").first()


# --- a real worker -----------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread) consuming from Redis."""
    if not redis_answers():
        service_unavailable(f"Redis does not answer at {redis_test_url()}")
    redis.Redis.from_url(redis_test_url()).flushdb()
    with broker_at(redis_test_url(), {}), solo_worker() as worker:
        yield worker
