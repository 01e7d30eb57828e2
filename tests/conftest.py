"""Shared fixtures: personas, clients, service checks and a real Celery worker.

Personas (as in healthchecks' tests): `employee` (Anna), `other_employee`
(Bo, who must not see Anna's things), `adviser` (Rut) and the anonymous
`client`.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.db import connection

from officehours.accounts.models import User
from officehours.accounts.roles import adviser_grant
from tests.services import redis_answers, redis_test_url, require_services


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Hashed static names need collectstatic; tests use plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_EMAIL_DOMAINS = ["example.se"]
    # Wake-ups run inline here: no lingering (test_notification_wakeup.py sets its own).
    settings.NOTIFICATION_WAKE_LINGER_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "sv"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run inline unless a test asks for the real worker."""
    from officehours.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _service_unavailable(reason: str):
    if require_services():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    wants_redis = item.get_closest_marker("redis") or item.get_closest_marker("celery_worker")
    if wants_redis and not redis_answers():
        _service_unavailable(f"Redis does not answer at {redis_test_url()}")
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL only: runs in the PostgreSQL pass of `make test`")
    if item.get_closest_marker("e2e"):
        from django.db import connection

        if connection.vendor != "sqlite":
            pytest.skip("end-to-end: runs once, in the SQLite pass of `make test`")


def make_user(
    email: str,
    *,
    name: str = "",
    password: str = "correct horse battery",
    verified: bool = True,
    adviser: bool = False,
    language: str = "sv",
    **extra,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, name=name, language=language, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if adviser:
        adviser_grant(user=user)
    return user


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


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread) consuming from Redis."""
    import redis
    from celery.contrib.testing.worker import start_worker

    from officehours.celery import app

    if not redis_answers():
        _service_unavailable(f"Redis does not answer at {redis_test_url()}")
    redis.Redis.from_url(redis_test_url()).flushdb()
    saved = {
        "broker_url": app.conf.broker_url,
        "broker_transport_options": app.conf.broker_transport_options,
    }
    app.conf.update(
        broker_url=redis_test_url(), broker_transport_options={}, task_always_eager=False
    )
    _reset_connections(app)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.update(**saved)
        _reset_connections(app)
        connection.close()


def _reset_connections(app):
    """Drop pooled broker connections so the next send uses the current broker_url."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
