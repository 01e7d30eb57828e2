"""Reads for the employees' pages. Each is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from officehours.booking.models import Booking, Session, Slot, WaitlistEntry
from officehours.booking.services.rules import booking_window

if TYPE_CHECKING:
    from officehours.accounts.models import User


@dataclass
class SlotView:
    slot: Slot
    state: str  # bookable | full | closed | not_open_yet | mine | offered
    opens_at: datetime | None = None


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
    found = list(sessions)
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
        booked_slots = {b.slot_id for b in view.my_bookings}
        offered_slot = (
            view.waitlist_entry.offered_slot_id
            if view.waitlist_entry and view.waitlist_entry.status == WaitlistEntry.OFFERED
            else None
        )
        for slot in session.slots.all():
            view.slots.append(_slot_view(slot, session, now, booked_slots, offered_slot))
        views.append(view)
    return views


def _slot_view(
    slot: Slot,
    session: Session,
    now: datetime,
    booked_slots: set[int],
    offered_slot: int | None,
) -> SlotView:
    opens, closes = booking_window(slot, session)
    if slot.pk in booked_slots:
        return SlotView(slot, "mine")
    if slot.pk == offered_slot:
        return SlotView(slot, "offered")
    if session.status != Session.SCHEDULED or now >= closes:
        return SlotView(slot, "closed")
    if now < opens:
        return SlotView(slot, "not_open_yet", opens_at=opens)
    if slot.available <= 0:
        return SlotView(slot, "full")
    return SlotView(slot, "bookable")


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
    views = upcoming_sessions(user=user, now=now)
    return [s for v in views for s in v.slots if s.state in ("bookable", "offered")]
