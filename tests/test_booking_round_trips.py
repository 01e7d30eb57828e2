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
