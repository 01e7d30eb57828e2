"""Counts one person cannot inflate: a view or a "This answered my question" counts once
per person (or anonymous visitor), entry and day, on the pages and in the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from faq.models import Deflection, Entry, EntryViewDay, EntryVisitor
from faq.services import entry_visitors_forget
from officehours.accounts.tokens import api_token_create
from tests.faq_factories import make_entry

pytestmark = pytest.mark.django_db

DEFLECT = reverse("faq:deflect")
TIMES = 40
BROWSER = {"REMOTE_ADDR": "192.0.2.7", "HTTP_USER_AGENT": "Firefox/140"}


@pytest.fixture
def entry(db):
    return make_entry("Får jag dela chefens inlägg på LinkedIn?", "Ja, från ditt privata konto.")


def detail_url(entry):
    return reverse("faq:detail", args=[entry.slug])


def views_of(entry) -> tuple[int, int]:
    """The entry's total, and the days' figures the insights page adds up."""
    entry.refresh_from_db()
    days = EntryViewDay.objects.filter(entry=entry).values_list("views", flat=True)
    return entry.view_count, sum(days)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user) -> dict[str, str]:
    _stored, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def deflect(client, entry, source="ask"):
    response = client.post(DEFLECT, {"entry": entry.pk, "source": source})
    assert response.status_code == 302
    return response


# "This answered my question"


def test_one_person_deflecting_forty_times_counts_once(frozen_now, employee_client, entry):
    for number in range(TIMES):
        deflect(employee_client, entry, source="ask" if number % 2 else "booking")
    assert Deflection.objects.count() == 1


def test_two_people_count_twice(frozen_now, employee, other_employee, entry):
    for person in (employee, other_employee):
        client = signed_in(person)
        deflect(client, entry)
        deflect(client, entry)
    assert Deflection.objects.count() == 2


def test_the_next_day_counts_again(frozen_now, employee_client, entry):
    deflect(employee_client, entry)
    frozen_now.shift(timedelta(days=1))
    deflect(employee_client, entry)
    deflect(employee_client, entry)
    assert Deflection.objects.count() == 2


def test_the_day_ends_at_midnight_in_stockholm(frozen_now, employee_client, entry):
    frozen_now.move_to(datetime(2026, 2, 2, 22, 30, tzinfo=UTC))  # 23:30 in Stockholm
    deflect(employee_client, entry)
    frozen_now.move_to(datetime(2026, 2, 2, 23, 30, tzinfo=UTC))  # 00:30, the next day
    deflect(employee_client, entry)
    assert Deflection.objects.count() == 2


def test_each_entry_counts_on_its_own(frozen_now, employee_client, entry):
    other = make_entry("Får jag svara en journalist?")
    deflect(employee_client, entry)
    deflect(employee_client, other)
    assert Deflection.objects.count() == 2


# Views on the page


def test_forty_reads_by_one_person_are_one_view(frozen_now, employee_client, entry):
    for _ in range(TIMES):
        assert employee_client.get(detail_url(entry)).status_code == 200
    assert views_of(entry) == (1, 1)


def test_two_people_are_two_views_and_tomorrow_counts_again(
    frozen_now, employee, other_employee, entry
):
    anna, bo = signed_in(employee), signed_in(other_employee)
    for client in (anna, bo, anna, bo):
        client.get(detail_url(entry))
    assert views_of(entry) == (2, 2)
    frozen_now.shift(timedelta(days=1))
    anna.get(detail_url(entry))
    anna.get(detail_url(entry))
    assert views_of(entry) == (3, 3)


def test_an_anonymous_visitor_with_a_session_counts_once(frozen_now, client, entry, settings):
    settings.FAQ_PUBLIC = True
    client.get(reverse("faq:index"), {"q": "LinkedIn"}, **BROWSER)  # the search starts a session
    assert settings.SESSION_COOKIE_NAME in client.cookies
    for _ in range(TIMES):
        assert client.get(detail_url(entry), **BROWSER).status_code == 200
    assert views_of(entry) == (1, 1)


def test_an_anonymous_client_without_cookies_counts_once(frozen_now, entry, settings):
    settings.FAQ_PUBLIC = True
    for _ in range(TIMES):
        assert Client().get(detail_url(entry), **BROWSER).status_code == 200
    assert views_of(entry) == (1, 1)
    Client().get(detail_url(entry), REMOTE_ADDR="192.0.2.8", HTTP_USER_AGENT="Firefox/140")
    assert views_of(entry) == (2, 2)


def test_invented_session_cookies_are_no_new_visitors(frozen_now, entry, settings):
    settings.FAQ_PUBLIC = True
    for number in range(TIMES):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = f"invented{number:032d}"
        assert client.get(detail_url(entry), **BROWSER).status_code == 200
    assert views_of(entry) == (1, 1)


def test_fresh_sessions_and_browser_names_are_no_new_visitors(frozen_now, entry, settings):
    # Both cost an anonymous client nothing: a search starts a session, any User-Agent
    # can be sent. What is left to tell one anonymous visitor from another: the address.
    settings.FAQ_PUBLIC = True
    for number in range(TIMES):
        client = Client()
        client.get(reverse("faq:index"), {"q": "LinkedIn"}, **BROWSER)
        assert settings.SESSION_COOKIE_NAME in client.cookies
        client.get(detail_url(entry), **BROWSER)
        Client().get(detail_url(entry), REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT=f"Bot/{number}")
        Client().get(f"/api/v1/faq/{entry.pk}", REMOTE_ADDR="192.0.2.7")
    assert views_of(entry) == (1, 1)


def test_drafts_count_no_views(frozen_now, adviser_client, db):
    draft = make_entry("Utkast", state=Entry.DRAFT)
    adviser_client.get(detail_url(draft))
    assert views_of(draft) == (0, 0) and not EntryVisitor.objects.exists()


# Views in the API


def test_the_api_counts_one_person_once(frozen_now, client, employee, other_employee, entry):
    url = f"/api/v1/faq/{entry.pk}"
    anna = bearer(employee)
    for _ in range(TIMES):
        response = client.get(url, **anna)
        assert response.status_code == 200
    assert response.json()["view_count"] == 1
    client.get(url, **bearer(other_employee))
    # The page and the API are the same reader.
    signed_in(employee).get(detail_url(entry))
    assert views_of(entry) == (2, 2)


def test_the_public_api_counts_an_anonymous_client_once(frozen_now, entry, settings):
    settings.FAQ_PUBLIC = True
    for _ in range(TIMES):
        assert Client().get(f"/api/v1/faq/{entry.pk}", **BROWSER).status_code == 200
    assert views_of(entry) == (1, 1)


# What is kept, and for how long


def test_the_rows_name_nobody(frozen_now, employee, entry, settings):
    settings.FAQ_PUBLIC = True
    signed_in(employee).get(detail_url(entry), **BROWSER)
    Client().get(detail_url(entry), **BROWSER)
    visitors = list(EntryVisitor.objects.values_list("visitor", flat=True))
    assert len(visitors) == 2
    for visitor in visitors:
        assert len(visitor) == EntryVisitor.HASH_LENGTH and int(visitor, 16) >= 0
        assert "192.0.2.7" not in visitor and str(employee.pk) != visitor


def test_the_database_refuses_a_second_row(frozen_now, entry):
    row = {"entry": entry, "day": date(2026, 2, 2), "kind": EntryVisitor.VIEW, "visitor": "a" * 32}
    EntryVisitor.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryVisitor.objects.create(**row)


def test_retention_forgets_who_was_counted_before_today(frozen_now, employee_client, entry):
    deflect(employee_client, entry)
    frozen_now.shift(timedelta(days=1))
    employee_client.get(detail_url(entry))
    assert EntryVisitor.objects.count() == 2
    assert entry_visitors_forget() == 1
    assert list(EntryVisitor.objects.values_list("kind", flat=True)) == [EntryVisitor.VIEW]
    # The figures stay: only who was counted goes.
    assert Deflection.objects.count() == 1 and views_of(entry) == (1, 1)
    # Forgotten rows do not let today's reader count again.
    employee_client.get(detail_url(entry))
    assert views_of(entry) == (1, 1)
