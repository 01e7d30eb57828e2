"""A booking rush is bound by round trips to the database: the booking request's are pinned.

PostgreSQL: the token (one statement), BEGIN, the locks with everything the
rules need (one), the writes (one), COMMIT. (Sending the e-mail is the worker's.)
"""

import pytest
import time_machine

from officehours.accounts.tokens import api_token_create
from tests.booking_factories import make_series
from tests.conftest import make_user
from tests.test_rawrows import NOW


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # a real BEGIN and COMMIT
def test_a_booking_through_the_api_takes_five_round_trips(
    client, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("officehours.notifications.outbox.send_soon", lambda: None)
    with time_machine.travel(NOW, tick=False):
        series = make_series(weeks_ahead=2)
    slot = series.sessions.order_by("starts_at").first().slots.first()
    person = make_user("anna@example.se")
    _token, raw = api_token_create(user=person, name="script")
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(5):
        response = client.post(
            "/api/v1/bookings",
            {"slot_id": slot.pk},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
    assert response.status_code == 201, response.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # real commits: a refusal must not roll back
def test_the_booking_statements_stay_prepared_across_refusals(client, monkeypatch):
    """PostgreSQL parses and plans the booking's fixed statements once per connection.

    psycopg forgets every prepared statement on ROLLBACK, so a refusal (most requests
    of a rush for a full hour) must end its transaction with COMMIT instead."""
    from django.db import connection

    monkeypatch.setattr("officehours.notifications.outbox.send_soon", lambda: None)
    with time_machine.travel(NOW, tick=False):
        series = make_series(weeks_ahead=2, seats_per_slot=1)
    slot = series.sessions.order_by("starts_at").first().slots.first()
    tokens = []
    for n in range(4):
        _token, raw = api_token_create(user=make_user(f"p{n}@example.se"), name="script")
        tokens.append(raw)

    def book(raw):
        return client.post(
            "/api/v1/bookings",
            {"slot_id": slot.pk},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    with time_machine.travel(NOW, tick=False):
        statuses = [book(raw).status_code for raw in tokens]
    assert statuses == [201, 409, 409, 409]  # one seat; the rest are refused
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        runs = cursor.fetchall()
    # Prepared at the second run and kept: three runs since, through three refusals.
    assert [count for statement, count in runs if "booking_facts_now" in statement] == [3]
    assert [count for statement, count in runs if "token_last_used_at" in statement] == [3]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_only_a_refusal_commits_without_waiting_for_the_disk(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("officehours.notifications.outbox.send_soon", lambda: None)
    with time_machine.travel(NOW, tick=False):
        series = make_series(weeks_ahead=2, seats_per_slot=1)
    slot = series.sessions.order_by("starts_at").first().slots.first()
    raws = [
        api_token_create(user=make_user(f"p{n}@example.se"), name="script")[1] for n in range(2)
    ]
    statements = []
    for raw in raws:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as seen:
            client.post(
                "/api/v1/bookings",
                {"slot_id": slot.pk},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            )
        statements.append([q["sql"] or "" for q in seen.captured_queries])
    booked, refused = statements
    assert not any("synchronous_commit" in sql for sql in booked)  # a booking is durable
    asynchronous = [i for i, sql in enumerate(refused) if "synchronous_commit" in sql]
    assert asynchronous and refused[-1] == "COMMIT" and asynchronous[0] < len(refused) - 1
