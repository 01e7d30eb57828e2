"""Odd input and awkward moments: never a 500, never a half-done change."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from officehours.booking.models import Booking, Session, WaitlistEntry
from officehours.booking.services.bookings import booking_create, booking_reschedule
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.sessions import series_update
from officehours.booking.services.waitlist import waitlist_join
from tests.booking_factories import make_series
from tests.clock import NOW

pytestmark = pytest.mark.usefixtures("frozen_now")


def json_post(client, url, data):
    return client.post(url, data, content_type="application/json")


def json_patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"from": "9999-12-01"},
        {"from": "9999-12-30", "to": "9999-12-31"},
        {"from": "0001-01-01", "to": "0001-01-02"},
        {"series_id": "9223372036854775808"},
        {"series_id": "-1"},
    ],
)
def test_extreme_session_queries_are_422(employee_client, series, params):
    response = employee_client.get("/api/v1/sessions", params)
    assert response.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"slot_id": True},
        {"slot_id": "1"},
        {"slot_id": 0},
        {"slot_id": 2**70},
    ],
)
def test_odd_booking_bodies_are_422(employee_client, session, body):
    assert json_post(employee_client, "/api/v1/bookings", body).status_code == 422
    assert not Booking.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"meeting_url": "http://"},
        {"meeting_url": "https://not a url"},
        {"meeting_url": "javascript:alert(1)"},
        {"title": "   "},
        {"weeks_ahead": 0},
    ],
)
def test_odd_series_are_422(adviser_client, change):
    body = {
        "title": "Hour",
        "weekday": 3,
        "start_time": "10:00",
        "duration_minutes": 60,
        "slot_minutes": 15,
        "seats_per_slot": 1,
        "timezone": "Europe/Stockholm",
        "location": "",
        "weeks_ahead": 2,
        "min_notice_minutes": 60,
        "max_active_bookings": 1,
        **change,
    }
    response = json_post(adviser_client, "/api/v1/series", body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"meeting_url": "javascript:alert(1)"},
        {"starts_at": "2026-02-12"},
        {"starts_at": "9999-12-31T23:30:00"},
        {"date": "9999-12-31"},
    ],
)
def test_odd_session_changes_are_422(adviser_client, session, body):
    response = json_patch(adviser_client, f"/api/v1/sessions/{session.pk}", body)
    assert response.status_code == 422
    session.refresh_from_db()
    assert not session.moved


@pytest.mark.django_db
def test_cancel_and_move_together_is_refused_before_anything_happens(
    adviser_client, employee, session
):
    booking = booking_create(user=employee, slot_id=session.slots.first().pk)
    response = json_patch(
        adviser_client,
        f"/api/v1/sessions/{session.pk}",
        {"status": "cancelled", "reason": "x", "start_time": "11:00"},
    )
    assert response.status_code == 422
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (session.status, booking.status) == ("scheduled", "active")


@pytest.mark.django_db
def test_moving_a_session_into_the_spring_gap(client, adviser):
    adviser_client = client
    with time_machine.travel(datetime(2026, 3, 20, 8, 0, tzinfo=UTC), tick=False):
        adviser_client.force_login(adviser)
        series = make_series(weekday=6, weeks_ahead=1)  # Sundays
        session = series.sessions.order_by("starts_at").first()  # Sunday 22 March
        response = json_patch(
            adviser_client,
            f"/api/v1/sessions/{session.pk}",
            {"date": "2026-03-29", "start_time": "02:30"},
        )
    assert response.status_code == 200
    assert response.json()["starts_at"] == "2026-03-29T03:30:00+02:00"
    session.refresh_from_db()
    assert session.ends_at - session.starts_at == timedelta(hours=1)


@pytest.mark.django_db
def test_a_stale_booking_object_is_rescheduled_from_where_it_really_is(employee, series):
    first, second = series.sessions.order_by("starts_at")[:2]
    booking = booking_create(user=employee, slot_id=first.slots.get(position=0).pk, now=NOW)
    stale = Booking.objects.get(pk=booking.pk)
    booking_reschedule(
        booking=booking, slot_id=second.slots.get(position=0).pk, actor=employee, now=NOW
    )
    moved = booking_reschedule(
        booking=stale, slot_id=second.slots.get(position=1).pk, actor=employee, now=NOW
    )
    assert moved.slot_id == second.slots.get(position=1).pk
    assert [s.booked for s in second.slots.order_by("position")][:2] == [0, 1]
    assert first.slots.get(position=0).booked == 0


@pytest.mark.django_db
def test_a_weekday_change_never_moves_this_weeks_session_into_the_past(employee):
    with time_machine.travel(datetime(2026, 2, 4, 8, 0, tzinfo=UTC), tick=False):  # Wednesday
        series = make_series(weeks_ahead=1)
        this_week = series.sessions.order_by("starts_at").first()  # Thursday 5 Feb
        booking = booking_create(user=employee, slot_id=this_week.slots.first().pk)
        series_update(series=series, weekday=0)  # Mondays
    this_week.refresh_from_db()
    booking.refresh_from_db()
    assert this_week.starts_at.date().isoformat() == "2026-02-05"
    assert booking.status == Booking.ACTIVE


@pytest.mark.django_db
def test_a_weekday_change_follows_the_holidays(employee):
    with time_machine.travel(datetime(2026, 3, 23, 8, 0, tzinfo=UTC), tick=False):
        series = make_series(weeks_ahead=3)  # Thursdays: 26 Mar, 2 Apr, 9 Apr, 16 Apr
        series_update(series=series, weekday=4)  # Fridays: 3 April is Good Friday
    good_friday = series.sessions.get(starts_at__date="2026-04-03")
    assert (good_friday.status, good_friday.holiday_name) == ("cancelled", "Good Friday")
    with time_machine.travel(datetime(2026, 5, 4, 8, 0, tzinfo=UTC), tick=False):
        ascension = make_series(title="B", weeks_ahead=2)  # Thursday 14 May is Ascension Day
        skipped = ascension.sessions.get(starts_at__date="2026-05-14")
        assert skipped.status == "cancelled"
        series_update(series=ascension, weekday=1)  # Tuesdays: 12 May is an ordinary day
    skipped.refresh_from_db()
    assert (skipped.status, skipped.holiday_name) == ("scheduled", "")
    assert skipped.starts_at.date().isoformat() == "2026-05-12"


@pytest.mark.django_db
def test_ending_a_series_cancels_its_future_weeks_with_notice(employee, series, session):
    booking = booking_create(user=employee, slot_id=session.slots.first().pk)
    series_update(series=series, is_active=False)
    booking.refresh_from_db()
    assert booking.status == Booking.CANCELLED
    assert booking.cancel_reason
    assert not series.sessions.filter(status=Session.SCHEDULED).exists()


@pytest.mark.django_db
def test_no_waitlist_once_booking_has_closed(employee, other_employee, session):
    session.slots.exclude(position=0).update(capacity=0, removed=True)
    slot = session.slots.get(position=0)
    booking_create(user=other_employee, slot_id=slot.pk)
    late = slot.starts_at - timedelta(minutes=10)
    with pytest.raises(BookingRefused) as info:
        waitlist_join(user=employee, session_id=session.pk, now=late)
    assert info.value.code == "booking_closed"
    assert not WaitlistEntry.objects.exists()


@pytest.mark.django_db
def test_a_removed_slot_is_closed_not_a_cancelled_session(employee, series):
    session = series.sessions.order_by("starts_at").first()
    series_update(series=series, start_time=time(10, 0), duration_minutes=30)
    removed = session.slots.get(position=3)
    with pytest.raises(BookingRefused) as info:
        booking_create(user=employee, slot_id=removed.pk)
    assert info.value.code == "booking_closed"
