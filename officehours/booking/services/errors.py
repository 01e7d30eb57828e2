"""Why a booking was refused: a stable code for programs, a translated message for people."""

from django.utils.translation import gettext_lazy as _

from officehours.refusals import Refused

MESSAGES = {
    "slot_full": _("That time is fully booked. Pick another time or join the waitlist."),
    "booking_closed": _("Booking for that time has closed."),
    "not_open_yet": _("Booking for that time has not opened yet."),
    "limit_reached": _("You already have as many bookings in this session as you may have."),
    "already_booked": _("You have already booked that time."),
    "session_cancelled": _("That session is cancelled."),
    "cancel_closed": _("It is too late to cancel or move this booking. Contact the comms team."),
    "not_active": _("This booking is already cancelled."),
    "same_slot": _("That is the time you have already booked."),
    "busy": _("Many people are booking right now. Please try again."),
    "seats_available": _("There are free seats: book one instead of joining the waitlist."),
    "already_waiting": _("You are already on the waitlist for this session."),
    "not_waiting": _("You are not on the waitlist for this session."),
    "session_over": _("That session has already started."),
    "not_cancelled": _("That session is not cancelled."),
    "move_to_past": _("A session cannot be moved into the past."),
}


class BookingRefused(Refused):
    """A booking rule said no. `status` is the HTTP status the API answers with."""

    messages = MESSAGES
