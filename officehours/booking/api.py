"""API: sessions, bookings, the waitlist, and (for advisers) the schedule.

Times are ISO 8601 with the UTC offset of the caller's time zone (their
profile's), e.g. "2026-02-05T10:00:00+01:00".
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import ValidationError as PydanticValidationError

from officehours import limits
from officehours.apiauth import ADVISER_AUTH, ApiRequest
from officehours.apierrors import ApiError
from officehours.booking.api_schemas import (
    BookingIn,
    BookingOut,
    RescheduleIn,
    SeriesIn,
    SeriesOut,
    SessionOut,
    SessionPatch,
    WaitlistIn,
    WaitlistOut,
    parse_hh_mm,
    zone,
)
from officehours.booking.models import Booking, Series, Session, Slot, WaitlistEntry
from officehours.booking.schedule import local_to_utc
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from officehours.booking.services.sessions import (
    series_create,
    session_cancel,
    session_move,
    session_reinstate,
)
from officehours.booking.services.waitlist import waitlist_join, waitlist_leave
from officehours.calendars.responses import invitation_response
from officehours.limits import MAX_ID
from officehours.questions.services import question_from_note

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from officehours.accounts.models import User

router = Router(tags=["booking"])

MAX_RANGE_DAYS = 366


def _tz(request: ApiRequest) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(request.user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def _local(request: ApiRequest, value: datetime | None) -> datetime | None:
    return value.astimezone(_tz(request)) if value else None


# Converters


def _slot_out(request: ApiRequest, slot: Slot) -> dict[str, object]:
    return {
        "id": slot.pk,
        "starts_at": _local(request, slot.starts_at),
        "ends_at": _local(request, slot.ends_at),
        "capacity": slot.capacity,
        "available": slot.available if slot.session.status == Session.SCHEDULED else 0,
    }


def _session_out(request: ApiRequest, session: Session) -> dict[str, object]:
    return {
        "id": session.pk,
        "series_id": session.series_id,
        "series_title": session.series.title,
        "starts_at": _local(request, session.starts_at),
        "ends_at": _local(request, session.ends_at),
        "status": session.status,
        "location": session.location,
        "meeting_url": session.meeting_url,
        "holiday_name": session.holiday_name,
        "cancel_reason": session.cancel_reason,
        "slots": [_slot_out(request, s) for s in session.slots.all()],
    }


def _booking_out(request: ApiRequest, booking: Booking) -> dict[str, object]:
    session = booking.session
    return {
        "id": booking.pk,
        "slot_id": booking.slot_id,
        "session_id": booking.session_id,
        "series_id": session.series_id,
        "series_title": session.series.title,
        "starts_at": _local(request, booking.slot.starts_at),
        "ends_at": _local(request, booking.slot.ends_at),
        "status": booking.status,
        "note": booking.note,
        "location": session.location,
        "meeting_url": session.meeting_url,
        "created_at": _local(request, booking.created_at),
        "cancelled_at": _local(request, booking.cancelled_at),
        "cancel_reason": booking.cancel_reason,
    }


def _sessions_queryset() -> QuerySet[Session]:
    return Session.objects.select_related("series").prefetch_related(
        Prefetch(
            "slots",
            queryset=Slot.objects.filter(removed=False)
            .select_related("session")
            .order_by("starts_at", "position"),
        )
    )


def _bookings_queryset(user: User) -> QuerySet[Booking]:
    return Booking.objects.filter(user=user).select_related("slot", "session__series")


def _own_booking(request: ApiRequest, booking_id: int) -> Booking:
    # Someone else's booking is simply not there for the caller.
    return get_object_or_404(_bookings_queryset(request.user), pk=booking_id)


# Sessions


@router.get("/sessions", response=list[SessionOut], summary="Sessions in a date range")
def list_sessions(
    request: ApiRequest,
    # ninja.Query is a call at run time and a generic alias to mypy: hence [type-arg].
    from_: date | None = Query(None, alias="from", description="First day (YYYY-MM-DD)"),  # type: ignore[type-arg]
    to: date | None = Query(None, description="Last day, inclusive (YYYY-MM-DD)"),  # type: ignore[type-arg]
    series_id: int | None = Query(None, ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> list[dict[str, object]]:
    tz = _tz(request)
    first = from_ or timezone.localtime(timezone.now(), tz).date()
    try:
        limits.DAY.check(first)
        if to is not None:
            limits.DAY.check(to)
    except limits.OutOfRange as exc:
        raise ApiError("invalid_range", str(exc), status=422) from None
    last = to or first + timedelta(weeks=8)
    if last < first:
        raise ApiError("invalid_range", _("“to” must not be before “from”."), status=422)
    if (last - first).days > MAX_RANGE_DAYS:
        raise ApiError("invalid_range", _("Ask for at most a year at a time."), status=422)
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    sessions = _sessions_queryset().filter(starts_at__gte=start, starts_at__lt=end)
    if series_id is not None:
        sessions = sessions.filter(series_id=series_id)
    return [_session_out(request, s) for s in sessions.order_by("starts_at", "id")]


@router.get("/sessions/{session_id}", response=SessionOut, summary="One session")
def get_session(request: ApiRequest, session_id: int) -> dict[str, object]:
    return _session_out(request, get_object_or_404(_sessions_queryset(), pk=session_id))


@router.patch(
    "/sessions/{session_id}",
    response=SessionOut,
    summary="Cancel, reinstate or move (advisers)",
    auth=ADVISER_AUTH,
)
def patch_session(request: ApiRequest, session_id: int, payload: SessionPatch) -> dict[str, object]:
    session = get_object_or_404(Session.objects.select_related("series"), pk=session_id)
    moving = any(
        value is not None
        for value in (
            payload.starts_at,
            payload.date,
            payload.start_time,
            payload.location,
            payload.meeting_url,
        )
    )
    if payload.status == Session.CANCELLED and moving:
        # One change at a time, so a refusal never leaves half of a request done.
        raise ApiError(
            "invalid", _("Cancel a session, or move it, in separate requests."), status=422
        )
    if payload.status == Session.CANCELLED:
        if not payload.reason.strip():
            raise ApiError("reason_required", _("Give a reason for cancelling."), status=422)
        if session.status != Session.CANCELLED:
            session = session_cancel(
                session=session, reason=payload.reason.strip(), actor=request.user
            )
    elif payload.status == Session.SCHEDULED and session.status == Session.CANCELLED:
        session = session_reinstate(session=session, actor=request.user)
    starts_at = _new_start(session, payload)
    if starts_at is not None or payload.location is not None or payload.meeting_url is not None:
        if session.status == Session.CANCELLED:
            raise ApiError("session_cancelled", _("Reinstate the session before moving it."), 409)
        if starts_at is not None and starts_at <= timezone.now():
            raise ApiError("invalid_time", _("A session cannot be moved into the past."), 422)
        session = session_move(
            session=session,
            actor=request.user,
            starts_at=starts_at,
            location=payload.location,
            meeting_url=payload.meeting_url,
        )
    return _session_out(request, _sessions_queryset().get(pk=session.pk))


def _new_start(session: Session, payload: SessionPatch) -> datetime | None:
    """The new start in UTC (arithmetic on it must not happen on a local wall clock)."""
    tz = zoneinfo.ZoneInfo(session.series.timezone)
    if payload.starts_at is not None:
        value = payload.starts_at
        return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(UTC)
    if payload.date is None and payload.start_time is None:
        return None
    current = timezone.localtime(session.starts_at, tz)
    day = payload.date or current.date()
    at = parse_hh_mm(payload.start_time) if payload.start_time else current.time()
    return local_to_utc(day, at, session.series.timezone)


# Bookings


@router.get("/bookings", response=list[BookingOut], summary="My bookings")
def list_bookings(
    request: ApiRequest,
    status: str | None = Query(None, pattern="^(active|cancelled)$"),  # type: ignore[type-arg]
) -> list[dict[str, object]]:
    bookings = _bookings_queryset(request.user).order_by("slot__starts_at", "id")
    if status:
        bookings = bookings.filter(status=status)
    return [_booking_out(request, b) for b in bookings]


@router.post("/bookings", response={201: BookingOut}, summary="Book a slot")
def create_booking(request: ApiRequest, payload: BookingIn) -> Status[dict[str, object]]:
    try:
        booking = booking_create(user=request.user, slot_id=payload.slot_id, note=payload.note)
    except Slot.DoesNotExist:
        raise Http404 from None
    question_from_note(author=request.user, note=booking.note, booking=booking)
    return Status(201, _booking_out(request, booking))


@router.get("/bookings/{booking_id}", response=BookingOut, summary="One of my bookings")
def get_booking(request: ApiRequest, booking_id: int) -> dict[str, object]:
    return _booking_out(request, _own_booking(request, booking_id))


@router.delete("/bookings/{booking_id}", response=BookingOut, summary="Cancel my booking")
def cancel_booking(request: ApiRequest, booking_id: int) -> dict[str, object]:
    booking = _own_booking(request, booking_id)
    booking_cancel(booking=booking, actor=request.user)
    return _booking_out(request, _own_booking(request, booking_id))


@router.post("/bookings/{booking_id}/reschedule", response=BookingOut, summary="Move my booking")
def reschedule_booking(
    request: ApiRequest, booking_id: int, payload: RescheduleIn
) -> dict[str, object]:
    booking = _own_booking(request, booking_id)
    try:
        booking_reschedule(booking=booking, slot_id=payload.slot_id, actor=request.user)
    except Slot.DoesNotExist:
        raise Http404 from None
    return _booking_out(request, _own_booking(request, booking_id))


@router.get(
    "/bookings/{booking_id}/invite.ics",
    summary="The calendar invitation of my booking",
    description=(
        "The booking's current invitation as an iCalendar file: METHOD:REQUEST while it is "
        "booked, METHOD:CANCEL once cancelled, with the same UID for the booking's whole life "
        "and a SEQUENCE that rises with every change."
    ),
    openapi_extra={
        # 200 as a number, the key ninja itself uses: "200" would be a second key.
        "responses": {
            200: {
                "description": "An iCalendar (RFC 5545) invitation (RFC 5546)",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def booking_invite(request: ApiRequest, booking_id: int) -> HttpResponse:
    return invitation_response(_own_booking(request, booking_id))


# Waitlist


def _waitlist_out(entry: WaitlistEntry, request: ApiRequest) -> dict[str, object]:
    return {
        "id": entry.pk,
        "session_id": entry.session_id,
        "status": entry.status,
        "note": entry.note,
        "offered_slot_id": entry.offered_slot_id,
        "offer_expires_at": _local(request, entry.offer_expires_at),
        "created_at": _local(request, entry.created_at),
    }


@router.post(
    "/sessions/{session_id}/waitlist",
    response={201: WaitlistOut},
    summary="Join the waitlist",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": WaitlistIn.model_json_schema()}},
        }
    },
)
def join_waitlist(request: ApiRequest, session_id: int) -> Status[dict[str, object]]:
    get_object_or_404(Session, pk=session_id)
    entry = waitlist_join(user=request.user, session_id=session_id, note=_optional_note(request))
    question_from_note(author=request.user, note=entry.note, waitlist_entry=entry)
    return Status(201, _waitlist_out(entry, request))


def _optional_note(request: ApiRequest) -> str:
    """The body is optional here: nothing, {} or {"note": "..."}."""
    if not request.body.strip():
        return ""
    try:
        return WaitlistIn.model_validate_json(request.body).note
    except PydanticValidationError as exc:
        raise ApiError(
            "invalid", _('Send {"note": "..."} (at most 4000 characters) or nothing.'), 422
        ) from exc


@router.delete("/sessions/{session_id}/waitlist", response=WaitlistOut, summary="Leave it")
def leave_waitlist(request: ApiRequest, session_id: int) -> dict[str, object]:
    get_object_or_404(Session, pk=session_id)
    return _waitlist_out(waitlist_leave(user=request.user, session_id=session_id), request)


# The schedule (advisers)


def _series_out(request: ApiRequest, series: Series) -> dict[str, object]:
    sessions = _sessions_queryset().filter(series=series).order_by("starts_at")
    return {
        "id": series.pk,
        "title": series.title,
        "weekday": series.weekday,
        "start_time": series.start_time.strftime("%H:%M"),
        "duration_minutes": series.duration_minutes,
        "slot_minutes": series.slot_minutes,
        "seats_per_slot": series.seats_per_slot,
        "timezone": series.timezone,
        "location": series.location,
        "meeting_url": series.meeting_url,
        "weeks_ahead": series.weeks_ahead,
        "min_notice_minutes": series.min_notice_minutes,
        "cancel_cutoff_minutes": series.cancel_cutoff_minutes,
        "max_active_bookings": series.max_active_bookings,
        "language": series.language,
        "reminder_offsets": list(series.reminder_offsets or []),
        "live_approval": series.live_approval,
        "sessions": [_session_out(request, s) for s in sessions],
    }


@router.post(
    "/series",
    response={201: SeriesOut},
    summary="Create a question hour series (advisers)",
    auth=ADVISER_AUTH,
)
def create_series(request: ApiRequest, payload: SeriesIn) -> Status[dict[str, object]]:
    fields = payload.model_dump()
    fields["start_time"] = parse_hh_mm(fields["start_time"])
    fields["starts_on"] = timezone.localtime(timezone.now(), zone(payload.timezone)).date()
    try:
        series = series_create(advisers=[request.user], **fields)
    except DjangoValidationError as exc:
        raise ApiError(
            "invalid",
            _("Some of the data sent is not valid."),
            status=422,
            errors=[
                {"loc": ["body", "payload", field], "message": " ".join(messages)}
                for field, messages in exc.message_dict.items()
            ],
        ) from exc
    return Status(201, _series_out(request, series))


@router.get("/series/{series_id}", response=SeriesOut, summary="One series and its sessions")
def get_series(request: ApiRequest, series_id: int) -> dict[str, object]:
    return _series_out(request, get_object_or_404(Series, pk=series_id))
