"""The booking rules, in one place for pages and API alike."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from officehours.booking.models import Booking, Session, Slot
from officehours.booking.services.errors import BookingRefused

if TYPE_CHECKING:
    from officehours.accounts.models import User


def booking_window(slot: Slot, session: Session) -> tuple[datetime, datetime]:
    """When booking this slot opens and closes."""
    series = session.series
    opens = slot.starts_at - timedelta(weeks=series.weeks_ahead)
    closes = slot.starts_at - timedelta(minutes=series.min_notice_minutes)
    return opens, closes


class MyBookings(NamedTuple):
    """A person's active bookings in one session: how many, and whether one is in the slot."""

    count: int  # type: ignore[assignment]  # shadows tuple.count, which nothing here calls
    in_this_slot: bool


def my_bookings(
    *, session: Session, user: User | None, slot: Slot, moving: Booking | None
) -> MyBookings:
    mine = Booking.objects.filter(session=session, user=user, status=Booking.ACTIVE)
    if moving is not None:
        mine = mine.exclude(pk=moving.pk)
    slot_ids = list(mine.order_by().values_list("slot_id", flat=True))
    return MyBookings(count=len(slot_ids), in_this_slot=slot.pk in slot_ids)


def check_can_book(
    *,
    user: User | None,
    slot: Slot,
    session: Session,
    now: datetime,
    holds_offer: bool = False,
    moving: Booking | None = None,
    mine: MyBookings | None = None,
) -> None:
    """Raises BookingRefused with the first rule that says no. Call holding the locks
    (locking.py), so that what it reads cannot change before the write.

    Pages ask it too, without locks and with `mine` read beforehand for many slots
    at once (selectors.py): what they show is what booking would answer then."""
    if session.status == Session.CANCELLED or not session.series.is_active:
        raise BookingRefused("session_cancelled")
    if slot.removed:  # the series was shortened: that time is gone
        raise BookingRefused("booking_closed")
    opens, closes = booking_window(slot, session)
    if now >= closes:
        raise BookingRefused("booking_closed")
    if now < opens:
        raise BookingRefused("not_open_yet")
    if mine is None:
        mine = my_bookings(session=session, user=user, slot=slot, moving=moving)
    if mine.in_this_slot:
        raise BookingRefused("already_booked")
    if mine.count >= session.series.max_active_bookings:
        raise BookingRefused("limit_reached")
    if slot.available <= 0 and not holds_offer:
        raise BookingRefused("slot_full")


def check_can_change(*, booking: Booking, now: datetime, by_adviser: bool) -> None:
    """An employee may cancel or move a booking until the series' cut-off; advisers any time."""
    if booking.status != Booking.ACTIVE:
        raise BookingRefused("not_active")
    if by_adviser:
        return
    cutoff = booking.slot.starts_at - timedelta(
        minutes=booking.session.series.cancel_cutoff_minutes
    )
    if now >= cutoff:
        raise BookingRefused("cancel_closed")
