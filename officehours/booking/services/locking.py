"""Locking for everything that changes a session's seats. See booking/LOCKING.md.

Every such write (book, cancel, reschedule, waitlist offers, series edits) runs
in one short transaction that first takes the session's lock, then re-reads and
re-checks, then writes. On PostgreSQL the session's lock is a transaction-level
advisory lock: `run_locked` and `run_locked_many` take it exclusively (sessions in
id order), then read the session rows FOR UPDATE; `run_locked_for_booking` takes
it shared, with the slot and the person locked exclusively (slot_facts.py), while
nobody waits, so bookings of different slots of one hour do not queue behind each
other. Locks are always taken session, then person, then slot.

On SQLite, transactions start IMMEDIATE (see env.database_from_url), which
takes the database's write lock at BEGIN: writers are serialised the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction

from officehours.booking.models import Session, Slot
from officehours.booking.services import slot_facts
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.slot_facts import SlotFacts

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from officehours.accounts.models import User

T = TypeVar("T")


def run_locked(session_id: int, work: Callable[[Session], T]) -> T:
    """Runs work(session) inside a transaction holding the session's lock.

    A lock wait past BOOKING_LOCK_TIMEOUT_MS becomes BookingRefused("busy").
    """
    return run_locked_many([session_id], lambda sessions: work(sessions[session_id]))


def run_locked_many(session_ids: Iterable[int], work: Callable[[dict[int, Session]], T]) -> T:
    """The same for several sessions (a reschedule across weeks), locked in id order."""
    ordered = sorted(set(session_ids))
    with _locking_transaction(session_ids=ordered):
        sessions = {pk: _locked_sessions().get(pk=pk) for pk in ordered}
        return work(sessions)


def run_locked_for_booking(slot_id: int, user: User, work: Callable[[SlotFacts], T]) -> T:
    """run_locked for booking one slot: work gets the locked session with what the
    rules need, read after the lock (slot_facts.py: one statement on PostgreSQL).

    While nobody waits, the session's lock is shared with other bookings and the
    slot and the person are locked instead; when someone waits, it starts again
    with the session's own lock, as the waitlist needs.

    Raises Slot.DoesNotExist for an unknown slot.
    """
    # Inside a caller's transaction the shared locks would outlive the first attempt
    # (a savepoint keeps them), and two such callers could deadlock asking for the
    # session's own lock: there, take it at once.
    for exclusive in (True,) if connection.in_atomic_block else (False, True):
        with _locking_transaction(session_ids=()):  # slot_facts locks in its statement
            facts = slot_facts.lock_and_read(slot_id, user, exclusive=exclusive)
            if facts is None:
                raise Slot.DoesNotExist(slot_id)
            if not (facts.queue and facts.shared):
                return work(facts)
    raise AssertionError("an exclusive lock is never shared")  # pragma: no cover


@contextmanager
def _locking_transaction(*, session_ids: Sequence[int]) -> Iterator[None]:
    """One transaction with a bounded lock wait; a wait past it is "busy", not an error.

    The sessions given are locked exclusively first (their advisory locks, in id order)."""
    try:
        with transaction.atomic():
            _lock_exclusively(session_ids)
            yield
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise BookingRefused("busy", status=503) from exc
        raise


def _locked_sessions() -> QuerySet[Session]:
    queryset = Session.objects.select_related("series")
    if settings.BOOKING_LOCKING:
        queryset = queryset.select_for_update(of=("self",))
    return queryset


def _lock_exclusively(session_ids: Sequence[int]) -> None:
    """PostgreSQL: each session's advisory lock, exclusive (bookings share it; the lock
    manager queues a new booking behind a writer already waiting, so none starves),
    with the lock timeout set first for this transaction (the third argument)."""
    if connection.vendor != "postgresql" or not session_ids:
        return
    timeout = f"{settings.BOOKING_LOCK_TIMEOUT_MS}ms"
    with connection.cursor() as cursor:
        if not settings.BOOKING_LOCKING:  # the concurrency tests' negative control
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
            return
        first, *others = session_ids
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, true),"
            " pg_advisory_xact_lock(booking_session_key(%s))",
            [timeout, first],
        )
        for session_id in others:
            cursor.execute("SELECT pg_advisory_xact_lock(booking_session_key(%s))", [session_id])


def _is_lock_timeout(exc: OperationalError) -> bool:
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate == "55P03":  # PostgreSQL lock_not_available
        return True
    return "database is locked" in str(exc)
