"""The database layer: constraints that hold on both SQLite and PostgreSQL."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from officehours.accounts.models import User


@pytest.mark.django_db
def test_email_addresses_are_unique_whatever_their_case(employee):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ANNA@example.se")


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_postgresql_pass_really_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW timezone")
        assert cursor.fetchone()[0] == "UTC"


def _booking_functions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname FROM pg_proc JOIN pg_namespace n ON n.oid = pronamespace"
            " WHERE n.nspname = current_schema() AND proname LIKE 'booking%%'"
        )
        return sorted(name for (name,) in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_part_of_booking_lives_as_sql_functions():
    """Migration booking/0007 drops the functions 0003 once made, where they exist."""
    assert _booking_functions() == []
    with connection.cursor() as cursor:  # as a database migrated before 0007 has it
        cursor.execute(
            "CREATE FUNCTION booking_session_key(p_session bigint) RETURNS bigint"
            " LANGUAGE sql IMMUTABLE AS $$ SELECT p_session $$"
        )
    assert _booking_functions() == ["booking_session_key"]
    drop = importlib.import_module(
        "officehours.booking.migrations.0007_drop_booking_read_functions"
    )
    with connection.schema_editor() as editor:
        drop._drop(apps, editor)
    assert _booking_functions() == []
