"""iCalendar for the question hour: a booking's invitation, the feeds, add-to-calendar links.

One booking is one calendar event for its whole life. Its UID is the booking's
uuid, and its SEQUENCE is the booking's own counter, which the booking services
raise on every reschedule, move and cancellation; so a client that already has
the event replaces it rather than adding a second one. An invitation is an iTIP
message (RFC 5546) from the comms mailbox, the ORGANIZER, to the employee, the
only ATTENDEE: METHOD:REQUEST while the booking stands, METHOD:CANCEL with
STATUS:CANCELLED once it is cancelled, whoever cancelled it.

Feeds are published calendars (no METHOD) behind a secret address; they use
the same UIDs, so a booking that reaches a calendar both ways is one event.

Times: DTSTART and DTEND carry the series' TZID, with a VTIMEZONE for every
TZID used, so a client keeps the hour at 10:00 local on both sides of a
daylight-saving change; DTSTAMP is always UTC. How the public series feed
writes one weekly RRULE with its exceptions is explained at `series_feed`.

Text is written in the reader's language: the employee's for an invitation and
their feed, the adviser's for theirs, the series' for the public feed.

A feed is written row by row: a row that cannot be written (a time outside the
window the forms and the API accept, made past them; anything raised while
building its event) is left out and logged, and the rest of the feed is served.
An invitation is one row: it raises ValueError, which its callers handle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Model, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from officehours import limits
from officehours.booking import schedule
from officehours.booking.models import Booking, Series, Session
from officehours.calendars import text
from officehours.questions.models import Question

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

    from officehours.accounts.models import User

logger = logging.getLogger(__name__)

_Row = TypeVar("_Row", bound=Model)

PRODID = "-//Frågestund//Question hour//EN"
BRAND = text.BRAND
METHODS = ("REQUEST", "CANCEL", "PUBLISH")
# Calendar apps that honour them poll the feeds this often.
REFRESH = timedelta(hours=1)
# How far back the personal feeds reach.
FEED_PAST_DAYS = 90
# Holidays are written as exceptions this far past the last scheduled week of a
# public feed; the feed is read again long before then.
PREDICT_WEEKS = 52
# Google and Outlook take the details in the address: keep it well inside URL limits.
LINK_DETAILS_MAX = 1500
ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# Identity


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def booking_uid(booking: Booking) -> str:
    return f"{booking.uid}@{_host()}"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{_host()}"


def series_uid(series: Series) -> str:
    return f"series-{series.pk}@{_host()}"


# Calendars


def _calendar(method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _feed(name: str, zone_name: str, description: str = "") -> Calendar:
    """A published calendar: no METHOD, a name, a default zone and refresh hints."""
    cal = _calendar()
    cal.calendar_name = name  # NAME and X-WR-CALNAME
    if description:
        cal.description = description  # DESCRIPTION and X-WR-CALDESC
    cal.add("x-wr-timezone", zone_name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


def _to_bytes(cal: Calendar) -> bytes:
    """Adds a VTIMEZONE for every TZID used, covering the events' years and a few more."""
    days = [
        event.decoded(key).date()
        for event in cal.walk("VEVENT")
        for key in ("DTSTART", "DTEND", "RECURRENCE-ID")
        if key in event and isinstance(event.decoded(key), datetime)
    ]
    if days:
        first = min(days)
        last = max(*days, timezone.now().date())
        cal.add_missing_timezones(
            first_date=date(first.year, 1, 1), last_date=date(last.year + 3, 1, 1)
        )
    ical: bytes = cal.to_ical()
    return ical


def _checked(event: Event) -> Event:
    """The event, if a calendar file can hold it; a ValueError saying why if not."""
    for key in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        if key in event and not limits.in_calendar_window(event.decoded(key)):
            raise ValueError(f"{key} {event.decoded(key):%Y-%m-%d} is outside the calendar window")
    event.to_ical()
    return event


def _add_rows(cal: Calendar, rows: Iterable[_Row], build: Callable[[_Row], Event]) -> None:
    """One event per row; a row that cannot be written is logged and left out."""
    for row in rows:
        try:
            event = _checked(build(row))
        except Exception:
            # Whatever one bad row raises, the others are still everyone's calendar.
            logger.exception("Calendar: %s %s left out", type(row).__name__, row.pk)
            continue
        cal.add_component(event)


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        # A parameter value cannot hold a double quote.
        address.params["CN"] = name.replace('"', "'")
    return address


def _people(event: Event, user: User | None, *, attendee: bool) -> None:
    """The comms mailbox organises; the employee attends, unless they are that mailbox."""
    organizer = settings.CALENDAR_ORGANIZER_EMAIL
    event.add("organizer", _address(organizer, settings.CALENDAR_ORGANIZER_NAME))
    if not attendee or user is None or not user.email:
        return
    if user.email.casefold() == organizer.casefold():
        return
    person = _address(user.email, user.name)
    person.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"})
    event.add("attendee", person)


def _questions_of(booking: Booking) -> list[Question]:
    cached: list[Question] | None = getattr(booking, "calendar_questions", None)
    if cached is not None:
        return cached
    return list(Question.objects.filter(booking=booking).order_by("created_at", "id"))


def _with_questions(to_attr: str = "calendar_questions") -> Prefetch[str, QuerySet[Question], str]:
    return Prefetch(
        "questions", queryset=Question.objects.order_by("created_at", "id"), to_attr=to_attr
    )


def _booking_event(booking: Booking, *, now: datetime, zone: ZoneInfo, cancelled: bool) -> Event:
    session = booking.session
    series_zone = text.zone_of(session.series.timezone)
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("created", booking.created_at.astimezone(UTC))
    event.add("last-modified", booking.updated_at.astimezone(UTC))
    event.add("dtstart", booking.slot.starts_at.astimezone(series_zone))
    event.add("dtend", booking.slot.ends_at.astimezone(series_zone))
    event.add("summary", text.summary(session.series))
    # A cancelled event keeps its place but not the link: nobody should join it.
    link = "" if cancelled else text.meeting_url(session)
    if location := text.place(session) or link:
        event.add("location", location)
    if link:
        event.add("url", link)
    event.add("description", text.booking_description(booking, _questions_of(booking), zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def booking_invitation(booking: Booking, *, method: str | None = None) -> bytes:
    """The booking's current invitation as an iTIP message (bytes of a .ics file).

    METHOD:REQUEST while the booking is active, METHOD:CANCEL once it is
    cancelled; `method` overrides that (REQUEST, CANCEL or PUBLISH). Pass a
    booking read after the change (the services return one) so that its
    SEQUENCE is current.
    """
    method = (method or ("REQUEST" if booking.is_active else "CANCEL")).upper()
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    user = booking.user
    series = booking.session.series
    now = timezone.now()
    with translation.override(user.language if user else series.language):
        cal = _calendar(method)
        cancelled = method == "CANCEL" or not booking.is_active
        event = _booking_event(
            booking,
            now=now,
            zone=text.zone_of(user.time_zone if user else series.timezone),
            cancelled=cancelled,
        )
        _checked(event)
        _people(event, user, attendee=method != "PUBLISH")
        cal.add_component(event)
    return _to_bytes(cal)


# Feeds


def employee_feed(user: User) -> bytes:
    """The person's bookings from FEED_PAST_DAYS back on; cancelled ones as STATUS:CANCELLED."""
    now = timezone.now()
    bookings = (
        Booking.objects.filter(user=user, slot__ends_at__gte=now - timedelta(days=FEED_PAST_DAYS))
        .select_related("slot", "session__series")
        .prefetch_related(_with_questions())
        .order_by("slot__starts_at", "id")
    )
    zone = text.zone_of(user.time_zone)
    with translation.override(user.language):
        cal = _feed(f"{BRAND} · {_('Your bookings')}", zone.key)
        _add_rows(
            cal,
            bookings,
            lambda booking: _booking_event(
                booking, now=now, zone=zone, cancelled=not booking.is_active
            ),
        )
    return _to_bytes(cal)


def adviser_feed(user: User) -> bytes:
    """The sessions of the series the adviser holds, with who booked and what they ask."""
    now = timezone.now()
    bookings = (
        Booking.objects.filter(status=Booking.ACTIVE)
        .select_related("slot", "user")
        .prefetch_related(_with_questions())
        .order_by("slot__starts_at", "id")
    )
    sessions = (
        Session.objects.filter(
            series__advisers=user, ends_at__gte=now - timedelta(days=FEED_PAST_DAYS)
        )
        .select_related("series")
        .prefetch_related(Prefetch("bookings", queryset=bookings, to_attr="calendar_bookings"))
        .order_by("starts_at", "id")
    )
    zone = text.zone_of(user.time_zone)
    with translation.override(user.language):
        cal = _feed(f"{BRAND} · {_('Sessions')}", zone.key)
        _add_rows(cal, sessions, lambda session: _session_event(session, now=now, zone=zone))
    return _to_bytes(cal)


def _session_event(
    session: WithAnnotations[Session, text.CalendarBookings], *, now: datetime, zone: ZoneInfo
) -> Event:
    series = session.series
    series_zone = text.zone_of(series.timezone)
    cancelled = session.status == Session.CANCELLED
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(series_zone))
    event.add("dtend", session.ends_at.astimezone(series_zone))
    event.add("summary", text.summary(series))
    link = "" if cancelled else text.meeting_url(session)
    if location := text.place(session) or link:
        event.add("location", location)
    if link:
        event.add("url", link)
    event.add("description", text.session_description(session, zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def series_feed(series: Series) -> bytes:
    """The public feed of a series: one weekly event and its exceptions, nobody's name.

    The master VEVENT recurs weekly at the series' wall-clock time from its first
    week. Each week is compared with that rule:
    - a week with no session, a cancelled one, or one skipped for a holiday is
      an EXDATE (and, past the scheduled weeks, so is each coming holiday);
    - a week whose time, length or place differs from the series (moved by an
      adviser, or a past week from before the series changed) is a VEVENT of
      the same UID with RECURRENCE-ID = that week's regular start.
    A series that has ended gets an UNTIL at its last week that took place.
    """
    now = timezone.now()
    sessions = []
    for session in series.sessions.order_by("week", "id"):
        # The weekly rule walks from the first week to the last: one planted
        # centuries away would stretch it (and the file) up to there.
        if limits.in_calendar_window(session.week):
            sessions.append(session)
        else:
            logger.error("Calendar: Session %s left out: week %s", session.pk, session.week)
    zone = text.zone_of(series.timezone)
    with translation.override(series.language):
        cal = _feed(series.title, zone.key, description=series.description)
        for event in _series_events(series, sessions, zone, now):
            cal.add_component(event)
    return _to_bytes(cal)


def _series_events(
    series: Series, sessions: list[Session], zone: ZoneInfo, now: datetime
) -> list[Event]:
    if not sessions:
        return []
    held = [s for s in sessions if s.status == Session.SCHEDULED]
    if not series.is_active and not held:
        return []

    def regular(week: date) -> datetime:
        day = schedule.session_day(week, series.weekday)
        return schedule.local_to_utc(day, series.start_time, series.timezone).astimezone(zone)

    duration = timedelta(minutes=series.duration_minutes)
    by_week = {s.week: s for s in sessions}
    first_week, last_known = sessions[0].week, sessions[-1].week
    if series.is_active:
        until = None
        today = timezone.localtime(now, zone).date()
        stop = max(last_known, schedule.monday_of(today)) + timedelta(weeks=PREDICT_WEEKS)
    else:
        stop = held[-1].week
        until = regular(stop).astimezone(UTC)

    master = _series_master(series, regular(first_week), duration, until, now)
    exdates, events = [], [master]
    week = first_week
    while week <= stop:
        start = regular(week)
        session = by_week.get(week)
        if session is None:
            day = start.date()
            if week <= last_known or schedule.holiday_name(series.holiday_country, day):
                exdates.append(start)
        elif session.status == Session.CANCELLED:
            exdates.append(start)
        elif _differs(session, series, start, duration):
            try:
                events.append(_checked(_series_override(series, session, start, zone, now)))
            except Exception:
                # Left out, and the week with it: not shown at a time it no longer has.
                logger.exception("Calendar: Session %s left out", session.pk)
                exdates.append(start)
        week += timedelta(weeks=1)
    if exdates:
        master.add("exdate", exdates)
    return events


def _differs(session: Session, series: Series, start: datetime, duration: timedelta) -> bool:
    return (
        session.starts_at != start
        or session.ends_at - session.starts_at != duration
        or session.location != series.location
        or session.meeting_url != series.meeting_url
    )


def _series_master(
    series: Series, start: datetime, duration: timedelta, until: datetime | None, now: datetime
) -> Event:
    rule: dict[str, object] = {"freq": "weekly", "byday": [ICAL_WEEKDAYS[series.weekday]]}
    if until is not None:
        rule["until"] = until
    event = Event()
    event.add("uid", series_uid(series))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", series.updated_at.astimezone(UTC))
    event.add("dtstart", start)
    event.add("duration", duration)
    event.add("rrule", rule)
    event.add("summary", series.title)
    if location := series.location or series.meeting_url:
        event.add("location", location)
    if series.meeting_url:
        event.add("url", series.meeting_url)
    event.add("description", text.series_text(series))
    event.add("status", "CONFIRMED")
    return event


def _series_override(
    series: Series, session: Session, regular_start: datetime, zone: ZoneInfo, now: datetime
) -> Event:
    event = Event()
    event.add("uid", series_uid(series))
    event.add("recurrence-id", regular_start)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", series.title)
    if location := session.location or session.meeting_url:
        event.add("location", location)
    if session.meeting_url:
        event.add("url", session.meeting_url)
    event.add("description", text.series_text(series))
    event.add("status", "CONFIRMED")
    return event


# Add-to-calendar links


def _utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def calendar_links(booking: Booking) -> dict[str, str]:
    """Addresses that open Google Calendar or Outlook.com with the booking filled in.

    The details name the time, place and where to manage the booking, never the
    questions: the address travels to the calendar provider as it is.
    """
    session, series = booking.session, booking.session.series
    user = booking.user
    with translation.override(user.language if user else series.language):
        title = text.summary(series)
        zone = text.zone_of(user.time_zone if user else series.timezone)
        details = text.link_details(booking, zone)[:LINK_DETAILS_MAX]
    location = text.place(session) or text.meeting_url(session)
    start, end = booking.slot.starts_at, booking.slot.ends_at
    google = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_utc_stamp(start)}/{_utc_stamp(end)}",
        "details": details,
        "location": location,
        "ctz": series.timezone,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": _utc_iso(start),
        "enddt": _utc_iso(end),
        "body": details,
        "location": location,
    }
    return {
        "google": "https://calendar.google.com/calendar/render?" + _query(google),
        "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + _query(outlook),
    }


def _query(params: dict[str, str]) -> str:
    # %20 for spaces: Outlook shows a "+" literally.
    return urlencode(params, quote_via=quote, safe="/")
