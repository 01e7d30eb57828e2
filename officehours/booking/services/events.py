"""Recording booking events, and with them the e-mails they cause (the outbox),
in the caller's transaction."""

from __future__ import annotations

from typing import Any

from officehours.booking.models import BookingEvent
from officehours.notifications.outbox import booking_events_recorded


def event_record(kind: str, **fields: Any) -> BookingEvent:
    event = BookingEvent.objects.create(kind=kind, **fields)
    booking_events_recorded([event])
    return event


def events_record(events: list[BookingEvent]) -> list[BookingEvent]:
    created = BookingEvent.objects.bulk_create(events)
    booking_events_recorded(created)
    return created
