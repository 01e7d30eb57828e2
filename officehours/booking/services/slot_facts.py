"""What booking a slot decides on, read under the session's lock.

Booking is the request everyone sends at once when a popular hour opens, and
under such a rush every round trip to the database costs more than the work
it carries, and the lock is held across the ones after it. So on PostgreSQL
one statement takes the locks and reads everything the rules need: the slot,
the person's active bookings in the session, whether anyone waits, and the
ids the new booking and its event will get (bookings.py then writes all of it
in one more statement).

Which locks (LOCKING.md): a booking while nobody waits takes the session's
advisory lock shared, then the person's (an advisory lock on session and
person) and the slot's row lock, so people booking different slots of one hour
do not queue behind each other; the capacity check needs the slot, the
per-person cap the person. Everything else that changes a session's seats, and
booking while someone waits (offers move seats between slots), takes the
session's lock exclusively (`exclusive`); the lock manager queues new shared
requests behind it, so it is not starved.

A statement sees the database as it was when the statement began, so a plain
sub-select would read what was true before a lock wait, not what the previous
holder committed. The session, the slot and the facts therefore come from
VOLATILE PL/pgSQL functions (migration booking/0003), called one after the
other: each statement inside them runs after the locks before it are granted
and sees the latest commits. `tests/test_booking_concurrency.py` races for this.

SQLite takes its write lock at BEGIN; there the same facts are two plain reads.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.db import connection

from officehours import rawrows
from officehours.booking.models import Booking, BookingEvent, Series, Session, Slot, WaitlistEntry
from officehours.booking.services.rules import MyBookings

if TYPE_CHECKING:
    from officehours.accounts.models import User


class SlotFacts(NamedTuple):
    session: Session  # with its series
    slot: Slot
    mine: MyBookings
    queue: bool  # someone is waiting or holds an offer in this session
    ids: tuple[int, int] | None  # PostgreSQL: the new booking's and its event's ids
    shared: bool  # the session's lock is shared: the waitlist may not be touched


def lock_and_read(slot_id: int, user: User, *, exclusive: bool) -> SlotFacts | None:
    """None when there is no such slot. Call inside a transaction."""
    if connection.vendor == "postgresql":
        return _postgres(slot_id, user, exclusive=exclusive)
    return _sqlite(slot_id, user)


def _postgres(slot_id: int, user: User, *, exclusive: bool) -> SlotFacts | None:
    locking = "exclusive" if exclusive else "shared"
    if not settings.BOOKING_LOCKING:
        locking = "none"
    params: list[int | str | list[str]] = [
        slot_id,
        f"{settings.BOOKING_LOCK_TIMEOUT_MS}ms",
        slot_id,
    ]
    if locking == "shared":
        params.append(user.pk)
    params += [user.pk, Booking.ACTIVE, list(WaitlistEntry.OPEN_STATES)]
    with rawrows.server_bound_cursor() as cursor:  # prepared: planned once per connection
        cursor.execute(_postgres_sql(locking), params)
        row = cursor.fetchone()
    if row is None:
        return None
    at = 0
    session = rawrows.read(Session, row, at)
    at += rawrows.width(Session)
    session.series = rawrows.read(Series, row, at)
    at += rawrows.width(Series)
    queue, count, in_this_slot, booking_id, event_id = row[at : at + 5]
    return SlotFacts(
        session=session,
        slot=rawrows.read(Slot, row, at + 5),
        mine=MyBookings(count=count, in_this_slot=in_this_slot),
        queue=queue,
        ids=(booking_id, event_id) if booking_id is not None else None,
        shared=locking == "shared",
    )


@cache
def _postgres_sql(locking: str) -> str:
    quote = connection.ops.quote_name
    ids = (
        f"nextval(pg_get_serial_sequence('{Booking._meta.db_table}', 'id')), "
        f"nextval(pg_get_serial_sequence('{BookingEvent._meta.db_table}', 'id'))"
    )
    if locking == "shared":
        session, slot = "booking_session_shared", "booking_slot_locked(se.id, %s, %s)"
    elif locking == "exclusive":
        session, slot = "booking_session_exclusive", "booking_slot_now(se.id, %s)"
    else:  # the concurrency tests' negative control: bookings.py writes the ORM way
        session, slot, ids = "booking_session_unlocked", "booking_slot_now(se.id, %s)", "NULL, NULL"
    # Each function runs after the one before it (LATERAL): session lock, then the
    # person's and the slot's, then the facts.
    return f"""
        SELECT {rawrows.select_list(Session, "se")}, {rawrows.select_list(Series, "sr")},
               facts.queue, facts.mine, facts.mine_here, {ids},
               {rawrows.select_list(Slot, "sl")}
        FROM {session}(%s, %s) se
        CROSS JOIN LATERAL (
            SELECT * FROM {quote(Series._meta.db_table)} WHERE id = se.series_id
        ) sr
        CROSS JOIN LATERAL {slot} sl
        CROSS JOIN LATERAL booking_facts_now(se.id, sl.id, %s, %s, %s) facts
    """  # noqa: S608 (table and column names from the models; values are parameters)


def _sqlite(slot_id: int, user: User) -> SlotFacts | None:
    with connection.cursor() as cursor:
        cursor.execute(_sqlite_session_sql(), [slot_id])
        row = cursor.fetchone()
        if row is None:
            return None
        session = rawrows.read(Session, row)
        session.series = rawrows.read(Series, row, rawrows.width(Session))
        cursor.execute(
            _sqlite_facts_sql(),
            [*WaitlistEntry.OPEN_STATES, user.pk, Booking.ACTIVE, user.pk, Booking.ACTIVE, slot_id],
        )
        row = cursor.fetchone()
    queue, count, in_this_slot = row[:3]
    return SlotFacts(
        session=session,
        slot=rawrows.read(Slot, row, 3),
        mine=MyBookings(count=count, in_this_slot=bool(in_this_slot)),
        queue=bool(queue),
        ids=None,
        shared=False,
    )


@cache
def _sqlite_session_sql() -> str:
    quote = connection.ops.quote_name
    return f"""
        SELECT {rawrows.select_list(Session, "se")}, {rawrows.select_list(Series, "sr")}
        FROM {quote(Session._meta.db_table)} se
        JOIN {quote(Series._meta.db_table)} sr ON sr.id = se.series_id
        WHERE se.id = (SELECT session_id FROM {quote(Slot._meta.db_table)} WHERE id = %s)
    """  # noqa: S608 (table and column names from the models; values are parameters)


@cache
def _sqlite_facts_sql() -> str:
    # The same facts as booking_facts_now (migration booking/0003).
    quote = connection.ops.quote_name
    bookings = quote(Booking._meta.db_table)
    return f"""
        SELECT
            EXISTS (SELECT 1 FROM {quote(WaitlistEntry._meta.db_table)} w
                    WHERE w.session_id = sl.session_id AND w.status IN (%s, %s)),
            (SELECT COUNT(*) FROM {bookings} b
             WHERE b.session_id = sl.session_id AND b.user_id = %s AND b.status = %s),
            EXISTS (SELECT 1 FROM {bookings} b
                    WHERE b.slot_id = sl.id AND b.user_id = %s AND b.status = %s),
            {rawrows.select_list(Slot, "sl")}
        FROM {quote(Slot._meta.db_table)} sl
        WHERE sl.id = %s
    """  # noqa: S608 (table and column names from the models; values are parameters)
