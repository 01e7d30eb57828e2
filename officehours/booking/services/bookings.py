"""Book, cancel and reschedule: every write takes its locks first (locking.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.db import IntegrityError, connection
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from officehours import metrics
from officehours.booking.models import Booking, BookingEvent, Slot, WaitlistEntry
from officehours.booking.services import locking, waitlist
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.events import event_record
from officehours.booking.services.locking import locked_transaction, run_locked, run_locked_many
from officehours.booking.services.rules import check_can_book, check_can_change
from officehours.booking.services.sessions import _cancel_in_lock

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
    else:
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)


def _someone_waits() -> Exists:
    """For a slot: someone waits, or holds an offer, in its session."""
    return Exists(
        WaitlistEntry.objects.filter(
            session_id=OuterRef("session_id"), status__in=WaitlistEntry.OPEN_STATES
        )
    )


class _SomeoneWaits(Exception):
    """A booking that shares its session's lock found someone waiting: it starts
    again holding the whole session, as offers move seats between slots."""


def booking_create(
    *, user: User, slot_id: int, note: str = "", now: datetime | None = None
) -> Booking:
    """Books a seat, or refuses with BookingRefused (slot_full, booking_closed, ...).

    Locks, then reads, then writes (LOCKING.md). A booking shares its session's lock
    with other bookings; if it then finds someone waiting, or inside a caller's
    transaction (a savepoint would keep a first attempt's shared lock), it holds the
    whole session instead.

    Raises Slot.DoesNotExist for an unknown slot."""
    now = now or timezone.now()
    whole_session = connection.in_atomic_block or connection.vendor != "postgresql"
    try:
        try:
            booking = _guarded(lambda: _book(user, slot_id, note, now, whole_session))
        except _SomeoneWaits:
            booking = _guarded(lambda: _book(user, slot_id, note, now, True))
    except BookingRefused as refused:
        metrics.booking_refused(refused.code)
        raise
    metrics.booking_created()
    return booking


def _book(user: User, slot_id: int, note: str, now: datetime, whole_session: bool) -> Booking:
    with locked_transaction():
        session_id = locking.lock_for_booking(
            slot_id=slot_id, user_id=user.pk, whole_session=whole_session
        )
        if session_id is None:
            raise Slot.DoesNotExist(slot_id)
        # Read after the locks: each statement sees what committed before it began.
        slot = (
            Slot.objects.select_related("session__series")
            .annotate(queue=_someone_waits())
            .get(pk=slot_id)
        )
        session, queue = slot.session, slot.queue
        offer = None
        if queue:
            if not whole_session:
                raise _SomeoneWaits
            waitlist.expire_offers_in_session(session, now)
            slot.refresh_from_db(fields=["booked", "held", "capacity"])
            offer = waitlist.offer_for(session=session, user=user, slot=slot)
        check_can_book(
            user=user, slot=slot, session=session, now=now, holds_offer=offer is not None
        )
        booking = Booking.objects.create(
            slot=slot, session=session, user=user, note=note.strip(), created_at=now
        )
        _take_seat(slot, offer)
        if queue:
            waitlist.close_entry_on_booking(
                session=session, user=user, booking=booking, offer=offer
            )
        event_record(BookingEvent.CREATED, user=user, booking=booking, actor=user)
        if queue:
            waitlist.offer_free_seats(session, now)
        slot.booked += 1
        if offer is not None:
            slot.held -= 1
        return booking


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
