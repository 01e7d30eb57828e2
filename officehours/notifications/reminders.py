"""Reminders before a booking, made when they fall due.

A booking is reminded at each of its series' offsets before its slot starts
(a day and an hour by default), unless it was booked, or moved to its slot,
after that moment. The minute sweep (tasks.send_due_notifications) makes the
reminders due by now and sends them with everything else due.

Made when due, not when booking: a rush of bookings then writes one e-mail row
each instead of three, and a booking cancelled or moved before its reminders
leaves nothing to clean up. A reminder made but not yet sent when its booking
moves is dropped (outbox.reminders_drop); the key holds the slot's start, so
the new time is reminded afresh.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from officehours.booking.models import Booking, BookingEvent, Series, Session
from officehours.notifications.models import Notification

# The events that give a booking its current slot: reminders due before the latest are not sent.
_SLOT_GIVEN = (BookingEvent.CREATED, BookingEvent.RESCHEDULED, BookingEvent.MOVED)


def reminders_queue_due(now: datetime | None = None) -> int:
    """Writes the reminders due by `now` that are not written yet; returns how many."""
    now = now or timezone.now()
    longest = max((max(o or [0]) for o in _offsets_in_use()), default=0)
    if longest <= 0:
        return 0
    bookings = list(
        Booking.objects.filter(
            status=Booking.ACTIVE,
            user__isnull=False,
            session__status=Session.SCHEDULED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + timedelta(minutes=longest),
        )
        .select_related("slot", "session__series")
        .annotate(slot_given_at=Max("events__created_at", filter=Q(events__kind__in=_SLOT_GIVEN)))
    )
    due = [
        reminder
        for booking in bookings
        for reminder in reminder_rows(booking)
        if (booking.slot_given_at or booking.created_at) < reminder.due_at <= now
    ]
    written = set(
        Notification.objects.filter(
            kind=Notification.REMINDER, key__in=[r.key for r in due]
        ).values_list("key", flat=True)
    )
    new = [r for r in due if r.key not in written]
    Notification.objects.bulk_create(new, ignore_conflicts=True)  # a sweep beside this one
    return len(new)


def reminder_rows(booking: Booking) -> list[Notification]:
    """A reminder for each offset of the booking's series, for its current slot (unsaved)."""
    if booking.user_id is None:  # nobody to remind (the sweep reads only bookings with one)
        return []
    starts_at = booking.slot.starts_at
    stamp = starts_at.strftime("%Y%m%dT%H%M%SZ")
    return [
        Notification(
            key=f"reminder:{booking.uid}:{offset}:{stamp}",
            kind=Notification.REMINDER,
            recipient_id=booking.user_id,
            booking_id=booking.pk,
            offset_minutes=offset,
            due_at=starts_at - timedelta(minutes=offset),
        )
        for offset in sorted({int(o) for o in booking.session.series.reminder_offsets or []})
        if offset > 0
    ]


def _offsets_in_use() -> QuerySet[Series, list[int] | None]:
    return Series.objects.values_list("reminder_offsets", flat=True)
