"""No overbooking under concurrency, on PostgreSQL with real threads and connections.

Each test has a negative control: with the booking's one locking function
(locking.lock_for_booking) replaced by one that locks nothing, the same race lets more
people past the rules than there are seats, which proves the test can see the
race it guards against. The racers overlap as far as the locks let them
(tests/concurrency.Crowd), not by sleeping.
"""

import threading

import pytest
from django.db import connections

from officehours.booking.models import Booking, Slot
from officehours.booking.services import locking
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.locking import run_locked
from tests.booking_factories import make_series
from tests.clock import NOW
from tests.concurrency import Crowd
from tests.people import make_user

RACERS = 12

pytestmark = pytest.mark.usefixtures("frozen_now")


def setup(seats):
    series = make_series(weeks_ahead=1, seats_per_slot=seats)
    session = series.sessions.order_by("starts_at").first()
    return session, session.slots.get(position=0)


def without_locks(monkeypatch):
    """The booking's locking function, replaced by one that only finds the session."""

    def find_session(*, slot_id, user_id, whole_session):
        return Slot.objects.values_list("session_id", flat=True).get(pk=slot_id)

    monkeypatch.setattr(locking, "lock_for_booking", find_session)


def last_seat_race(monkeypatch, seats):
    _session, slot = setup(seats)
    people = [make_user(f"racer{i}@example.se") for i in range(RACERS)]
    crowd = Crowd(monkeypatch, RACERS)
    outcomes = crowd.race(
        [lambda u=u: booking_create(user=u, slot_id=slot.pk, now=NOW) for u in people]
    )
    won = [o for o in outcomes if isinstance(o, Booking)]
    booked = Booking.objects.filter(slot=slot, status=Booking.ACTIVE).count()
    return outcomes, won, booked, crowd.passed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seats", [1, 3])
def test_exactly_the_capacity_wins_the_race(monkeypatch, seats):
    outcomes, won, booked, passed = last_seat_race(monkeypatch, seats)
    assert len(won) == booked == passed == seats  # the rules, not the constraint, said no
    assert sorted(o for o in outcomes if not isinstance(o, Booking)) == ["slot_full"] * (
        RACERS - seats
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_negative_control_without_locking_the_rules_let_too_many_through(monkeypatch):
    without_locks(monkeypatch)
    _outcomes, _won, booked, passed = last_seat_race(monkeypatch, 1)
    assert passed > 1, "the race did not overlap: the positive test proves nothing"
    # The seat counter's check constraint is the second line: still not oversold.
    assert booked == 1


def cap_race(monkeypatch):
    session, _slot = setup(1)
    person = make_user("eager@example.se")
    slots = list(session.slots.order_by("position"))
    calls = [lambda s=s: booking_create(user=person, slot_id=s.pk, now=NOW) for s in slots] * 2
    outcomes = Crowd(monkeypatch, len(calls)).race(calls)
    return outcomes, Booking.objects.filter(user=person, status=Booking.ACTIVE).count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_per_person_cap_holds_under_concurrency(monkeypatch):
    outcomes, held = cap_race(monkeypatch)
    assert held == 1
    refused = [o for o in outcomes if not isinstance(o, Booking)]
    assert set(refused) <= {"limit_reached", "already_booked", "slot_full"}
    assert len(refused) == len(outcomes) - 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_negative_control_without_locking_the_cap_is_exceeded(monkeypatch):
    without_locks(monkeypatch)
    _outcomes, held = cap_race(monkeypatch)
    assert held > 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_lock_wait_that_times_out_is_busy_not_an_error(settings):
    """Someone holds the session lock too long: the booking answers 'busy', nothing breaks."""
    session, slot = setup(1)
    person = make_user("patient@example.se")
    settings.BOOKING_LOCK_TIMEOUT_MS = 200
    holding = threading.Event()
    release = threading.Event()

    def hold_lock():
        # As every writer that needs the whole session holds it (locking.run_locked).
        run_locked(session.pk, lambda _session: (holding.set(), release.wait(10)))
        connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    holding.wait(10)
    try:
        with pytest.raises(BookingRefused) as info:
            booking_create(user=person, slot_id=slot.pk, now=NOW)
        assert (info.value.code, info.value.status) == ("busy", 503)
    finally:
        release.set()
        holder.join(10)
    assert booking_create(user=person, slot_id=slot.pk, now=NOW).status == Booking.ACTIVE
