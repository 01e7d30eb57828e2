"""The persistent-connection health check (officehours/postgres_backend) costs no
round trip on a healthy connection and still notices one the server has ended."""

import time

import pytest
from django.db import connection, connections

from officehours.postgres_backend.base import DatabaseWrapper


def _other_connection():
    """A second connection to the test database, to end ours from the outside."""
    return connections.create_connection("default")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_healthy_idle_connection_is_not_asked(monkeypatch):
    connection.ensure_connection()
    asked = []
    monkeypatch.setattr(
        "django.db.backends.postgresql.base.DatabaseWrapper.is_usable",
        lambda self: asked.append(True) or True,
    )
    assert isinstance(connections["default"], DatabaseWrapper)
    assert connection.is_usable()
    assert asked == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_found_unusable_and_replaced():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    time.sleep(0.2)  # the server's goodbye reaches our socket
    assert not connection.is_usable()

    # What Django does at the start of a request: check, close, open anew.
    connection.health_check_enabled = True
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
