"""Issue 17: the invitation's title does not repeat the product's name, and a
cancelled week's calendar events and agenda no longer offer the meeting link."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from officehours.booking.services.bookings import booking_create
from officehours.booking.services.sessions import session_cancel
from officehours.calendars.ics import adviser_feed, booking_invitation, employee_feed
from officehours.calendars.text import summary
from tests.booking_factories import make_series, slot_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

LINK = "https://teams.example.se/m"


def events(ical: bytes):
    return Calendar.from_ical(ical).walk("VEVENT")


def test_the_invitation_title_names_the_product_once(employee):
    for title, expected in [
        ("Frågestund om sociala medier", "Frågestund om sociala medier"),
        ("Sociala medier", "Frågestund: Sociala medier"),
    ]:
        series = make_series(weeks_ahead=2, title=title)
        session = series.sessions.order_by("starts_at").first()
        booking = booking_create(user=employee, slot_id=slot_at(session).pk)  # in Swedish
        [event] = events(booking_invitation(booking))
        assert str(event["SUMMARY"]) == expected


def test_an_english_title_with_the_product_name_is_not_prefixed(db):
    series = make_series(weeks_ahead=1, title="Frågestund: social media")
    with translation.override("en"):
        assert summary(series) == "Frågestund: social media"


@pytest.fixture
def cancelled_week(frozen_now, adviser, employee):
    series = make_series(weeks_ahead=2, meeting_url=LINK)
    series.advisers.add(adviser)
    first, second = series.sessions.order_by("starts_at")[:2]
    booking_create(user=employee, slot_id=slot_at(first).pk)
    session_cancel(session=first, reason="Sjuk", actor=adviser)
    return first, second


@pytest.mark.usefixtures("cancelled_week")
def test_a_cancelled_week_in_the_feeds_has_no_meeting_link(adviser, employee):
    by_status = {}
    for event in events(adviser_feed(adviser)):
        by_status.setdefault(str(event["STATUS"]), []).append(event)
    [cancelled] = by_status["CANCELLED"]
    assert "URL" not in cancelled and LINK not in cancelled.to_ical().decode()
    assert str(cancelled["LOCATION"]) == "Rum 101"
    assert all(str(held["URL"]) == LINK for held in by_status["CONFIRMED"])  # held weeks keep it
    [booked] = events(employee_feed(employee))
    assert str(booked["STATUS"]) == "CANCELLED"
    assert "URL" not in booked and LINK not in booked.to_ical().decode()


def test_a_cancelled_weeks_agenda_has_no_meeting_link(adviser_client, cancelled_week):
    first, second = cancelled_week
    page = adviser_client.get(reverse("advisers:agenda", args=[first.pk])).content.decode()
    assert LINK not in page
    page = adviser_client.get(reverse("advisers:agenda", args=[second.pk])).content.decode()
    assert LINK in page
