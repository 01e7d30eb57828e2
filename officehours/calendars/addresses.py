"""The addresses of the calendar feeds: https for copying, webcal:// to open a calendar app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from officehours import permissions

if TYPE_CHECKING:
    from officehours.accounts.models import User
    from officehours.booking.models import Series


def _both(path: str) -> dict[str, str]:
    url = settings.SITE_URL + path
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def employee_feed_address(user: User) -> dict[str, str]:
    return _both(reverse("calendars:bookings", args=[user.calendar_token]))


def adviser_feed_address(user: User) -> dict[str, str]:
    return _both(reverse("calendars:sessions", args=[user.calendar_token]))


def series_feed_address(series: Series) -> dict[str, str]:
    return _both(reverse("calendars:series", args=[series.pk]))


def feed_addresses(user: User) -> dict[str, dict[str, str]]:
    """The feeds a person may subscribe to: their bookings, and an adviser's sessions."""
    feeds = {"bookings": employee_feed_address(user)}
    if permissions.is_adviser(user):
        feeds["sessions"] = adviser_feed_address(user)
    return feeds
