"""The waitlist: first come, first offered.

Why an expiring claim and not an automatic booking: a seat that frees up on
Wednesday for Thursday's hour may no longer suit someone who joined the
waitlist two weeks ago. Booking them silently would turn the freed seat into a
likely no-show; an offer they must take keeps the seat for them alone (it is
held, nobody else can book it) for WAITLIST_OFFER_MINUTES, or until booking
for that slot closes if that comes sooner, and then passes it to the next in
line. Accepting is simply booking the offered slot.

Every function here runs inside the session's lock (locking.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from officehours.booking.models import Booking, BookingEvent, Session, Slot, WaitlistEntry
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.events import event_record
from officehours.booking.services.locking import run_locked
from officehours.booking.services.rules import booking_window

if TYPE_CHECKING:
    from officehours.accounts.models import User


def offer_for(*, session: Session, user: User | None, slot: Slot) -> WaitlistEntry | None:
    return WaitlistEntry.objects.filter(
        session=session, user=user, status=WaitlistEntry.OFFERED, offered_slot=slot
    ).first()


def bookable_slots(session: Session, now: datetime) -> list[Slot]:
    if session.status != Session.SCHEDULED:
        return []
    slots = session.slots.filter(removed=False).order_by("starts_at", "position")
    return [
        s for s in slots if booking_window(s, session)[0] <= now < booking_window(s, session)[1]
    ]


def offer_free_seats(session: Session, now: datetime) -> list[WaitlistEntry]:
    """Offers every free, still bookable seat to the first in line."""
    waiting = list(
        session.waitlist.filter(status=WaitlistEntry.WAITING).order_by("created_at", "id")
    )
    if not waiting:
        return []
    offered = []
    for slot in bookable_slots(session, now):
        free = slot.available
        while free > 0 and waiting:
            entry = waiting.pop(0)
            closes = booking_window(slot, session)[1]
            expires = min(now + timedelta(minutes=settings.WAITLIST_OFFER_MINUTES), closes)
            WaitlistEntry.objects.filter(pk=entry.pk).update(
                status=WaitlistEntry.OFFERED,
                offered_slot=slot,
                offered_at=now,
                offer_expires_at=expires,
                updated_at=now,
            )
            Slot.objects.filter(pk=slot.pk).update(held=F("held") + 1)
            event_record(BookingEvent.OFFERED, user_id=entry.user_id, waitlist_entry=entry)
            free -= 1
            offered.append(entry)
    return offered


def expire_offers_in_session(session: Session, now: datetime) -> int:
    """Offers past their time lapse; their seats go to the next in line."""
    lapsed = list(session.waitlist.filter(status=WaitlistEntry.OFFERED, offer_expires_at__lte=now))
    for entry in lapsed:
        _release_held_seat(entry)
        WaitlistEntry.objects.filter(pk=entry.pk).update(
            status=WaitlistEntry.LAPSED, updated_at=now
        )
        event_record(BookingEvent.OFFER_LAPSED, user_id=entry.user_id, waitlist_entry=entry)
    if lapsed:
        offer_free_seats(session, now)
    return len(lapsed)


def expire_offers(now: datetime | None = None) -> int:
    """The periodic job: lapses every offer past its time, session by session."""
    now = now or timezone.now()
    session_ids = (
        WaitlistEntry.objects.filter(status=WaitlistEntry.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    return sum(
        run_locked(session_id, lambda session: expire_offers_in_session(session, now))
        for session_id in list(session_ids)
    )


def _release_held_seat(entry: WaitlistEntry) -> None:
    if entry.status == WaitlistEntry.OFFERED and entry.offered_slot_id:
        Slot.objects.filter(pk=entry.offered_slot_id).update(held=F("held") - 1)


def release_offers_on_slot(slot: Slot, now: datetime) -> None:
    """A slot is going away: its offers go back to waiting, first in line as before."""
    for entry in slot.offers.filter(status=WaitlistEntry.OFFERED):
        _release_held_seat(entry)
        WaitlistEntry.objects.filter(pk=entry.pk).update(
            status=WaitlistEntry.WAITING, offered_slot=None, offer_expires_at=None, updated_at=now
        )


def close_entry_on_booking(
    *, session: Session, user: User | None, booking: Booking, offer: WaitlistEntry | None
) -> None:
    """Someone on the waitlist booked: their entry is done, and any seat held for them
    elsewhere in the session is released (the caller offers it on)."""
    entry = WaitlistEntry.objects.filter(
        session=session, user=user, status__in=WaitlistEntry.OPEN_STATES
    ).first()
    if entry is None:
        return
    if offer is None or offer.pk != entry.pk:
        _release_held_seat(entry)
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistEntry.BOOKED, booking=booking, offered_slot=None, offer_expires_at=None
    )


def waitlist_join(
    *, user: User, session_id: int, note: str = "", now: datetime | None = None
) -> WaitlistEntry:
    now = now or timezone.now()

    def work(session: Session) -> WaitlistEntry:
        if session.status == Session.CANCELLED:
            raise BookingRefused("session_cancelled")
        if session.starts_at <= now:
            raise BookingRefused("session_over")
        expire_offers_in_session(session, now)
        slots = bookable_slots(session, now)
        if not slots:
            live = [s for s in session.slots.all() if not s.removed]
            if live and all(booking_window(s, session)[0] > now for s in live):
                raise BookingRefused("not_open_yet")
            # Booking has closed: a seat freed now could not be offered anyway.
            raise BookingRefused("booking_closed")
        if any(s.available > 0 for s in slots):
            raise BookingRefused("seats_available")
        if session.waitlist.filter(user=user, status__in=WaitlistEntry.OPEN_STATES).exists():
            raise BookingRefused("already_waiting")
        mine = Booking.objects.filter(session=session, user=user, status=Booking.ACTIVE).count()
        if mine >= session.series.max_active_bookings:
            raise BookingRefused("limit_reached")
        return WaitlistEntry.objects.create(
            session=session, user=user, note=note.strip(), created_at=now
        )

    try:
        return run_locked(session_id, work)
    except IntegrityError as exc:
        raise BookingRefused("already_waiting") from exc


def waitlist_leave(*, user: User, session_id: int, now: datetime | None = None) -> WaitlistEntry:
    now = now or timezone.now()

    def work(session: Session) -> WaitlistEntry:
        entry = session.waitlist.filter(user=user, status__in=WaitlistEntry.OPEN_STATES).first()
        if entry is None:
            raise BookingRefused("not_waiting", status=404)
        _release_held_seat(entry)
        WaitlistEntry.objects.filter(pk=entry.pk).update(
            status=WaitlistEntry.LEFT, offered_slot=None, offer_expires_at=None, updated_at=now
        )
        offer_free_seats(session, now)
        entry.refresh_from_db()
        return entry

    return run_locked(session_id, work)
