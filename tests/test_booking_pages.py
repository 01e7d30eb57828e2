"""The employees' booking pages: book, my bookings, cancel, reschedule, waitlist."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officehours.booking.models import Booking, WaitlistEntry
from officehours.booking.services.bookings import booking_cancel, booking_create
from tests.booking_factories import make_series, slot_at
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("frozen_now", "english_employees")


@pytest.mark.django_db
def test_the_book_page_lists_sessions_and_free_seats(employee_client, session):
    response = employee_client.get(reverse("booking:book"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thursday 5 February, 10:00–11:00" in body
    assert reverse("booking:book_slot", args=[slot_at(session).pk]) in body
    assert "Book 10:15" in body
    assert "Rum 101" in body


@pytest.mark.django_db
def test_times_follow_the_users_time_zone(employee_client, employee, session):
    employee.time_zone = "Europe/London"
    employee.save()
    body = employee_client.get(reverse("booking:book")).content.decode()
    assert "Thursday 5 February, 09:00–10:00" in body


@pytest.mark.django_db
def test_booking_in_one_step_with_a_note(employee_client, employee, session):
    url = reverse("booking:book_slot", args=[slot_at(session, 1).pk])
    page = employee_client.get(url, {"note": "Från sökningen"})
    assert "Från sökningen" in page.content.decode()
    response = employee_client.post(url, {"note": "Får jag dela jobbinlägg?"})
    assert response.status_code == 302
    booking = Booking.objects.get(user=employee)
    assert response.url == reverse("booking:booked", args=[booking.pk])
    assert booking.note == "Får jag dela jobbinlägg?"
    mine = employee_client.get(reverse("booking:mine")).content.decode()
    assert "Får jag dela jobbinlägg?" in mine
    assert "Booked: Thursday 5 February 10:15." in mine


@pytest.mark.django_db
def test_a_refusal_keeps_the_note_and_explains(employee_client, other_employee, session):
    booking_create(user=other_employee, slot_id=slot_at(session).pk)
    url = reverse("booking:book_slot", args=[slot_at(session).pk])
    response = employee_client.post(url, {"note": "Min <b>fråga</b>"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "fully booked" in body
    assert "Min &lt;b&gt;fråga&lt;/b&gt;" in body


@pytest.mark.django_db
def test_unknown_slot_is_404(employee_client):
    assert employee_client.get(reverse("booking:book_slot", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_cancel_after_confirming(employee_client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    url = reverse("booking:cancel", args=[booking.pk])
    assert "Cancel this booking?" in employee_client.get(url).content.decode()
    response = employee_client.post(url)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.CANCELLED


@pytest.mark.django_db
def test_reschedule_from_the_page(employee_client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    url = reverse("booking:reschedule", args=[booking.pk])
    page = employee_client.get(url).content.decode()
    assert "Thursday 5 February 10:45" in page
    response = employee_client.post(url, {"slot": slot_at(session, 3).pk})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == slot_at(session, 3).pk


@pytest.mark.django_db
def test_reschedule_to_a_slot_that_filled_meanwhile(
    employee_client, employee, other_employee, session
):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    url = reverse("booking:reschedule", args=[booking.pk])
    employee_client.get(url)
    booking_create(user=other_employee, slot_id=slot_at(session, 2).pk)
    response = employee_client.post(url, {"slot": slot_at(session, 2).pk})
    assert response.status_code in (400, 409)
    booking.refresh_from_db()
    assert booking.slot_id == slot_at(session).pk


@pytest.mark.django_db
def test_an_outsider_gets_404_for_someone_elses_booking(other_client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    for name in ("booking:cancel", "booking:reschedule"):
        assert other_client.get(reverse(name, args=[booking.pk])).status_code == 404
        assert other_client.post(reverse(name, args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.ACTIVE
    assert "Anna" not in other_client.get(reverse("booking:mine")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,args",
    [
        ("booking:book", []),
        ("booking:mine", []),
        ("booking:book_slot", [1]),
        ("booking:cancel", [1]),
        ("booking:reschedule", [1]),
        ("booking:waitlist", [1]),
    ],
)
def test_visitors_are_sent_to_sign_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_waitlist_from_the_pages(employee_client, employee, other_employee, session):
    session.slots.exclude(position=0).update(capacity=0, removed=True)
    theirs = booking_create(user=other_employee, slot_id=slot_at(session).pk)
    book_page = employee_client.get(reverse("booking:book")).content.decode()
    assert reverse("booking:waitlist", args=[session.pk]) in book_page
    response = employee_client.post(
        reverse("booking:waitlist", args=[session.pk]), {"note": "Hjälp"}
    )
    assert response.status_code == 302
    assert WaitlistEntry.objects.get(user=employee).note == "Hjälp"

    booking_cancel(booking=theirs, actor=other_employee)
    mine = employee_client.get(reverse("booking:mine")).content.decode()
    assert "is held for you" in mine
    employee_client.post(reverse("booking:book_slot", args=[slot_at(session).pk]), {"note": ""})
    assert Booking.objects.get(user=employee).status == Booking.ACTIVE


@pytest.mark.django_db
def test_leaving_the_waitlist(employee_client, employee, other_employee, session):
    session.slots.exclude(position=0).update(capacity=0, removed=True)
    booking_create(user=other_employee, slot_id=slot_at(session).pk)
    employee_client.post(reverse("booking:waitlist", args=[session.pk]), {"note": ""})
    response = employee_client.post(reverse("booking:waitlist_leave", args=[session.pk]))
    assert response.status_code == 302
    assert WaitlistEntry.objects.get(user=employee).status == WaitlistEntry.LEFT


@pytest.mark.django_db
def test_joining_with_free_seats_is_refused_with_a_message(employee_client, session):
    response = employee_client.post(reverse("booking:waitlist", args=[session.pk]), {"note": "x"})
    assert response.status_code == 409
    assert "free seats" in response.content.decode()


@pytest.mark.django_db
def test_holiday_weeks_show_why(employee_client, employee):
    with time_machine.travel(datetime(2026, 12, 14, 8, 0, tzinfo=UTC), tick=False):
        make_series(weeks_ahead=3)
        employee_client.force_login(employee)
        body = employee_client.get(reverse("booking:book")).content.decode()
    assert "Christmas Eve" in body
    assert "No question hour this week." in body


def _bookings(series, count, prefix):
    people = [make_user(f"{prefix}{i}@example.se") for i in range(count)]
    sessions = series.sessions.order_by("starts_at")[:2]
    slots = [s for session in sessions for s in session.slots.all()] * 3
    for person, slot in zip(people, slots, strict=False):
        slot.capacity = 10
        slot.save()
        booking_create(user=person, slot_id=slot.pk)


@pytest.mark.django_db
def test_book_page_queries_do_not_grow_with_bookings(
    employee_client, series, django_assert_num_queries
):
    _bookings(series, 2, "few")
    with CaptureQueriesContext(connection) as few:
        employee_client.get(reverse("booking:book"))
    _bookings(series, 10, "many")
    with django_assert_num_queries(len(few)):
        response = employee_client.get(reverse("booking:book"))
    assert response.status_code == 200
    assert b"8 seats free" in response.content  # 12 bookings over 8 slots of 10 seats


@pytest.mark.django_db
def test_book_page_queries_do_not_grow_with_ones_own_bookings(
    employee_client, employee, django_assert_num_queries
):
    """Each of one's bookings says when it is: its slot comes with it, not one query each."""
    series = make_series(weeks_ahead=4)
    first, *others = series.sessions.order_by("starts_at")[:4]
    booking_create(user=employee, slot_id=slot_at(first).pk)
    with CaptureQueriesContext(connection) as one:
        employee_client.get(reverse("booking:book"))
    for session in others:
        booking_create(user=employee, slot_id=slot_at(session, 1).pk)
    with django_assert_num_queries(len(one)):
        body = employee_client.get(reverse("booking:book")).content.decode()
    assert len(others) == 3
    assert body.count("You are booked at") == 4


@pytest.mark.django_db
def test_my_bookings_queries_do_not_grow(
    employee_client, employee, series, django_assert_max_num_queries
):
    for session in series.sessions.order_by("starts_at")[:2]:
        booking_create(user=employee, slot_id=slot_at(session).pk)
    with django_assert_max_num_queries(8):
        response = employee_client.get(reverse("booking:mine"))
    assert response.status_code == 200 and len(response.context["upcoming"]) == 2
