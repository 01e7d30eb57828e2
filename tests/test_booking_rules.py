"""Every booking rule, its code and message; cancel, reschedule and the waitlist."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from officehours.booking.models import Booking, BookingEvent, Session, Slot, WaitlistEntry
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.sessions import session_cancel, session_move, session_reinstate
from officehours.booking.services.waitlist import expire_offers, waitlist_join, waitlist_leave
from officehours.notifications.models import Notification
from tests.booking_factories import make_series, slot_at
from tests.clock import NOW
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def series(db, frozen_now):
    return make_series(weeks_ahead=2, cancel_cutoff_minutes=120)


def refused(code, call):
    with pytest.raises(BookingRefused) as info:
        call()
    assert info.value.code == code
    return info.value


@pytest.mark.django_db
def test_a_booking_takes_a_seat(employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk, note=" Får jag? ", now=NOW)
    assert (booking.status, booking.note, booking.session_id) == ("active", "Får jag?", session.pk)
    assert slot_at(session).booked == 1
    assert slot_at(session).available == 0


@pytest.mark.django_db
def test_slot_full(employee, other_employee, session):
    booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW)
    error = refused(
        "slot_full",
        lambda: booking_create(user=other_employee, slot_id=slot_at(session).pk, now=NOW),
    )
    assert error.status == 409
    with translation.override("en"):
        assert "fully booked" in error.message
    with translation.override("sv"):
        assert "fullbokad" in error.message


@pytest.mark.django_db
def test_already_booked(employee, series):
    series.max_active_bookings = 2
    series.save()
    session = series.sessions.order_by("starts_at").first()
    session.slots.filter(position=0).update(capacity=2)
    booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW)
    refused(
        "already_booked",
        lambda: booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW),
    )


@pytest.mark.django_db
def test_limit_reached(employee, session):
    booking_create(user=employee, slot_id=slot_at(session, 0).pk, now=NOW)
    refused(
        "limit_reached",
        lambda: booking_create(user=employee, slot_id=slot_at(session, 1).pk, now=NOW),
    )


@pytest.mark.django_db
def test_the_cap_is_per_session(employee, series):
    first, second = series.sessions.order_by("starts_at")[:2]
    booking_create(user=employee, slot_id=slot_at(first).pk, now=NOW)
    later = booking_create(user=employee, slot_id=slot_at(second).pk, now=NOW)
    assert later.session_id == second.pk
    assert Booking.objects.filter(user=employee, status=Booking.ACTIVE).count() == 2


@pytest.mark.django_db
def test_booking_closed_within_the_minimum_notice(employee, session):
    start = slot_at(session).starts_at
    refused(
        "booking_closed",
        lambda: booking_create(
            user=employee, slot_id=slot_at(session).pk, now=start - timedelta(minutes=59)
        ),
    )
    refused(
        "booking_closed",
        lambda: booking_create(
            user=employee, slot_id=slot_at(session).pk, now=start + timedelta(days=1)
        ),
    )
    booking_create(user=employee, slot_id=slot_at(session).pk, now=start - timedelta(minutes=61))


@pytest.mark.django_db
def test_not_open_yet_beyond_the_horizon(employee, series):
    last = series.sessions.order_by("starts_at").last()  # Thursday 19 Feb, opens 5 Feb
    refused(
        "not_open_yet", lambda: booking_create(user=employee, slot_id=slot_at(last).pk, now=NOW)
    )
    booking_create(
        user=employee, slot_id=slot_at(last).pk, now=slot_at(last).starts_at - timedelta(weeks=2)
    )


@pytest.mark.django_db
def test_session_cancelled(employee, adviser, session):
    session_cancel(session=session, reason="Sjuk", actor=adviser, now=NOW)
    refused(
        "session_cancelled",
        lambda: booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW),
    )


@pytest.mark.django_db
def test_an_unknown_slot_is_does_not_exist(employee):
    with pytest.raises(Slot.DoesNotExist):
        booking_create(user=employee, slot_id=999999, now=NOW)


@pytest.mark.django_db
def test_cancel_frees_the_seat(employee, other_employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW)
    cancelled = booking_cancel(booking=booking, actor=employee, now=NOW)
    assert cancelled.status == Booking.CANCELLED
    assert cancelled.sequence == 1
    assert slot_at(session).booked == 0
    booking_create(user=other_employee, slot_id=slot_at(session).pk, now=NOW)
    refused("not_active", lambda: booking_cancel(booking=booking, actor=employee, now=NOW))


@pytest.mark.django_db
def test_employees_cannot_cancel_after_the_cut_off_but_advisers_can(employee, adviser, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW)
    late = slot_at(session).starts_at - timedelta(minutes=119)
    refused("cancel_closed", lambda: booking_cancel(booking=booking, actor=employee, now=late))
    done = booking_cancel(booking=booking, actor=adviser, reason="Krock", by_adviser=True, now=late)
    assert (done.status, done.cancel_reason, done.cancelled_by) == ("cancelled", "Krock", adviser)


@pytest.mark.django_db
def test_reschedule_moves_to_a_free_slot(employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session, 0).pk, now=NOW)
    moved = booking_reschedule(
        booking=booking, slot_id=slot_at(session, 2).pk, actor=employee, now=NOW
    )
    assert moved.pk == booking.pk
    assert moved.uid == booking.uid
    assert moved.slot_id == slot_at(session, 2).pk
    assert moved.sequence == 1
    assert (slot_at(session, 0).booked, slot_at(session, 2).booked) == (0, 1)


@pytest.mark.django_db
def test_reschedule_to_another_week(employee, series):
    first, second = series.sessions.order_by("starts_at")[:2]
    booking = booking_create(user=employee, slot_id=slot_at(first).pk, now=NOW)
    moved = booking_reschedule(
        booking=booking, slot_id=slot_at(second, 1).pk, actor=employee, now=NOW
    )
    assert moved.session_id == second.pk
    assert (slot_at(first).booked, slot_at(second, 1).booked) == (0, 1)


@pytest.mark.django_db
def test_a_failed_reschedule_keeps_the_old_booking(employee, other_employee, session):
    mine = booking_create(user=employee, slot_id=slot_at(session, 0).pk, now=NOW)
    booking_create(user=other_employee, slot_id=slot_at(session, 1).pk, now=NOW)
    refused(
        "slot_full",
        lambda: booking_reschedule(
            booking=mine, slot_id=slot_at(session, 1).pk, actor=employee, now=NOW
        ),
    )
    mine.refresh_from_db()
    assert (mine.status, mine.slot_id, mine.sequence) == ("active", slot_at(session, 0).pk, 0)
    assert (slot_at(session, 0).booked, slot_at(session, 1).booked) == (1, 1)
    refused(
        "same_slot",
        lambda: booking_reschedule(
            booking=mine, slot_id=slot_at(session, 0).pk, actor=employee, now=NOW
        ),
    )


# The waitlist


@pytest.fixture
def full_session(session, employee):
    """A one-slot session (capacity 1) that Anna has filled."""
    session.slots.exclude(position=0).update(capacity=0, removed=True)
    booking = booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW)
    return session, booking


@pytest.mark.django_db
def test_joining_the_waitlist_needs_a_full_session(other_employee, session):
    refused(
        "seats_available",
        lambda: waitlist_join(user=other_employee, session_id=session.pk, now=NOW),
    )


@pytest.mark.django_db
def test_a_freed_seat_is_offered_to_the_first_in_line_and_held(
    full_session, employee, other_employee
):
    session, booking = full_session
    third = make_user("cilla@example.se")
    first = waitlist_join(user=other_employee, session_id=session.pk, note="Om TikTok", now=NOW)
    waitlist_join(user=third, session_id=session.pk, now=NOW + timedelta(seconds=1))
    refused(
        "already_waiting",
        lambda: waitlist_join(user=other_employee, session_id=session.pk, now=NOW),
    )

    booking_cancel(booking=booking, actor=employee, now=NOW)
    first.refresh_from_db()
    assert first.status == WaitlistEntry.OFFERED
    assert first.offered_slot_id == slot_at(session).pk
    assert first.offer_expires_at == NOW + timedelta(minutes=120)
    # Held: nobody else may take it, not even the next in line.
    refused("slot_full", lambda: booking_create(user=third, slot_id=slot_at(session).pk, now=NOW))
    taken = booking_create(user=other_employee, slot_id=slot_at(session).pk, now=NOW)
    first.refresh_from_db()
    assert (first.status, first.booking_id) == (WaitlistEntry.BOOKED, taken.pk)
    assert (slot_at(session).booked, slot_at(session).held) == (1, 0)


@pytest.mark.django_db
def test_a_lapsed_offer_passes_to_the_next_in_line(full_session, employee, other_employee):
    session, booking = full_session
    third = make_user("cilla@example.se")
    first = waitlist_join(user=other_employee, session_id=session.pk, now=NOW)
    second = waitlist_join(user=third, session_id=session.pk, now=NOW + timedelta(seconds=1))
    booking_cancel(booking=booking, actor=employee, now=NOW)

    assert expire_offers(NOW + timedelta(minutes=119)) == 0
    assert expire_offers(NOW + timedelta(minutes=120)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistEntry.LAPSED
    assert second.status == WaitlistEntry.OFFERED
    assert slot_at(session).held == 1
    refused(
        "slot_full",
        lambda: booking_create(
            user=other_employee, slot_id=slot_at(session).pk, now=NOW + timedelta(minutes=121)
        ),
    )
    booking_create(user=third, slot_id=slot_at(session).pk, now=NOW + timedelta(minutes=121))


@pytest.mark.django_db
def test_a_refused_booking_writes_nothing_not_even_the_offers_it_passed_on(
    full_session, employee, other_employee
):
    """A booking first lapses offers past their time, which offers the seat to the next
    in line; when the booking is then refused, all of that rolls back with it (the
    periodic expiry does it for real)."""
    session, booking = full_session
    third, late = make_user("cilla@example.se"), make_user("dora@example.se")
    first = waitlist_join(user=other_employee, session_id=session.pk, now=NOW)
    second = waitlist_join(user=third, session_id=session.pk, now=NOW + timedelta(seconds=1))
    booking_cancel(booking=booking, actor=employee, now=NOW)
    after_cancel = set(Notification.objects.values_list("pk", flat=True))
    events = BookingEvent.objects.count()

    later = NOW + timedelta(minutes=121)  # the first offer has lapsed, unswept
    refused("slot_full", lambda: booking_create(user=late, slot_id=slot_at(session).pk, now=later))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WaitlistEntry.OFFERED, WaitlistEntry.WAITING)
    assert set(Notification.objects.values_list("pk", flat=True)) == after_cancel
    assert BookingEvent.objects.count() == events
    assert (slot_at(session).booked, slot_at(session).held) == (0, 1)

    assert expire_offers(later) == 1
    second.refresh_from_db()
    assert second.status == WaitlistEntry.OFFERED
    offers = Notification.objects.exclude(pk__in=after_cancel).filter(
        kind=Notification.WAITLIST_OFFER
    )
    assert list(offers.values_list("recipient_id", flat=True)) == [third.pk]


@pytest.mark.django_db
def test_an_offer_lapses_when_booking_closes(full_session, employee, other_employee):
    session, booking = full_session
    waitlist_join(user=other_employee, session_id=session.pk, now=NOW)
    late = slot_at(session).starts_at - timedelta(minutes=90)  # booking closes 60 min before
    booking_cancel(booking=booking, actor=employee, by_adviser=True, now=late)
    entry = WaitlistEntry.objects.get(user=other_employee)
    assert entry.offer_expires_at == slot_at(session).starts_at - timedelta(minutes=60)


@pytest.mark.django_db
def test_leaving_with_an_offer_passes_the_seat_on(full_session, employee, other_employee):
    session, booking = full_session
    third = make_user("cilla@example.se")
    waitlist_join(user=other_employee, session_id=session.pk, now=NOW)
    nxt = waitlist_join(user=third, session_id=session.pk, now=NOW + timedelta(seconds=1))
    booking_cancel(booking=booking, actor=employee, now=NOW)
    left = waitlist_leave(user=other_employee, session_id=session.pk, now=NOW)
    assert left.status == WaitlistEntry.LEFT
    nxt.refresh_from_db()
    assert nxt.status == WaitlistEntry.OFFERED
    assert slot_at(session).held == 1
    refused(
        "not_waiting", lambda: waitlist_leave(user=other_employee, session_id=session.pk, now=NOW)
    )


@pytest.mark.django_db
def test_cancelling_the_session_clears_the_waitlist(full_session, adviser, other_employee):
    session, _booking = full_session
    entry = waitlist_join(user=other_employee, session_id=session.pk, now=NOW)
    session_cancel(session=session, reason="Stängt", actor=adviser, now=NOW)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.CLEARED
    assert Session.objects.get(pk=session.pk).status == Session.CANCELLED


@pytest.mark.django_db
def test_session_changes_that_make_no_sense_are_refused(adviser, session):
    refused("not_cancelled", lambda: session_reinstate(session=session, actor=adviser, now=NOW))
    session_cancel(session=session, reason="Sjuk", actor=adviser, now=NOW)
    refused(
        "session_cancelled",
        lambda: session_cancel(session=session, reason="Igen", actor=adviser, now=NOW),
    )
    refused(
        "session_cancelled",
        lambda: session_move(session=session, actor=adviser, location="X", now=NOW),
    )
    session_reinstate(session=session, actor=adviser, now=NOW)
    refused(
        "move_to_past",
        lambda: session_move(
            session=session, actor=adviser, starts_at=NOW - timedelta(days=1), now=NOW
        ),
    )
    late = session.starts_at + timedelta(minutes=5)
    refused(
        "session_over", lambda: session_cancel(session=session, reason="x", actor=adviser, now=late)
    )


@pytest.mark.django_db
def test_an_inactive_series_takes_no_bookings(employee, series, session):
    series.is_active = False
    series.save()
    refused(
        "session_cancelled",
        lambda: booking_create(user=employee, slot_id=slot_at(session).pk, now=NOW),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"slot_minutes": 4, "duration_minutes": 60},
        {"duration_minutes": 50},
        {"timezone": "Mars/Base"},
        {"holiday_country": "XX"},
    ],
)
def test_series_rules_hold_in_the_service(change):
    with pytest.raises(ValidationError), time_machine.travel(NOW, tick=False):
        make_series(**change)
