"""The persistent-connection health check (officehours/postgres_backend) sends nothing
to the server for a healthy connection and still notices one the server has ended."""

import pytest
from django.db import connection, connections

from officehours.postgres_backend.base import DatabaseWrapper
from tests.workers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _other_connection():
    """A second connection to the test database, to watch or end ours from the outside."""
    return connections.create_connection("default")


def _our_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_checking_a_healthy_idle_connection_sends_the_server_nothing():
    assert isinstance(connections["default"], DatabaseWrapper)
    pid = _our_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement before the check'")
    assert connection.is_usable()
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
            [last] = cursor.fetchone()
    finally:
        other.close()
    assert last == "SELECT 'the last statement before the check'"


def test_a_connection_the_server_ended_is_found_unusable_and_replaced():
    pid = _our_pid()
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    # The server's goodbye reaches our socket a moment later.
    assert wait_for(lambda: not connection.is_usable(), timeout=10)

    # What Django does at the start of a request: check, close, open anew.
    connection.health_check_enabled = True
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
