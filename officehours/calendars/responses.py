"""HTTP responses carrying calendar files, shared by the pages and the API."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse

from officehours.calendars.ics import booking_invitation

if TYPE_CHECKING:
    from officehours.booking.models import Booking

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


def ics_response(body: bytes, *, filename: str, attachment: bool, cache: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = cache
    return response


def invitation_response(booking: Booking) -> HttpResponse:
    """The booking's current invitation as a download; it changes, so never cached."""
    try:
        body = booking_invitation(booking)
    except ValueError:
        # A row written past the forms' limits (ics.py): no file for it, not a 500.
        logger.exception("Calendar: no invitation for booking %s", booking.pk)
        raise Http404 from None
    day = booking.slot.starts_at.strftime("%Y-%m-%d")
    return ics_response(
        body,
        filename=f"fragestund-{day}-{booking.pk}.ics",
        attachment=True,
        cache="private, no-cache",
    )
