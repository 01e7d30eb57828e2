"""The start page (next hour, my next booking, my open questions) and the page after booking."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from officehours.booking.models import Booking, Session
from officehours.booking.services.bookings import booking_cancel, booking_create
from officehours.questions.models import Question
from officehours.questions.services import question_from_note
from tests.booking_factories import make_series, slot_at

pytestmark = pytest.mark.usefixtures("frozen_now", "english_employees")


def _home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _booked_url(booking) -> str:
    return reverse("booking:booked", args=[booking.pk])


@pytest.mark.django_db
def test_the_start_page_shows_the_next_hour_with_free_seats_and_book_links(
    employee_client, session
):
    body = _home(employee_client)
    assert "Next question hour" in body
    assert "Thursday 5 February, 10:00–11:00" in body
    assert f'href="{reverse("booking:book_slot", args=[slot_at(session, 1).pk])}"' in body
    assert "Book 10:15" in body
    assert "1 seat free" in body
    assert f"{reverse('booking:book')}#session-{session.pk}" in body


@pytest.mark.django_db
def test_the_next_hour_skips_a_cancelled_week(employee_client, employee, series, session):
    Session.objects.filter(pk=session.pk).update(status=Session.CANCELLED)
    body = _home(employee_client)
    assert "Thursday 12 February, 10:00–11:00" in body
    assert "Thursday 5 February" not in body


@pytest.mark.django_db
def test_the_next_hour_moves_on_once_i_hold_my_one_booking_there(
    employee_client, employee, series, session
):
    booking_create(user=employee, slot_id=slot_at(session).pk)
    second = series.sessions.order_by("starts_at")[1]
    body = _home(employee_client)
    assert f'href="{reverse("booking:book_slot", args=[slot_at(second).pk])}"' in body
    assert f'href="{reverse("booking:book_slot", args=[slot_at(session, 1).pk])}"' not in body


@pytest.mark.django_db
def test_the_start_page_shows_my_next_booking_with_calendar_reschedule_and_cancel(
    employee_client, employee, series, session
):
    later = booking_create(
        user=employee, slot_id=slot_at(series.sessions.order_by("starts_at")[1]).pk
    )
    booking_cancel(booking=later, actor=employee)
    booking = booking_create(user=employee, slot_id=slot_at(session, 2).pk)
    body = _home(employee_client)
    assert "Your next booking" in body
    assert "Thursday 5 February, 10:30–10:45" in body
    assert reverse("booking:reschedule", args=[booking.pk]) in body
    assert reverse("booking:cancel", args=[booking.pk]) in body
    assert reverse("booking:invite", args=[booking.pk]) in body
    assert _booked_url(booking) in body
    assert "https://calendar.google.com/calendar/render?" in body
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in body
    assert reverse("booking:cancel", args=[later.pk]) not in body


@pytest.mark.django_db
def test_the_start_page_lists_my_open_questions_only(employee_client, employee, other_employee):
    mine = question_from_note(author=employee, note="Får jag svara journalister?")
    answered = question_from_note(author=employee, note="Får jag gilla inlägg?")
    Question.objects.filter(pk=answered.pk).update(state=Question.ANSWERED)
    theirs = question_from_note(author=other_employee, note="Bos egen fråga")
    body = _home(employee_client)
    assert "Your open questions" in body
    assert f'href="{reverse("questions:detail", args=[mine.pk])}"' in body
    assert "Får jag svara journalister?" in body
    assert "Får jag gilla inlägg?" not in body
    assert "Bos egen fråga" not in body
    assert f'href="{reverse("questions:detail", args=[theirs.pk])}"' not in body


@pytest.mark.django_db
def test_the_start_page_says_when_there_is_nothing_yet(employee_client):
    body = _home(employee_client)
    assert "No question hours are scheduled yet." in body
    assert "You have no upcoming bookings." in body
    assert "No questions are waiting for an answer." in body


@pytest.mark.django_db
def test_visitors_still_get_the_start_page_without_anyones_overview(client, employee, session):
    book_link = reverse("booking:book_slot", args=[slot_at(session).pk])
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sign in to book and ask" in body
    assert "Next question hour" not in body and book_link not in body
    client.force_login(employee)
    assert book_link in _home(client)


@pytest.mark.django_db
def test_the_start_page_keeps_its_query_count(
    employee_client, employee, other_employee, django_assert_max_num_queries
):
    for weekday in range(1, 6):
        series = make_series(
            title=f"Frågestund {weekday}", weekday=weekday, seats_per_slot=3, weeks_ahead=2
        )
        first = series.sessions.order_by("starts_at").first()
        booking_create(user=other_employee, slot_id=slot_at(first).pk)
        booking_create(user=employee, slot_id=slot_at(first, 1).pk)
    for number in range(8):
        question_from_note(author=employee, note=f"Fråga nummer {number}")
    # 12: one more for the live hours open now (officehours/live), however many.
    with django_assert_max_num_queries(12):
        body = _home(employee_client)
    assert "Your next booking" in body and "Fråga nummer 7" in body


@pytest.mark.django_db
def test_booking_leads_to_the_confirmation_page(employee_client, employee, session):
    url = reverse("booking:book_slot", args=[slot_at(session, 1).pk])
    response = employee_client.post(
        url, {"note": "Får jag dela jobbinlägg?", "suggestions_seen": "1"}
    )
    booking = Booking.objects.get(user=employee)
    assert response.status_code == 302
    assert response.url == _booked_url(booking)


@pytest.mark.django_db
def test_the_confirmation_page_has_the_details_and_three_calendar_buttons(
    employee_client, employee, series, session
):
    Session.objects.filter(pk=session.pk).update(meeting_url="https://meet.example.se/fragestund")
    booking = booking_create(
        user=employee, slot_id=slot_at(session, 1).pk, note="Får jag svara journalister?"
    )
    question = question_from_note(author=employee, note=booking.note, booking=booking)
    response = employee_client.get(_booked_url(booking))
    assert response.status_code == 200
    body = response.content.decode()
    assert "You are booked" in body
    assert series.title in body
    assert "Thursday 5 February 2026, 10:15–10:30" in body
    assert "Europe/Stockholm" in body
    assert "Rum 101" in body
    assert 'href="https://meet.example.se/fragestund"' in body
    assert f'href="{reverse("questions:detail", args=[question.pk])}"' in body
    assert f'href="{reverse("booking:invite", args=[booking.pk])}" download' in body
    google = _link(body, "https://calendar.google.com/calendar/render?")
    assert google["action"] == ["TEMPLATE"]
    assert google["dates"] == ["20260205T091500Z/20260205T093000Z"]
    outlook = _link(body, "https://outlook.live.com/calendar/0/deeplink/compose?")
    assert outlook["startdt"] == ["2026-02-05T09:15:00Z"]
    assert outlook["enddt"] == ["2026-02-05T09:30:00Z"]
    assert reverse("booking:reschedule", args=[booking.pk]) in body
    assert reverse("booking:cancel", args=[booking.pk]) in body


@pytest.mark.django_db
def test_the_confirmation_page_follows_my_time_zone(employee_client, employee, session):
    employee.time_zone = "Europe/London"
    employee.save(update_fields=["time_zone"])
    booking = booking_create(user=employee, slot_id=slot_at(session).pk, note="En fråga")
    body = employee_client.get(_booked_url(booking)).content.decode()
    assert "Thursday 5 February 2026, 09:00–09:15" in body
    assert "Europe/London" in body
    assert "En fråga" in body


@pytest.mark.django_db
def test_a_cancelled_booking_has_no_calendar_buttons(employee_client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    booking_cancel(booking=booking, actor=employee)
    body = employee_client.get(_booked_url(booking)).content.decode()
    assert "This booking is cancelled" in body
    assert "calendar.google.com" not in body
    assert reverse("booking:invite", args=[booking.pk]) not in body


@pytest.mark.django_db
def test_an_outsider_gets_404_for_my_confirmation_page(other_client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    assert other_client.get(_booked_url(booking)).status_code == 404
    assert other_client.get(reverse("booking:booked", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_visitors_are_sent_to_sign_in_from_the_confirmation_page(client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    response = client.get(_booked_url(booking))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def _link(body: str, prefix: str) -> dict[str, list[str]]:
    start = body.index(prefix)
    address = body[start : body.index('"', start)].replace("&amp;", "&")
    return parse_qs(urlparse(address).query)
