"""Which bookings wait for which (LOCKING.md), on PostgreSQL with real connections.

While nobody waits, a booking shares its session's lock and locks its slot and
its person: bookings of different slots of one hour run side by side, while
anything that needs the whole session (cancelling the week, the waitlist)
still waits for them and they for it.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from officehours.booking.models import Booking, Session, WaitlistEntry
from officehours.booking.services import rules, slot_facts
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.locking import run_locked
from officehours.booking.services.sessions import session_cancel
from tests.conftest import make_user
from tests.test_booking_concurrency import NOW, race, setup

HOLD = 0.6  # seconds a slowed booking keeps its locks


@pytest.fixture
def slow_for(monkeypatch):
    """Bookings by the given people hold their locks for HOLD seconds after the checks.

    (E-mails are not sent: the tests time the bookings alone.)"""
    monkeypatch.setattr("officehours.notifications.outbox.send_soon", lambda: None)
    slowed = set()
    original = rules.check_can_book

    def check(**kwargs):
        original(**kwargs)
        if kwargs["user"].pk in slowed:
            time.sleep(HOLD)

    monkeypatch.setattr("officehours.booking.services.bookings.check_can_book", check)
    return slowed


def after(seconds, call):
    def run():
        time.sleep(seconds)
        return call()

    return run


def timed(call):
    def run():
        started = time.monotonic()
        try:
            outcome = call()
        except BookingRefused as exc:
            outcome = exc.code
        return outcome, time.monotonic() - started

    return run


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bookings_of_different_slots_do_not_wait_for_each_other(slow_for):
    session, first = setup(1)
    second = session.slots.get(position=1)
    slow, quick = make_user("slow@example.se"), make_user("quick@example.se")
    slow_for.add(slow.pk)
    outcomes = race(
        [
            timed(lambda: booking_create(user=slow, slot_id=first.pk, now=NOW)),
            timed(after(0.1, lambda: booking_create(user=quick, slot_id=second.pk, now=NOW))),
        ]
    )
    (slow_outcome, _slow_seconds), (quick_outcome, quick_seconds) = outcomes
    assert isinstance(slow_outcome, Booking) and isinstance(quick_outcome, Booking)
    assert quick_seconds < HOLD - 0.1, "the second slot's booking queued behind the first"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bookings_of_one_slot_still_queue(slow_for):
    _session, slot = setup(2)
    slow, next_in_line = make_user("slow@example.se"), make_user("next@example.se")
    slow_for.add(slow.pk)
    outcomes = race(
        [
            timed(lambda: booking_create(user=slow, slot_id=slot.pk, now=NOW)),
            timed(after(0.1, lambda: booking_create(user=next_in_line, slot_id=slot.pk, now=NOW))),
        ]
    )
    (_slow_outcome, _), (outcome, seconds) = outcomes
    assert isinstance(outcome, Booking)
    assert seconds > HOLD - 0.2, "two bookings of one slot did not serialise"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_booking_two_slots_at_once_gets_one(slow_for):
    session, first = setup(1)
    second = session.slots.get(position=1)
    person = make_user("twice@example.se")
    slow_for.add(person.pk)
    outcomes = race(
        [
            lambda: booking_create(user=person, slot_id=first.pk, now=NOW),
            lambda: booking_create(user=person, slot_id=second.pk, now=NOW),
        ]
    )
    assert sorted(o if isinstance(o, str) else "booked" for o in outcomes) == [
        "booked",
        "limit_reached",
    ]
    assert Booking.objects.filter(user=person, status=Booking.ACTIVE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_booking_waiting_behind_a_cancelled_week_sees_the_cancellation():
    session, slot = setup(1)
    adviser, person = make_user("adviser@example.se"), make_user("late@example.se")
    holding, release = threading.Event(), threading.Event()

    def cancel_slowly():
        def work(locked):
            holding.set()
            release.wait(10)
            session_cancel(session=locked, reason="Sjuk", actor=adviser, now=NOW)

        run_locked(session.pk, work)
        connections.close_all()

    canceller = threading.Thread(target=cancel_slowly)
    canceller.start()
    holding.wait(10)
    outcome = []

    def book():
        try:
            booking_create(user=person, slot_id=slot.pk, now=NOW)
            outcome.append("booked")
        except BookingRefused as exc:
            outcome.append(exc.code)
        finally:
            connection.close()

    booker = threading.Thread(target=book)
    booker.start()
    time.sleep(0.3)
    assert not outcome, "the booking did not wait for the session's own lock"
    release.set()
    canceller.join(10)
    booker.join(10)
    assert outcome == ["session_cancelled"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_someone_waiting_the_booking_takes_the_sessions_own_lock(monkeypatch):
    session, slot = setup(1)
    WaitlistEntry.objects.create(session=session, user=make_user("waiting@example.se"))
    person = make_user("books@example.se")
    modes = []
    original = slot_facts.lock_and_read

    def spy(slot_id, user, *, exclusive):
        facts = original(slot_id, user, exclusive=exclusive)
        modes.append((exclusive, facts.shared, facts.queue))
        return facts

    monkeypatch.setattr(slot_facts, "lock_and_read", spy)
    booking = booking_create(user=person, slot_id=slot.pk, now=NOW)
    assert booking.status == Booking.ACTIVE
    # Shared first; someone waits, so again with the session's own lock.
    assert modes == [(False, True, True), (True, False, True)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_facts_are_read_after_the_lock_wait():
    """The person's bookings committed while we waited for the lock are counted."""
    session, first = setup(1)
    second = session.slots.get(position=1)
    person = make_user("counted@example.se")
    holding, release = threading.Event(), threading.Event()

    def book_first_slowly():
        with transaction.atomic():
            facts = slot_facts.lock_and_read(first.pk, person, exclusive=False)
            holding.set()
            release.wait(10)
            Booking.objects.create(slot=facts.slot, session=facts.session, user=person)
        connections.close_all()

    first_booker = threading.Thread(target=book_first_slowly)
    first_booker.start()
    holding.wait(10)
    seen = []

    def read_second():
        with transaction.atomic():
            seen.append(slot_facts.lock_and_read(second.pk, person, exclusive=False).mine)
        connection.close()

    reader = threading.Thread(target=read_second)
    reader.start()
    time.sleep(0.3)
    release.set()
    first_booker.join(10)
    reader.join(10)
    assert seen == [rules.MyBookings(count=1, in_this_slot=False)]


@pytest.mark.postgres
@pytest.mark.django_db
def test_inside_a_callers_transaction_the_sessions_own_lock_is_taken_at_once(monkeypatch):
    """A savepoint would keep a first attempt's shared locks; two such callers could then
    deadlock upgrading. (pytest-django runs this test inside a transaction.)"""
    session, slot = setup(1)
    WaitlistEntry.objects.create(session=session, user=make_user("waiting@example.se"))
    modes = []
    original = slot_facts.lock_and_read

    def spy(slot_id, user, *, exclusive):
        modes.append(exclusive)
        return original(slot_id, user, exclusive=exclusive)

    monkeypatch.setattr(slot_facts, "lock_and_read", spy)
    assert connection.in_atomic_block
    booking_create(user=make_user("books@example.se"), slot_id=slot.pk, now=NOW)
    assert modes == [True]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_waiting_for_the_whole_session_is_not_overtaken_by_new_bookings(slow_for):
    """Bookings share the session's lock, but one that arrives while a cancellation waits
    for them queues behind it: the cancellation is not starved, and the booking sees it."""
    session, first = setup(1)
    second = session.slots.get(position=1)
    slow, late, adviser = (
        make_user("slow@example.se"),
        make_user("late@example.se"),
        make_user("adviser@example.se"),
    )
    slow_for.add(slow.pk)
    outcomes = race(
        [
            lambda: booking_create(user=slow, slot_id=first.pk, now=NOW),
            after(
                0.15,
                lambda: session_cancel(
                    session=Session.objects.get(pk=session.pk),
                    reason="Sjuk",
                    actor=adviser,
                    now=NOW,
                ),
            ),
            after(0.3, lambda: booking_create(user=late, slot_id=second.pk, now=NOW)),
        ]
    )
    assert isinstance(outcomes[0], Booking)  # in before the cancellation, then cancelled
    assert outcomes[2] == "session_cancelled"
    assert Session.objects.get(pk=session.pk).status == Session.CANCELLED
