"""Issue 17: a changed booking's e-mail says what changed (a new time, a new place or
meeting link, or both), the invitation updates either way, and e-mails carry the
reader's language in their HTML."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from officehours.booking.services.bookings import booking_create
from officehours.booking.services.sessions import series_update, session_cancel, session_move
from tests.booking_factories import make_series, slot_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TIME_SV = "Det här är den nya tiden"
PLACE_SV = "Ny plats eller möteslänk"
LINK = "https://teams.example.se/m"


@pytest.fixture
def series(adviser, frozen_now):
    series = make_series(weeks_ahead=2)  # in Rum 101, no meeting link
    series.advisers.add(adviser)
    return series


@pytest.fixture
def session(series):
    return series.sessions.order_by("starts_at").first()


def change_email(person, django_capture_on_commit_callbacks, change):
    """Runs `change` and returns the one change e-mail it sent the person (really sent)."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change()
    [message] = [m for m in mail.outbox if person.email in m.to]
    return message


def book(person, session, capture, position=0):
    """Books, and sends the confirmation then, so that only the change is left to send."""
    with capture(execute=True):
        booking_create(user=person, slot_id=slot_at(session, position).pk)


def invitation(message):
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event


def test_a_new_meeting_link_is_not_called_a_new_time(
    employee, series, session, django_capture_on_commit_callbacks
):
    book(employee, session, django_capture_on_commit_callbacks)
    message = change_email(
        employee,
        django_capture_on_commit_callbacks,
        lambda: series_update(series=series, meeting_url=LINK),
    )
    assert "Ändrad plats eller möteslänk" in message.subject
    assert PLACE_SV in message.body and "din tid är densamma" in message.body
    assert TIME_SV not in message.body and "Ny tid" not in message.body
    assert LINK in message.body and "10:00–10:15" in message.body
    event = invitation(message)
    assert int(event["SEQUENCE"]) == 1 and str(event["URL"]) == LINK


def test_a_new_time_is_called_a_new_time(
    employee, series, session, django_capture_on_commit_callbacks
):
    book(employee, session, django_capture_on_commit_callbacks)
    message = change_email(
        employee,
        django_capture_on_commit_callbacks,
        lambda: series_update(series=series, start_time=time(11, 0)),
    )
    assert "Ändrad tid:" in message.subject
    assert "Ny tid" in message.body and TIME_SV in message.body
    assert PLACE_SV not in message.body and "11:00–11:15" in message.body
    assert int(invitation(message)["SEQUENCE"]) == 1


def test_a_new_time_and_place_say_both(
    employee, series, session, django_capture_on_commit_callbacks
):
    book(employee, session, django_capture_on_commit_callbacks)
    message = change_email(
        employee,
        django_capture_on_commit_callbacks,
        lambda: series_update(series=series, start_time=time(11, 0), location="Aulan"),
    )
    assert "Ändrad tid och plats" in message.subject
    assert "Ny tid och ny plats eller möteslänk" in message.body
    assert "Både din tid och platsen" in message.body
    assert "11:00–11:15" in message.body and "Aulan" in message.body
    assert int(invitation(message)["SEQUENCE"]) == 1


def test_moving_one_week_names_what_moved_in_english_too(
    other_employee, session, django_capture_on_commit_callbacks
):
    book(other_employee, session, django_capture_on_commit_callbacks)  # Bo reads English
    message = change_email(
        other_employee,
        django_capture_on_commit_callbacks,
        lambda: session_move(session=session, actor=None, meeting_url="https://meet.example.se/x"),
    )
    assert "New place or meeting link:" in message.subject
    assert "your time is the same" in message.body
    assert "https://meet.example.se/x" in message.body  # the week's own link, not the series'
    assert int(invitation(message)["SEQUENCE"]) == 1

    later = session.starts_at + timedelta(hours=2)
    message = change_email(
        other_employee,
        django_capture_on_commit_callbacks,
        lambda: session_move(session=session, actor=None, starts_at=later, location="Aulan"),
    )
    assert "New time and place:" in message.subject
    assert int(invitation(message)["SEQUENCE"]) == 2


def test_the_html_is_marked_with_the_readers_language(
    employee, other_employee, session, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(user=employee, slot_id=slot_at(session, 0).pk)
        booking_create(user=other_employee, slot_id=slot_at(session, 1).pk)
    html = {m.to[0]: m.alternatives[0].content for m in mail.outbox}
    assert '<html lang="en">' in html[other_employee.email]
    assert '<html lang="sv">' in html[employee.email]


def test_a_cancelled_weeks_email_leaves_the_meeting_link_out(
    employee, series, session, django_capture_on_commit_callbacks
):
    series_update(series=series, meeting_url=LINK)
    session.refresh_from_db()
    book(employee, session, django_capture_on_commit_callbacks)
    message = change_email(
        employee,
        django_capture_on_commit_callbacks,
        lambda: session_cancel(session=session, reason="Sjuk", actor=None),
    )
    assert "Avbokad" in message.subject
    assert LINK not in message.body and LINK not in message.alternatives[0].content
