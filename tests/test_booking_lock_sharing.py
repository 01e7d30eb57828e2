"""Which bookings wait for which (LOCKING.md), on PostgreSQL with real connections.

While nobody waits, a booking shares its session's lock and locks its slot and
its person exclusively: bookings of different slots of one hour run side by side, while
anything that needs the whole session (cancelling the week, the waitlist)
still waits for them and they for it.

A held booking stops inside its locks until released (tests/concurrency.Hold);
who waits behind it is what the server says (`pg_stat_activity`), not a timing.
"""

import threading

import pytest
from django.db import connection, transaction

from officehours.booking.models import Booking, Session, WaitlistEntry
from officehours.booking.services import locking, rules
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.locking import run_locked
from officehours.booking.services.sessions import session_cancel
from tests.booking_factories import make_series
from tests.clock import NOW
from tests.concurrency import WAIT, Hold, LockWatch, in_thread, wait_for_lock_waits, wait_until
from tests.people import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen_now"),
]


@pytest.fixture
def hold(monkeypatch):
    # E-mails are not sent: the tests watch the bookings alone.
    monkeypatch.setattr("officehours.notifications.wakeup.send_soon", lambda: None)
    return Hold(monkeypatch)


def setup(seats):
    series = make_series(weeks_ahead=1, seats_per_slot=seats)
    session = series.sessions.order_by("starts_at").first()
    return session, session.slots.get(position=0), session.slots.get(position=1)


def book(user, slot):
    return lambda: booking_create(user=user, slot_id=slot.pk, now=NOW)


def finished_or_waiting(thread: threading.Thread) -> str:
    """Waits until the request has finished or the server shows it waiting for a lock."""
    watch = LockWatch()
    try:
        wait_until(lambda: not thread.is_alive() or watch.waiting() > 0, "an outcome")
        return "finished" if not thread.is_alive() else "waiting"
    finally:
        watch.close()


def while_held(hold, person, first, then) -> tuple[str, object, object]:
    """Runs `first` (a booking by `person`, held inside its locks), then `then`: whether
    `then` finished or waited meanwhile, and each one's outcome once both are done."""
    hold.add(person)
    held, held_outcome = in_thread(first)
    hold.wait_inside()
    hold.people.clear()  # `then` runs through, once the locks let it
    other, outcome = in_thread(then)
    try:
        state = finished_or_waiting(other)
    finally:
        hold.release()
        held.join(WAIT)
        other.join(WAIT)
    return state, held_outcome[0], outcome[0]


def test_bookings_of_different_slots_do_not_wait_for_each_other(hold):
    _session, first, second = setup(1)
    slow, quick = make_user("slow@example.se"), make_user("quick@example.se")
    state, held, other = while_held(hold, slow, book(slow, first), book(quick, second))
    assert state == "finished", "it queued behind the first slot"
    assert isinstance(held, Booking) and isinstance(other, Booking)


def test_bookings_of_one_slot_still_queue(hold):
    _session, slot, _second = setup(2)
    slow, next_in_line = make_user("slow@example.se"), make_user("next@example.se")
    state, held, other = while_held(hold, slow, book(slow, slot), book(next_in_line, slot))
    assert state == "waiting", "two bookings of one slot overlapped"
    assert isinstance(held, Booking) and isinstance(other, Booking)


def test_one_person_booking_two_slots_at_once_gets_one(hold):
    _session, first, second = setup(1)
    person = make_user("twice@example.se")
    state, held, other = while_held(hold, person, book(person, first), book(person, second))
    assert state == "waiting", "the person's lock let both in"
    assert isinstance(held, Booking) and other == "limit_reached"
    assert Booking.objects.filter(user=person, status=Booking.ACTIVE).count() == 1


def test_a_booking_waiting_behind_a_cancelled_week_sees_the_cancellation():
    session, slot, _second = setup(1)
    adviser, person = make_user("adviser@example.se"), make_user("late@example.se")
    holding, release = threading.Event(), threading.Event()

    def cancel_when_released(locked):
        holding.set()
        assert release.wait(WAIT)
        session_cancel(session=locked, reason="Sjuk", actor=adviser, now=NOW)

    canceller, _ = in_thread(lambda: run_locked(session.pk, cancel_when_released))
    assert holding.wait(WAIT)
    booker, outcome = in_thread(book(person, slot))
    try:
        assert finished_or_waiting(booker) == "waiting", "it did not wait for the session"
    finally:
        release.set()
        canceller.join(WAIT)
        booker.join(WAIT)
    assert outcome == ["session_cancelled"]


@pytest.fixture
def lock_modes(monkeypatch):
    """Whether each booking attempt locked the whole session (True) or shared it."""
    modes = []
    original = locking.lock_for_booking

    def spy(**kwargs):
        modes.append(kwargs["whole_session"])
        return original(**kwargs)

    monkeypatch.setattr(locking, "lock_for_booking", spy)
    return modes


def test_with_someone_waiting_the_booking_starts_again_holding_the_whole_session(lock_modes):
    """Offers move seats between slots: with a waitlist, sharing the session is not enough."""
    session, slot, _second = setup(1)
    WaitlistEntry.objects.create(session=session, user=make_user("waiting@example.se"))
    booking = booking_create(user=make_user("books@example.se"), slot_id=slot.pk, now=NOW)
    assert booking.status == Booking.ACTIVE
    assert lock_modes == [False, True]


def test_with_nobody_waiting_one_shared_attempt_books(lock_modes):
    _session, slot, _second = setup(1)
    booking_create(user=make_user("books@example.se"), slot_id=slot.pk, now=NOW)
    assert lock_modes == [False]


def test_what_the_rules_read_is_read_after_the_lock_wait():
    """The person's booking committed while we waited for their lock is counted."""
    session, first, second = setup(1)
    person = make_user("counted@example.se")
    holding, release = threading.Event(), threading.Event()

    def lock(slot):
        locking.lock_for_booking(slot_id=slot.pk, user_id=person.pk, whole_session=False)

    def book_first_when_released():
        with transaction.atomic():
            lock(first)
            holding.set()
            assert release.wait(WAIT)
            Booking.objects.create(slot=first, session=session, user=person)

    def read_second():
        with transaction.atomic():
            lock(second)
            return rules.my_bookings(session=session, user=person, slot=second, moving=None)

    first_booker, _ = in_thread(book_first_when_released)
    assert holding.wait(WAIT)
    reader, seen = in_thread(read_second)
    try:
        wait_for_lock_waits(1)  # the reader waits for the person's lock
    finally:
        release.set()
        first_booker.join(WAIT)
        reader.join(WAIT)
    assert seen == [rules.MyBookings(count=1, in_this_slot=False)]


@pytest.mark.django_db(transaction=False)
def test_inside_a_callers_transaction_the_whole_session_is_locked_at_once(lock_modes):
    """A savepoint would keep a first attempt's shared lock; two such callers could then
    deadlock asking for the whole session. (pytest-django runs this test inside a
    transaction.)"""
    _session, slot, _second = setup(1)
    assert connection.in_atomic_block
    booking_create(user=make_user("books@example.se"), slot_id=slot.pk, now=NOW)
    assert lock_modes == [True]


def test_a_writer_waiting_for_the_whole_session_is_not_overtaken_by_new_bookings(hold):
    """Bookings share the session's lock, but one that arrives while a cancellation waits
    for them queues behind it: the cancellation is not starved, and the booking sees it."""
    session, first, second = setup(1)
    slow, late, adviser = (
        make_user("slow@example.se"),
        make_user("late@example.se"),
        make_user("adviser@example.se"),
    )
    hold.add(slow)
    held, held_outcome = in_thread(book(slow, first))
    hold.wait_inside()
    canceller, _ = in_thread(
        lambda: session_cancel(
            session=Session.objects.get(pk=session.pk), reason="Sjuk", actor=adviser, now=NOW
        )
    )
    try:
        wait_for_lock_waits(1)  # the cancellation waits for the booking in progress
        booker, outcome = in_thread(book(late, second))
        wait_for_lock_waits(2)  # and the late booking queues behind the cancellation
    finally:
        hold.release()
        held.join(WAIT)
        canceller.join(WAIT)
    booker.join(WAIT)
    assert isinstance(held_outcome[0], Booking)  # in before the cancellation, then cancelled
    assert outcome == ["session_cancelled"]
    assert Session.objects.get(pk=session.pk).status == Session.CANCELLED
