"""Book, cancel and reschedule: every write takes the session lock first (locking.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection
from django.db.models import F
from django.utils import timezone

from officehours import rawrows
from officehours.booking.models import Booking, BookingEvent, Slot, WaitlistEntry
from officehours.booking.services import waitlist
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.events import event_record
from officehours.booking.services.locking import (
    run_locked,
    run_locked_for_booking,
    run_locked_many,
)
from officehours.booking.services.rules import MyBookings, check_can_book, check_can_change
from officehours.booking.services.sessions import _cancel_in_lock
from officehours.booking.services.slot_facts import SlotFacts
from officehours.notifications import outbox

if TYPE_CHECKING:
    from officehours.accounts.models import User
    from officehours.booking.models import Session

T = TypeVar("T")


def _session_id_of(slot_id: int) -> int:
    session_id = Slot.objects.filter(pk=slot_id).values_list("session_id", flat=True).first()
    if session_id is None:
        raise Slot.DoesNotExist(slot_id)
    return session_id


def _take_seat(slot: Slot, offer: WaitlistEntry | None) -> None:
    if offer is not None:
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1, held=F("held") - 1)
    elif settings.BOOKING_LOCKING:
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    else:
        # The concurrency tests' negative control: the naive read-modify-write
        # that oversells when nothing serialises the check and the write.
        Slot.objects.filter(pk=slot.pk).update(booked=slot.booked + 1)


def booking_create(
    *, user: User, slot_id: int, note: str = "", now: datetime | None = None
) -> Booking:
    """Books a seat, or refuses with BookingRefused (slot_full, booking_closed, ...)."""
    now = now or timezone.now()

    def work(facts: SlotFacts) -> Booking | BookingRefused:
        mine: MyBookings | None
        session, slot, mine, queue, ids, _shared = facts
        offer = None
        if queue:  # most sessions have nobody waiting, and then this is skipped
            waitlist.expire_offers_in_session(session, now)
            slot = Slot.objects.get(pk=slot_id)
            offer = waitlist.offer_for(session=session, user=user, slot=slot)
            mine = None
        try:
            check_can_book(
                user=user,
                slot=slot,
                session=session,
                now=now,
                holds_offer=offer is not None,
                mine=mine,
            )
        except BookingRefused as refusal:
            # Raised after the transaction, which then ends in COMMIT: a ROLLBACK would
            # make psycopg forget the connection's prepared statements (it cannot tell
            # what the rollback undid), and most requests in a rush are refused. Only
            # the expiry of lapsed offers is written before this point, which the sweep
            # would redo, so the commit need not wait for the disk either.
            _commit_without_waiting_for_disk()
            return refusal
        booking = Booking(slot=slot, session=session, user=user, note=note.strip(), created_at=now)
        if ids is not None and not queue:
            _write_in_one_statement(booking, slot, ids)
            slot.booked += 1
            return booking
        booking.save(force_insert=True)
        _take_seat(slot, offer)
        if queue:
            waitlist.close_entry_on_booking(
                session=session, user=user, booking=booking, offer=offer
            )
        event_record(BookingEvent.CREATED, user=user, booking=booking, actor=user)
        if queue:
            waitlist.offer_free_seats(session, now)
        slot.booked += 1
        booking.slot = slot
        return booking

    booked = _guarded(lambda: run_locked_for_booking(slot_id, user, work))
    if isinstance(booked, BookingRefused):
        raise booked
    return booked


def _write_in_one_statement(booking: Booking, slot: Slot, ids: tuple[int, int]) -> None:
    """PostgreSQL, nobody waiting: the booking, its seat, its event and the e-mails and
    reminders that causes, in one statement (a booking rush is bound by round trips and
    query building). The rows are the ones event_record would write."""
    booking.pk, event_pk = ids
    event = BookingEvent(
        pk=event_pk,
        kind=BookingEvent.CREATED,
        user=booking.user,
        booking=booking,
        actor=booking.user,
    )
    mails = outbox.booking_event_rows([event])
    statements = [
        rawrows.insert_sql([booking]),
        rawrows.insert_sql([event]),
        (_TAKE_SEAT_SQL.format(slots=connection.ops.quote_name(Slot._meta.db_table)), [slot.pk]),
    ]
    if mails:
        statements.append(rawrows.insert_sql(mails, ignore_conflicts=True))
    rawrows.run_together(statements)
    outbox.wake_after_commit(mails)


_TAKE_SEAT_SQL = "UPDATE {slots} SET booked = booked + 1 WHERE id = %s"


def _commit_without_waiting_for_disk() -> None:
    """PostgreSQL: this transaction's commit returns before its record is on disk.

    For a refusal only: it holds row locks (which make its commit a record to flush)
    and nothing anyone needs kept. A disk that stalls a flush for 100 ms or more (seen
    on the bench machine) then holds up the bookings that commit, not the refusals."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('synchronous_commit', 'off', true)")


def booking_cancel(
    *,
    booking: Booking,
    actor: User | None,
    reason: str = "",
    by_adviser: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Cancels a booking and offers the freed seat to the waitlist."""
    now = now or timezone.now()

    def work(session: Session) -> Booking:
        fresh = Booking.objects.select_related("slot", "session__series").get(pk=booking.pk)
        check_can_change(booking=fresh, now=now, by_adviser=by_adviser)
        if fresh.session_id != session.pk:
            raise _MovedMeanwhile
        _cancel_in_lock(fresh, actor=actor, reason=reason, now=now)
        waitlist.offer_free_seats(session, now)
        fresh.refresh_from_db()
        return fresh

    return _retrying(lambda: run_locked(_current_session_id(booking), work))


def booking_reschedule(
    *, booking: Booking, slot_id: int, actor: User, now: datetime | None = None
) -> Booking:
    """Moves a booking to another slot. The old seat is released only if the new one is taken."""
    now = now or timezone.now()
    new_session_id = _session_id_of(slot_id)

    def work(sessions: dict[int, Session]) -> Booking:
        fresh = Booking.objects.select_related("slot", "session__series").get(pk=booking.pk)
        if fresh.session_id not in sessions:
            raise _MovedMeanwhile
        check_can_change(booking=fresh, now=now, by_adviser=False)
        if fresh.slot_id == slot_id:
            raise BookingRefused("same_slot")
        new_session = sessions[new_session_id]
        waitlist.expire_offers_in_session(new_session, now)
        new_slot = Slot.objects.get(pk=slot_id)
        offer = waitlist.offer_for(session=new_session, user=fresh.user, slot=new_slot)
        check_can_book(
            user=fresh.user,
            slot=new_slot,
            session=new_session,
            now=now,
            holds_offer=offer is not None,
            moving=fresh if fresh.session_id == new_session_id else None,
        )
        old_slot, old_session = fresh.slot, sessions[fresh.session_id]
        Booking.objects.filter(pk=fresh.pk).update(
            slot=new_slot, session=new_session, sequence=F("sequence") + 1, updated_at=now
        )
        Slot.objects.filter(pk=old_slot.pk).update(booked=F("booked") - 1)
        _take_seat(new_slot, offer)
        waitlist.close_entry_on_booking(
            session=new_session, user=fresh.user, booking=fresh, offer=offer
        )
        event_record(BookingEvent.RESCHEDULED, user_id=fresh.user_id, booking=fresh, actor=actor)
        waitlist.offer_free_seats(old_session, now)
        fresh.refresh_from_db()
        return fresh

    return _retrying(
        lambda: _guarded(
            lambda: run_locked_many([_current_session_id(booking), new_session_id], work)
        )
    )


class _MovedMeanwhile(Exception):
    """The booking changed session between reading its session and locking it."""


def _current_session_id(booking: Booking) -> int:
    return Booking.objects.filter(pk=booking.pk).values_list("session_id", flat=True).get()


def _retrying(call: Callable[[], T], attempts: int = 3) -> T:
    """Runs call again if a concurrent reschedule moved the booking before we locked."""
    for _attempt in range(attempts - 1):
        try:
            return call()
        except _MovedMeanwhile:
            continue
    try:
        return call()
    except _MovedMeanwhile as exc:
        raise BookingRefused("busy", status=503) from exc


def _guarded(call: Callable[[], T]) -> T:
    """Database constraints back the rules up; their refusals read like the rules'."""
    try:
        return call()
    except IntegrityError as exc:
        text = str(exc)
        if "booking_one_active_per_slot_and_user" in text or "UNIQUE" in text:
            raise BookingRefused("already_booked") from exc
        if "slot_not_oversold" in text or "CHECK" in text:
            raise BookingRefused("slot_full") from exc
        raise


def booking_set_attendance(*, booking: Booking, attendance: str) -> Booking:
    if attendance not in dict(Booking.ATTENDANCE_CHOICES):
        raise ValueError(attendance)
    if booking.status != Booking.ACTIVE:
        raise BookingRefused("not_active")
    Booking.objects.filter(pk=booking.pk).update(attendance=attendance, updated_at=timezone.now())
    booking.attendance = attendance
    return booking


def booking_set_adviser_note(*, booking: Booking, note: str) -> Booking:
    note = note.strip()[:4000]
    Booking.objects.filter(pk=booking.pk).update(adviser_note=note, updated_at=timezone.now())
    booking.adviser_note = note
    return booking
