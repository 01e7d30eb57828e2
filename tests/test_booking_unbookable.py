"""What cannot be booked says why before the click, and a refusal keeps the page.

Issue 17, points 2 and 3: the book page and a slot's page ask the booking rule
itself (selectors.slot_to_book, upcoming_sessions), so the reason shown beside a
disabled button is the one booking would give; the no-JavaScript preview step says
plainly that nothing is booked yet.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from officehours.booking.models import Booking, Series
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.sessions import session_cancel
from tests.booking_factories import make_series, slot_at
from tests.faq_factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "english_employees")]

FULL = "That time is fully booked. Pick another time or join the waitlist."
CLOSED = "Booking for that time has closed."
NOT_OPEN = "Booking for that time has not opened yet."
AT_CAP = "You already have as many bookings in this session as you may have."
CANCELLED = "That session is cancelled."


def _reason_on_book_page(html: str, slot) -> str:
    """The text beside the slot's disabled button on /book/ ('' if it has none)."""
    button = re.search(rf'<button type="button" disabled aria-describedby="why-{slot.pk}">', html)
    reason = re.search(rf'<span class="reason" id="why-{slot.pk}">(.*?)</span>', html, re.S)
    return reason.group(1).strip() if button and reason else ""


def _reason_on_slot_page(html: str) -> str:
    """The text beside the disabled "Book" button on /book/<slot>/ ('' if it is enabled)."""
    button = re.search(r'<button type="submit" disabled aria-describedby="book-blocked">', html)
    reason = re.search(r'<p id="book-blocked" class="reason"[^>]*>(.*?)</p>', html, re.S)
    return reason.group(1).strip() if button and reason else ""


def _pages(client, slot) -> tuple[str, str]:
    book = client.get(reverse("booking:book"))
    one = client.get(reverse("booking:book_slot", args=[slot.pk]))
    assert book.status_code == 200 and one.status_code == 200
    return book.content.decode(), one.content.decode()


def test_a_full_slot_says_so_and_a_full_session_offers_the_waitlist(
    employee_client, other_employee
):
    series = make_series(duration_minutes=15)  # one slot of one seat per week
    session = series.sessions.order_by("starts_at")[0]
    slot = slot_at(session)
    booking_create(user=other_employee, slot_id=slot.pk)
    book, one = _pages(employee_client, slot)
    waitlist = reverse("booking:waitlist", args=[session.pk])
    assert _reason_on_book_page(book, slot) == FULL
    assert _reason_on_slot_page(one) == FULL
    assert f'href="{waitlist}"' in book and f'href="{waitlist}"' in one


def test_a_full_slot_in_a_session_with_free_seats_does_not_offer_the_waitlist(
    employee_client, other_employee, session
):
    slot = slot_at(session)
    booking_create(user=other_employee, slot_id=slot.pk)
    book, one = _pages(employee_client, slot)
    assert _reason_on_book_page(book, slot) == FULL
    assert _reason_on_slot_page(one) == FULL
    assert reverse("booking:waitlist", args=[session.pk]) not in book + one


def test_a_slot_past_its_notice_is_closed(employee_client, session):
    slot = slot_at(session)  # 10:00, an hour's notice: closed from 09:00
    with time_machine.travel(datetime(2026, 2, 5, 8, 30, tzinfo=UTC), tick=False):
        book, one = _pages(employee_client, slot)
    assert _reason_on_book_page(book, slot) == CLOSED
    assert _reason_on_slot_page(one) == CLOSED


def test_a_slot_not_open_yet_says_when_it_opens(employee_client, series):
    Series.objects.filter(pk=series.pk).update(weeks_ahead=1)
    later = series.sessions.order_by("starts_at")[1]  # 12 February: opens 5 February 10:00
    slot = slot_at(later)
    book, one = _pages(employee_client, slot)
    assert _reason_on_book_page(book, slot) == f"{NOT_OPEN} Opens 5 February 10:00."
    assert _reason_on_slot_page(one) == NOT_OPEN


def test_a_cancelled_week_cannot_be_booked(employee_client, session):
    session_cancel(session=session, reason="Personaldag", actor=None)
    slot = slot_at(session)
    book, one = _pages(employee_client, slot)
    assert re.search(
        rf'<button type="button" disabled aria-describedby="cancelled-{session.pk}">Book</button>',
        book,
    )
    assert "No question hour this week." in book and "Personaldag" in book
    assert _reason_on_slot_page(one) == CANCELLED


def test_at_the_cap_the_other_slots_say_so_and_link_to_moving_the_booking(
    employee_client, employee, session
):
    mine = booking_create(user=employee, slot_id=slot_at(session).pk)
    other = slot_at(session, 1)
    book, one = _pages(employee_client, other)
    move = reverse("booking:reschedule", args=[mine.pk])
    assert _reason_on_book_page(book, other) == AT_CAP
    assert _reason_on_slot_page(one) == AT_CAP
    assert f'href="{move}"' in book and f'href="{move}"' in one
    assert "Move your booking at 10:00 to another time" in one
    bookable = reverse("booking:book_slot", args=[slot_at(session, 1).pk])
    assert f'href="{bookable}"' not in book  # a link only where booking would say yes
    # Moving within the session does not count against the cap: its other times stay.
    page = employee_client.get(move)
    choices = [c[0] for c in page.context["form"].fields["slot"].choices]
    assert other.pk in choices and slot_at(session).pk not in choices


@pytest.mark.parametrize("case", ["cancelled", "at_cap"])
def test_a_refused_booking_is_shown_in_the_page_with_the_note_kept(
    employee_client, employee, session, case
):
    if case == "cancelled":
        session_cancel(session=session, reason="", actor=None)
        message = CANCELLED
    else:
        booking_create(user=employee, slot_id=slot_at(session, 2).pk)
        message = AT_CAP
    url = reverse("booking:book_slot", args=[slot_at(session).pk])
    response = employee_client.post(url, {"note": "Min <b>fråga</b>", "suggestions_seen": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    assert html.lstrip().startswith("<!DOCTYPE html>") and '<main id="main"' in html
    assert "Min &lt;b&gt;fråga&lt;/b&gt;" in html
    assert _reason_on_slot_page(html) == message
    assert html.count(message) == 1  # said once, as the alert beside the disabled button
    assert 'id="book-blocked" class="reason" role="alert"' in html
    assert Booking.objects.filter(user=employee).count() == (0 if case == "cancelled" else 1)


def test_with_javascript_the_form_says_so_as_it_is_sent(employee_client, session):
    html = employee_client.get(reverse("booking:book_slot", args=[slot_at(session).pk]))
    text = html.content.decode()
    # static/js/book-form.js sets the field named here as the form is sent.
    assert 'id="book-form" data-scripted-field="book-form-scripted"' in text
    assert '<script src="/static/js/book-form.js" defer></script>' in text
    assert 'name="suggestions_seen" id="book-form-scripted" value=""' in text


def test_without_javascript_the_preview_says_nothing_is_booked_yet(employee_client, session):
    entry = make_entry(
        "Får jag dela chefens LinkedIn-inlägg från mitt privata konto?",
        "Ja, gärna.",
        tags=["linkedin"],
    )
    url = reverse("booking:book_slot", args=[slot_at(session).pk])
    note = "Får jag dela chefens LinkedIn-inlägg privat?"
    preview = employee_client.post(url, {"note": note, "suggestions_seen": ""})
    html = preview.content.decode()
    assert preview.status_code == 200 and not Booking.objects.exists()
    assert "Nothing is booked yet." in html and entry.title in html and note in html
    assert 'name="suggestions_seen" id="book-form-scripted" value="1"' in html
    booked = employee_client.post(url, {"note": note, "suggestions_seen": "1"})
    assert booked.status_code == 302 and Booking.objects.count() == 1


def test_the_slot_page_is_a_fixed_number_of_queries(
    employee_client, employee, other_employee, series, django_assert_max_num_queries
):
    first, second = series.sessions.order_by("starts_at")[:2]
    booking_create(user=employee, slot_id=slot_at(first).pk)
    booking_create(user=other_employee, slot_id=slot_at(first, 1).pk)
    booking_create(user=other_employee, slot_id=slot_at(second).pk)
    url = reverse("booking:book_slot", args=[slot_at(first, 2).pk])
    # The slot; its session's slots, one's bookings and waitlist entries; one's
    # unscheduled questions; sign-in's own.
    with django_assert_max_num_queries(10):
        response = employee_client.get(url)
    assert _reason_on_slot_page(response.content.decode()) == AT_CAP
