"""The database layer: constraints that hold on both SQLite and PostgreSQL."""

import pytest
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
