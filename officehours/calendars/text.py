"""The words in calendar events, in the reader's language (the caller activates it).

Plain text: calendar apps show DESCRIPTION as it is. Times are written in the
reader's own time zone, named, while the events themselves stay in the series'.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from officehours.booking import schedule
from officehours.booking.models import Booking, Series, Session
from officehours.questions.models import Question

# The product's name, which a series' title often already carries.
BRAND = "Frågestund"

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CalendarBookings(TypedDict):
    """What the advisers' feed prefetches onto each session (ics.adviser_feed)."""

    calendar_bookings: list[Booking]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def place(session: Session) -> str:
    """The session's place; a week nobody moved falls back to the series'."""
    if session.location or session.moved:
        return session.location
    return session.series.location


def meeting_url(session: Session) -> str:
    if session.meeting_url or session.moved:
        return session.meeting_url
    return session.series.meeting_url


def summary(series: Series) -> str:
    """The event's title: "Frågestund: Sociala medier", but never "Frågestund: Frågestund om …"."""
    label = _("Question hour")
    title = series.title.casefold()
    if label.casefold() in title or BRAND.casefold() in title:
        return series.title
    return f"{label}: {series.title}"


def hours(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    start, end = start.astimezone(zone), end.astimezone(zone)
    return f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"


def when(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    day = formats.date_format(start.astimezone(zone), "l j F Y")
    return f"{day}, {hours(start, end, zone)} ({zone.key})"


def note_title(note: str) -> str:
    """The title question_from_note gives the question it makes of a booking's note."""
    first_line = note.splitlines()[0].strip()
    return first_line if len(first_line) <= 200 else first_line[:199] + "…"


def asked(booking: Booking, questions: list[Question]) -> list[str]:
    """What the employee sent ahead: the questions' titles, with the note in full.

    The note usually became a question too (its first line the title): that
    question is shown as the whole note, and left out with it once withdrawn.
    """
    note = booking.note.strip()
    title_of_note = note_title(note) if note else None
    items, note_shown = [], False
    for question in questions:
        from_note = not note_shown and question.title == title_of_note
        note_shown = note_shown or from_note
        if question.state != Question.WITHDRAWN:
            items.append(note if from_note else question.title)
    if note and not note_shown:
        items.insert(0, note)
    return items


def bullets(items: list[str], indent: str = "") -> list[str]:
    lines = []
    for item in items:
        first, *rest = item.splitlines() or [""]
        lines.append(f"{indent}- {first}")
        lines.extend(f"{indent}  {line}" for line in rest)
    return lines


def place_lines(session: Session, *, link: bool = True) -> list[str]:
    """Where it is held; `link=False` leaves the meeting link out (a cancelled event)."""
    lines = []
    if where := place(session):
        lines.append(f"{_('Location')}: {where}")
    if link and (url := meeting_url(session)):
        lines.append(f"{_('Online meeting link')}: {url}")
    return lines


def manage_lines(booking: Booking) -> list[str]:
    if booking.is_active:
        return [
            f"{_('Manage your booking')}: {absolute(reverse('booking:mine'))}",
            f"{_('Move to another time')}: "
            f"{absolute(reverse('booking:reschedule', args=[booking.pk]))}",
            f"{_('Cancel')}: {absolute(reverse('booking:cancel', args=[booking.pk]))}",
        ]
    return [
        f"{_('Book a time')}: {absolute(reverse('booking:book'))}",
        f"{_('Your bookings')}: {absolute(reverse('booking:mine'))}",
    ]


def cancelled_line(reason: str) -> str:
    return f"{_('Cancelled')}: {reason}" if reason else _("Cancelled")


def link_details(booking: Booking, zone: ZoneInfo) -> str:
    """For add-to-calendar links: time, place and where to manage it, never the questions."""
    lines = [f"{_('When')}: {when(booking.slot.starts_at, booking.slot.ends_at, zone)}"]
    lines += place_lines(booking.session)
    lines += ["", f"{_('Manage your booking')}: {absolute(reverse('booking:mine'))}"]
    return "\n".join(lines)


def booking_description(booking: Booking, questions: list[Question], zone: ZoneInfo) -> str:
    lines = [f"{_('When')}: {when(booking.slot.starts_at, booking.slot.ends_at, zone)}"]
    lines += place_lines(booking.session, link=booking.is_active)
    if not booking.is_active:
        lines.append(cancelled_line(booking.cancel_reason))
    if items := asked(booking, questions):
        lines += ["", f"{_('Your questions')}:", *bullets(items)]
    lines += ["", *manage_lines(booking)]
    return "\n".join(lines)


def session_description(session: WithAnnotations[Session, CalendarBookings], zone: ZoneInfo) -> str:
    lines = [f"{_('When')}: {when(session.starts_at, session.ends_at, zone)}"]
    lines += place_lines(session, link=session.status != Session.CANCELLED)
    if session.status == Session.CANCELLED:
        lines.append(cancelled_line(session.cancel_reason or holiday(session)))
    else:
        lines += ["", f"{_('Booked')}:"]
        for booking in session.calendar_bookings:
            who = booking.user.get_full_name() if booking.user else "–"
            lines.append(f"- {hours(booking.slot.starts_at, booking.slot.ends_at, zone)} {who}")
            # calendar_questions: prefetched onto each booking, which the stubs cannot follow.
            lines += bullets(asked(booking, booking.calendar_questions), indent="  ")  # type: ignore[attr-defined]
        if not session.calendar_bookings:
            lines.append(_("No bookings."))
    agenda = absolute(reverse("advisers:agenda", args=[session.pk]))
    lines += ["", f"{_('Session')}: {agenda}"]
    return "\n".join(lines)


def holiday(session: Session) -> str:
    """The holiday that skipped the week, named in the reader's language."""
    if not session.holiday_name:
        return ""
    day = session.starts_at.astimezone(zone_of(session.series.timezone)).date()
    named = schedule.holiday_name(session.series.holiday_country, day, translation.get_language())
    return named or session.holiday_name


def series_text(series: Series) -> str:
    book = absolute(reverse("booking:book")) + f"?series={series.pk}"
    lines = [series.description.strip()] if series.description.strip() else []
    lines.append(f"{_('Book a time')}: {book}")
    return "\n\n".join(lines)
