"""Reads for the employees' pages. Each is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Prefetch, prefetch_related_objects

from officehours.booking.models import Booking, Session, Slot, WaitlistEntry
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.rules import MyBookings, booking_window, check_can_book

if TYPE_CHECKING:
    from officehours.accounts.models import User


@dataclass
class SlotView:
    slot: Slot
    state: str  # bookable | full | closed | not_open_yet | at_cap | mine | offered
    opens_at: datetime | None = None
    refusal: BookingRefused | None = None  # why this person cannot book it now


# What the booking rule's refusal means for a slot on the pages.
_STATE_OF_REFUSAL = {
    "session_cancelled": "closed",
    "booking_closed": "closed",
    "not_open_yet": "not_open_yet",
    "already_booked": "mine",
    "limit_reached": "at_cap",
    "slot_full": "full",
}


@dataclass
class SessionView:
    session: Session
    slots: list[SlotView] = field(default_factory=list)
    my_bookings: list[Booking] = field(default_factory=list)
    waitlist_entry: WaitlistEntry | None = None

    @property
    def can_join_waitlist(self) -> bool:
        """Full for this person: open slots exist and none has a free seat."""
        states = {s.state for s in self.slots}
        return (
            self.session.status == Session.SCHEDULED
            and self.waitlist_entry is None
            and "full" in states
            and "bookable" not in states
            and len(self.my_bookings) < self.session.series.max_active_bookings
        )

    @property
    def at_cap(self) -> bool:
        return len(self.my_bookings) >= self.session.series.max_active_bookings


def upcoming_sessions(
    *, user: User, now: datetime, series_id: int | None = None
) -> list[SessionView]:
    sessions = (
        Session.objects.filter(ends_at__gt=now, series__is_active=True)
        .select_related("series")
        .prefetch_related(
            Prefetch(
                "slots",
                queryset=Slot.objects.filter(removed=False).order_by("starts_at", "position"),
            )
        )
        .order_by("starts_at", "id")
    )
    if series_id is not None:
        sessions = sessions.filter(series_id=series_id)
    return _session_views(list(sessions), user=user, now=now)


def slot_to_book(*, user: User, slot: Slot, now: datetime) -> tuple[SessionView, SlotView]:
    """The book-a-slot page: the slot as the booking rule sees it for this person now,
    and its session (their bookings there, whether they may join its waitlist)."""
    session = slot.session
    prefetch_related_objects(
        [session],
        Prefetch(
            "slots", queryset=Slot.objects.filter(removed=False).order_by("starts_at", "position")
        ),
    )
    [view] = _session_views([session], user=user, now=now)
    for item in view.slots:
        if item.slot.pk == slot.pk:
            return view, item
    # A removed slot is not listed; the rule still says why it cannot be booked.
    return view, _slot_view(slot, session, now, view.my_bookings, offered_slot=None)


def _session_views(found: list[Session], *, user: User, now: datetime) -> list[SessionView]:
    """Sessions with their slots prefetched, as this person sees them: two more queries."""
    ids = [s.pk for s in found]
    mine: dict[int, list[Booking]] = {}
    # With the slot: the page says when each of one's bookings is.
    for booking in Booking.objects.filter(
        user=user, session_id__in=ids, status=Booking.ACTIVE
    ).select_related("slot"):
        mine.setdefault(booking.session_id, []).append(booking)
    entries = {
        e.session_id: e
        for e in WaitlistEntry.objects.filter(
            user=user, session_id__in=ids, status__in=WaitlistEntry.OPEN_STATES
        )
    }
    views = []
    for session in found:
        view = SessionView(
            session=session,
            my_bookings=mine.get(session.pk, []),
            waitlist_entry=entries.get(session.pk),
        )
        for slot in session.slots.all():
            view.slots.append(_slot_view(slot, session, now, view.my_bookings, _offered_slot(view)))
        views.append(view)
    return views


def _offered_slot(view: SessionView) -> int | None:
    entry = view.waitlist_entry
    return entry.offered_slot_id if entry and entry.status == WaitlistEntry.OFFERED else None


def _slot_view(
    slot: Slot,
    session: Session,
    now: datetime,
    mine: list[Booking],
    offered_slot: int | None,
) -> SlotView:
    """Asks the booking rule itself (no locks, nothing written), with this person's
    bookings in the session read beforehand, so the page and booking never disagree."""
    if any(b.slot_id == slot.pk for b in mine):
        return SlotView(slot, "mine", refusal=BookingRefused("already_booked"))
    holds_offer = slot.pk == offered_slot
    try:
        check_can_book(
            user=None,
            slot=slot,
            session=session,
            now=now,
            holds_offer=holds_offer,
            mine=MyBookings(count=len(mine), in_this_slot=False),
        )
    except BookingRefused as refusal:
        state = _STATE_OF_REFUSAL.get(refusal.code, "closed")
        opens = booking_window(slot, session)[0] if state == "not_open_yet" else None
        return SlotView(slot, state, opens_at=opens, refusal=refusal)
    return SlotView(slot, "offered" if holds_offer else "bookable")


def my_bookings(*, user: User, now: datetime) -> dict[str, list[Booking]]:
    bookings = list(
        Booking.objects.filter(user=user)
        # The user too: the calendar links are written in their language and time zone.
        .select_related("slot", "session__series", "user")
        .order_by("slot__starts_at", "id")
    )
    return {
        "upcoming": [b for b in bookings if b.is_active and b.slot.ends_at > now],
        "past": [b for b in reversed(bookings) if not (b.is_active and b.slot.ends_at > now)],
    }


def my_waitlist(*, user: User, now: datetime) -> list[WaitlistEntry]:
    return list(
        WaitlistEntry.objects.filter(
            user=user, status__in=WaitlistEntry.OPEN_STATES, session__ends_at__gt=now
        )
        .select_related("session__series", "offered_slot")
        .order_by("session__starts_at")
    )


def free_slots_for(*, booking: Booking, user: User, now: datetime) -> list[SlotView]:
    """Where a booking can be moved: open slots with a seat, in any series (as in the API)."""
    free = []
    for view in upcoming_sessions(user=user, now=now):
        # Within its own session the booking moves: it does not count against the cap.
        others = [b for b in view.my_bookings if b.pk != booking.pk]
        its_own_session = len(others) != len(view.my_bookings)
        for item in view.slots:
            if its_own_session and item.slot.pk != booking.slot_id:
                item = _slot_view(item.slot, view.session, now, others, _offered_slot(view))
            if item.state in ("bookable", "offered"):
                free.append(item)
    return free


def next_hour(*, user: User, now: datetime) -> SessionView | None:
    """For the start page: the next hour with a seat this person can take, else the next held."""
    held = [
        view
        for view in upcoming_sessions(user=user, now=now)
        if view.session.status == Session.SCHEDULED
    ]
    for view in held:
        if not view.at_cap and any(s.state in ("bookable", "offered") for s in view.slots):
            return view
    return held[0] if held else None


def next_booking(*, user: User, now: datetime) -> Booking | None:
    # The user too: the calendar links are written in their language and time zone.
    return (
        Booking.objects.filter(user=user, status=Booking.ACTIVE, slot__ends_at__gt=now)
        .select_related("slot", "session__series", "user")
        .order_by("slot__starts_at", "id")
        .first()
    )


def booking_of(*, user: User, booking_id: int) -> Booking | None:
    """One of this person's bookings (None for anyone else's), ready for its calendar links."""
    return (
        Booking.objects.filter(pk=booking_id, user=user)
        .select_related("slot", "session__series", "user")
        .first()
    )
