"""Builders for booking tests: a series with its sessions, at a fixed 'now'."""

from datetime import date, time

from officehours.booking.models import Series, Session, Slot
from officehours.booking.services.sessions import series_create


def make_series(**overrides) -> Series:
    fields = {
        "title": "Frågestund",
        "weekday": 3,  # Thursday
        "start_time": time(10, 0),
        "duration_minutes": 60,
        "slot_minutes": 15,
        "seats_per_slot": 1,
        "timezone": "Europe/Stockholm",
        "location": "Rum 101",
        "weeks_ahead": 4,
        "min_notice_minutes": 60,
        "max_active_bookings": 1,
        "starts_on": date(2026, 1, 1),
    }
    fields.update(overrides)
    return series_create(**fields)


def slot_at(session: Session, position: int = 0) -> Slot:
    return session.slots.get(position=position)


def series_form_data(**overrides):
    """What the advisers' series form posts for a Tuesday series (advisers= to add)."""
    return {
        "title": "Tisdagsfrågor",
        "description": "",
        "language": "sv",
        "weekday": "1",
        "start_time": "14:00",
        "duration_minutes": "60",
        "slot_minutes": "20",
        "seats_per_slot": "2",
        "timezone": "Europe/Stockholm",
        "location": "Rum 5",
        "meeting_url": "",
        "weeks_ahead": "3",
        "min_notice_minutes": "60",
        "cancel_cutoff_minutes": "0",
        "max_active_bookings": "1",
        "holiday_country": "se",
        "starts_on": "2026-02-02",
        "is_active": "on",
        "live_approval": "on",
        **overrides,
    }
