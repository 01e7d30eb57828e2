"""Locking for everything that changes a session's seats. See booking/LOCKING.md.

Every such write runs in one short transaction that first takes its locks, in one
statement (`lock_sessions`, `lock_for_booking`), then reads what its rules need with
ordinary queries, then writes. On PostgreSQL the locks are transaction-level advisory locks, keyed
by what they protect (`session_key`, `person_key`, `slot_key`), as pretix does
(pretix/base/services/locking.py): they end with the transaction, whatever ends it.

On SQLite, transactions start IMMEDIATE (see env.database_from_url), which takes
the database's write lock at BEGIN: writers are serialised without more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction

from officehours.booking.models import Session, Slot
from officehours.booking.services.errors import BookingRefused

T = TypeVar("T")


# Advisory lock keys are 64-bit; each kind of thing locked has its own range, so a
# key is the id itself, offset by its kind: nothing collides, and SQL can form the
# key from a column (lock_for_booking).
_SESSION, _PERSON, _SLOT = (kind << 56 for kind in (1, 2, 3))


def session_key(session_id: int) -> int:
    return _SESSION + session_id


def person_key(user_id: int) -> int:
    return _PERSON + user_id


def slot_key(slot_id: int) -> int:
    return _SLOT + slot_id


def lock_sessions(session_ids: Sequence[int]) -> None:
    """PostgreSQL: the sessions' advisory locks, exclusive, in the order given (by id),
    in one statement, with the lock wait bounded for the rest of this transaction
    (BOOKING_LOCK_TIMEOUT_MS). Call first thing in a transaction (`locked_transaction`).

    Every transaction takes all its locks in its first statement, in one order (session,
    then person, then slot; sessions by id), so two cannot each hold what the other waits for."""
    if connection.vendor != "postgresql":
        return
    calls = ", ".join(["pg_advisory_xact_lock(%s)"] * len(session_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT set_config('lock_timeout', %s, true), {calls}",
            [_lock_timeout(), *(session_key(pk) for pk in session_ids)],
        )


def _lock_timeout() -> str:
    return f"{settings.BOOKING_LOCK_TIMEOUT_MS}ms"


@contextmanager
def locked_transaction() -> Iterator[None]:
    """One transaction in which a lock wait past the timeout is "busy" (HTTP 503), not an
    error; it rolls back, as on any other error or refusal."""
    try:
        with transaction.atomic():
            yield
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise BookingRefused("busy", status=503) from exc
        raise


def run_locked(session_id: int, work: Callable[[Session], T]) -> T:
    """Runs work(session) in a transaction holding the session's lock exclusively."""
    return run_locked_many([session_id], lambda sessions: work(sessions[session_id]))


def run_locked_many(session_ids: Iterable[int], work: Callable[[dict[int, Session]], T]) -> T:
    """The same for several sessions (a reschedule across weeks), locked in id order."""
    ordered = sorted(set(session_ids))
    with locked_transaction():
        lock_sessions(ordered)
        sessions = {pk: Session.objects.select_related("series").get(pk=pk) for pk in ordered}
        return work(sessions)


def lock_for_booking(*, slot_id: int, user_id: int, whole_session: bool) -> int | None:
    """A booking's locks; returns the slot's session id (None: there is no such slot).

    The session's lock, shared with other bookings, then the person's (the cap is a
    count of their bookings) and the slot's (its seats) exclusively; or, when the
    waitlist may move seats between slots, the session's exclusively. The session
    comes from the slot's row in the same statement (a slot never changes session)."""
    if connection.vendor != "postgresql":
        return Slot.objects.filter(pk=slot_id).values_list("session_id", flat=True).first()
    if whole_session:
        calls, params = "pg_advisory_xact_lock(%s + session_id)", [_SESSION]
    else:
        calls = (
            "pg_advisory_xact_lock_shared(%s + session_id),"
            " pg_advisory_xact_lock(%s), pg_advisory_xact_lock(%s)"
        )
        params = [_SESSION, person_key(user_id), slot_key(slot_id)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT session_id, set_config('lock_timeout', %s, true), {calls}"  # noqa: S608
            f" FROM {connection.ops.quote_name(Slot._meta.db_table)} WHERE id = %s",
            [_lock_timeout(), *params, slot_id],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def _is_lock_timeout(exc: OperationalError) -> bool:
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate == "55P03":  # PostgreSQL lock_not_available
        return True
    return "database is locked" in str(exc)
