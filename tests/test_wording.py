"""Words for people, not for programs: empty choices that say what to do, counts in
their plural, the common time zones first, calendar links and API tokens in plain terms."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from faq.forms import EntryForm
from officehours.booking.services.bookings import booking_create
from officehours.questions.adviser_forms import BulkActionForm
from officehours.questions.forms import QuestionForm
from tests.booking_factories import make_series, slot_at
from tests.faq_factories import topic

# --- empty choices -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make_form", "field", "label"),
    [
        (lambda user: QuestionForm(user=user), "topic", "Välj ämne"),
        (lambda user: EntryForm(), "topic", "Välj ämne"),
        (lambda user: BulkActionForm(), "assignee", "Välj rådgivare"),
    ],
)
def test_it_names_the_empty_choice(employee, make_form, field, label):
    topic()
    with translation.override("sv"):
        html = str(make_form(employee)[field])
    assert "---------" not in html
    assert f'<option value="" selected>{label}</option>' in html


def test_the_ask_page_has_no_dashes_for_a_choice(employee_client):
    topic()
    html = employee_client.get(reverse("questions:ask")).content.decode()
    assert "---------" not in html and ">Välj ämne</option>" in html


# --- counts --------------------------------------------------------------------------


def test_the_weekly_schedule_counts_seats_in_the_plural(frozen_now, adviser_client):
    make_series(title="En plats", seats_per_slot=1)
    make_series(title="Två platser", seats_per_slot=2)
    html = adviser_client.get(reverse("advisers:series_list")).content.decode()
    text = re.sub(r"\s+", " ", html)
    assert "4 tider på 15 minuter, 1 plats per tid" in text
    assert "4 tider på 15 minuter, 2 platser per tid" in text
    assert "(er)" not in text


# --- time zones ----------------------------------------------------------------------


def zone_groups(html: str) -> list[tuple[str, list[str]]]:
    select = re.search(r'<select[^>]*name="(?:time_zone|timezone)".*?</select>', html, re.S)
    assert select is not None
    return [
        (label, re.findall(r'<option value="([^"]+)"', options))
        for label, options in re.findall(
            r'<optgroup label="([^"]+)">(.*?)</optgroup>', select.group(0), re.S
        )
    ]


def test_the_profile_offers_the_common_time_zones_first(employee_client, employee, settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    html = employee_client.get(reverse("accounts:profile")).content.decode()
    [(common, first), (rest, others)] = zone_groups(html)
    assert common == "Vanliga tidszoner" and rest == "Alla andra tidszoner"
    assert first[:5] == [
        "Europe/Stockholm",
        "Europe/Helsinki",
        "Europe/Oslo",
        "Europe/Copenhagen",
        "Europe/Tallinn",
    ]
    assert {"Europe/London", "UTC"} <= set(first)
    assert len(others) > 500 and not set(first) & set(others)
    assert others == sorted(others)
    assert '<option value="Europe/Stockholm" selected>' in html

    # A zone from the long list is as valid as one of the first.
    employee_client.post(
        reverse("accounts:profile"), {"name": "Anna", "language": "sv", "time_zone": "Asia/Tokyo"}
    )
    employee.refresh_from_db()
    assert employee.time_zone == "Asia/Tokyo"


def test_the_organisations_zone_comes_first(adviser_client, settings):
    settings.TIME_ZONE = "America/New_York"
    html = adviser_client.get(reverse("advisers:series_create")).content.decode()
    [(_common, first), (_rest, others)] = zone_groups(html)
    assert first[:2] == ["America/New_York", "Europe/Stockholm"]
    assert "America/New_York" not in others


# --- calendars and API tokens --------------------------------------------------------


def test_the_invitation_link_speaks_of_the_calendar(session, employee_client, employee):
    booking_create(user=employee, slot_id=slot_at(session).pk)
    html = employee_client.get(reverse("booking:mine")).content.decode()
    assert ">Lägg till i kalendern</a>" in html
    assert ".ics</a>" not in html


def test_api_tokens_are_folded_under_advanced(employee_client):
    html = employee_client.get(reverse("accounts:profile")).content.decode()
    details = re.search(r"<details[^>]*>\s*<summary>Avancerat</summary>(.*?)</details>", html, re.S)
    assert details is not None and " open" not in details.group(0).split(">")[0]
    assert 'id="tokens-heading"' in details.group(1)
    assert html.count('id="tokens-heading"') == 1

    response = employee_client.post(reverse("accounts:token_create"), {"name": "rapport"})
    html = response.content.decode()
    assert re.search(r"<details[^>]* open>\s*<summary>Avancerat</summary>", html)
