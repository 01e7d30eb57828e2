"""Series and sessions: create the weeks of the booking horizon and keep them in step.

Editing a series changes sessions that have not started and never the past.
A week an adviser moved keeps its own time and place. Bookings follow their
slot by position: when a session moves, its slots move and the bookings with
them; when the series is shortened, bookings on slots that no longer exist
are cancelled with notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from officehours.booking import schedule
from officehours.booking.models import Booking, BookingEvent, Series, Session, Slot, WaitlistEntry
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.events import event_record, events_record
from officehours.booking.services.locking import run_locked
from officehours.booking.services.waitlist import offer_free_seats, release_offers_on_slot
from officehours.live.versions import live_hour_changed
from officehours.questions.services import questions_unschedule_for_booking

if TYPE_CHECKING:
    from officehours.accounts.models import User


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    skipped_for_holidays: int = 0


def series_create(*, advisers: Iterable[User] = (), **fields: Any) -> Series:
    series = Series(**fields)
    series.full_clean()
    series.save()
    if advisers:
        series.advisers.set(advisers)
    sessions_sync(series=series)
    return series


def series_update(
    *,
    series: Series,
    advisers: Iterable[User] | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Series:
    was_active = Series.objects.filter(pk=series.pk, is_active=True).exists()
    for name, value in fields.items():
        setattr(series, name, value)
    series.full_clean()
    series.save()
    if advisers is not None:
        series.advisers.set(advisers)
    if was_active and not series.is_active:
        _end_series(series, actor)
    sessions_sync(series=series)
    return series


def _end_series(series: Series, actor: User | None) -> None:
    """A series switched off: its future weeks are cancelled, and their bookings with notice."""
    with translation.override(series.language):
        reason = _("This question hour series has ended.")
    upcoming = series.sessions.filter(status=Session.SCHEDULED, starts_at__gt=timezone.now())
    for session in upcoming:
        session_cancel(session=session, reason=reason, actor=actor)


def sessions_sync(*, series: Series | None = None, today: date | None = None) -> SyncResult:
    """Creates the sessions of the booking horizon and brings future ones in line."""
    now = timezone.now()
    result = SyncResult()
    queryset = Series.objects.filter(is_active=True)
    if series is not None:
        queryset = queryset.filter(pk=series.pk)
    for one in queryset:
        local_today = today or timezone.localtime(now, schedule.ZoneInfo(one.timezone)).date()
        for week in schedule.horizon_weeks(local_today, one.starts_on, one.weeks_ahead):
            _sync_week(one, week, now, result)
    return result


def _sync_week(series: Series, week: date, now: datetime, result: SyncResult) -> None:
    day = schedule.session_day(week, series.weekday)
    starts_at = schedule.local_to_utc(day, series.start_time, series.timezone)
    ends_at = starts_at + timedelta(minutes=series.duration_minutes)
    session = Session.objects.filter(series=series, week=week).first()
    if session is None:
        if ends_at <= now:
            return  # a week already over when the series began: nothing to offer
        holiday = schedule.holiday_name(series.holiday_country, day)
        with transaction.atomic():
            session = Session.objects.create(
                series=series,
                week=week,
                starts_at=starts_at,
                ends_at=ends_at,
                location=series.location,
                meeting_url=series.meeting_url,
                status=Session.CANCELLED if holiday else Session.SCHEDULED,
                holiday_name=holiday or "",
            )
            _sync_slots(session, series, now)
        result.created += 1
        result.skipped_for_holidays += bool(holiday)
        return
    if session.starts_at <= now or (not session.moved and starts_at <= now):
        # Never rewrite the past or a session under way, nor move one into the past
        # (a weekday change early in the week): that week keeps its time.
        return
    holiday = "" if session.moved else schedule.holiday_name(series.holiday_country, day) or ""
    changed = (
        not session.moved
        and (
            session.starts_at != starts_at
            or session.ends_at != ends_at
            or session.location != series.location
            or session.meeting_url != series.meeting_url
            or (session.holiday_name != holiday and not session.reinstated)
        )
    ) or _slots_differ(session, series)
    if changed:
        run_locked(
            session.pk, lambda locked: _apply_series(locked, series, starts_at, holiday, now)
        )
        result.updated += 1


def _slots_differ(session: Session, series: Series) -> bool:
    slots = list(session.slots.filter(removed=False))
    if len(slots) != series.slot_count:
        return True
    duration = timedelta(minutes=series.slot_minutes)
    return any(
        s.ends_at - s.starts_at != duration
        or s.capacity != max(series.seats_per_slot, s.booked + s.held)
        for s in slots
    )


def _apply_series(
    session: Session, series: Series, starts_at: datetime, holiday: str, now: datetime
) -> None:
    new_time = new_place = False
    if not session.moved and not session.reinstated and session.holiday_name != holiday:
        _follow_holiday(session, holiday, now)
    if not session.moved:
        # A new time or place changes the bookings' calendar events (their SEQUENCE).
        new_time = session.starts_at != starts_at
        new_place = (session.location, session.meeting_url) != (
            series.location,
            series.meeting_url,
        )
        session.starts_at = starts_at
        session.ends_at = starts_at + timedelta(minutes=series.duration_minutes)
        session.location = series.location
        session.meeting_url = series.meeting_url
        session.save()
    else:
        session.ends_at = session.starts_at + timedelta(minutes=series.duration_minutes)
        session.save(update_fields=["ends_at", "updated_at"])
    _sync_slots(session, series, now, new_time=new_time, new_place=new_place)


def _follow_holiday(session: Session, holiday: str, now: datetime) -> None:
    """The week's day changed: skip it if it is now a holiday, bring it back if no longer."""
    if holiday and session.status == Session.SCHEDULED:
        session.status = Session.CANCELLED
        session.cancelled_at = now
        for booking in session.bookings.filter(status=Booking.ACTIVE):
            _cancel_in_lock(booking, actor=None, reason=holiday, now=now)
        _clear_waitlist(session, holiday)
    elif not holiday and session.status == Session.CANCELLED and not session.cancel_reason:
        session.status = Session.SCHEDULED  # it was skipped for the old day's holiday
        session.cancelled_at = None
    session.holiday_name = holiday
    session.save()


def _sync_slots(
    session: Session,
    series: Series,
    now: datetime,
    *,
    new_time: bool = False,
    new_place: bool = False,
) -> None:
    """Lays the session's slots out from the series; bookings follow their slot's position."""
    bounds = schedule.slot_bounds(session.starts_at, series.duration_minutes, series.slot_minutes)
    existing = {slot.position: slot for slot in session.slots.all()}
    retimed = False  # a booked slot got a new start or end (e.g. a new slot length)
    for position, (start, end) in enumerate(bounds):
        slot = existing.pop(position, None)
        if slot is None:
            Slot.objects.create(
                session=session,
                position=position,
                starts_at=start,
                ends_at=end,
                capacity=series.seats_per_slot,
            )
            continue
        retimed = retimed or bool(slot.booked and (slot.starts_at, slot.ends_at) != (start, end))
        slot.starts_at, slot.ends_at, slot.removed = start, end, False
        # Never below the seats already taken: those bookings stand.
        slot.capacity = max(series.seats_per_slot, slot.booked + slot.held)
        slot.save()
    for slot in existing.values():
        if not slot.removed:
            _remove_slot(slot, now)
    if new_time or new_place or retimed:
        _record_moved(session, new_time=new_time or retimed, new_place=new_place)
    offer_free_seats(session, now)


def _remove_slot(slot: Slot, now: datetime) -> None:
    # Stored text: written in the series' own language, whoever triggered the change.
    with translation.override(slot.session.series.language):
        reason = _("The question hour was shortened and this time no longer exists.")
    for booking in slot.bookings.filter(status=Booking.ACTIVE):
        _cancel_in_lock(booking, actor=None, reason=reason, now=now)
    release_offers_on_slot(slot, now)
    slot.removed = True
    slot.capacity = 0
    slot.save(update_fields=["removed", "capacity"])


def _record_moved(session: Session, *, new_time: bool, new_place: bool) -> None:
    """Every change raises the SEQUENCE; the event's reason says what changed."""
    if new_time and new_place:
        changed = BookingEvent.MOVED_TIME_AND_PLACE
    else:
        changed = BookingEvent.MOVED_TIME if new_time else BookingEvent.MOVED_PLACE
    bookings = list(session.bookings.filter(status=Booking.ACTIVE))
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(sequence=F("sequence") + 1)
    events_record(
        [
            BookingEvent(kind=BookingEvent.MOVED, user_id=b.user_id, booking=b, reason=changed)
            for b in bookings
        ]
    )


def _cancel_in_lock(booking: Booking, *, actor: User | None, reason: str, now: datetime) -> None:
    """Cancels a booking inside an already-held session lock and frees its seat."""
    Booking.objects.filter(pk=booking.pk).update(
        status=Booking.CANCELLED,
        cancelled_at=now,
        cancelled_by=actor,
        cancel_reason=reason,
        sequence=F("sequence") + 1,
        updated_at=now,
    )
    Slot.objects.filter(pk=booking.slot_id).update(booked=F("booked") - 1)
    questions_unschedule_for_booking(booking=booking)
    event_record(
        BookingEvent.CANCELLED,
        user_id=booking.user_id,
        booking=booking,
        actor=actor,
        reason=reason,
    )


def session_cancel(
    *, session: Session, reason: str, actor: User | None, now: datetime | None = None
) -> Session:
    """Cancels one week: every booking is cancelled with the reason, the waitlist cleared."""
    now = now or timezone.now()

    def work(locked: Session) -> Session:
        if locked.status == Session.CANCELLED:
            raise BookingRefused("session_cancelled")
        if locked.starts_at <= now:
            raise BookingRefused("session_over")
        locked.status = Session.CANCELLED
        locked.cancel_reason = reason
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
        for booking in locked.bookings.filter(status=Booking.ACTIVE):
            _cancel_in_lock(booking, actor=actor, reason=reason, now=now)
        _clear_waitlist(locked, reason)
        live_hour_changed(locked.pk)  # an open live page says it is cancelled
        return locked

    return run_locked(session.pk, work)


def _clear_waitlist(session: Session, reason: str) -> None:
    entries = list(session.waitlist.filter(status__in=WaitlistEntry.OPEN_STATES))
    for entry in entries:
        if entry.status == WaitlistEntry.OFFERED and entry.offered_slot_id:
            Slot.objects.filter(pk=entry.offered_slot_id).update(held=F("held") - 1)
    WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=WaitlistEntry.CLEARED, offered_slot=None, offer_expires_at=None
    )
    events_record(
        [
            BookingEvent(
                kind=BookingEvent.WAITLIST_CLEARED,
                user_id=e.user_id,
                waitlist_entry=e,
                reason=reason,
            )
            for e in entries
        ]
    )


def session_reinstate(
    *, session: Session, actor: User | None, now: datetime | None = None
) -> Session:
    """Brings back a week skipped for a holiday (or cancelled by mistake)."""
    now = now or timezone.now()

    def work(locked: Session) -> Session:
        if locked.status != Session.CANCELLED:
            raise BookingRefused("not_cancelled")
        if locked.starts_at <= now:
            raise BookingRefused("session_over")
        locked.status = Session.SCHEDULED
        locked.reinstated = True
        locked.cancel_reason = ""
        locked.cancelled_at = None
        locked.save()
        return locked

    return run_locked(session.pk, work)


def session_move(
    *,
    session: Session,
    actor: User | None,
    starts_at: datetime | None = None,
    location: str | None = None,
    meeting_url: str | None = None,
    now: datetime | None = None,
) -> Session:
    """Moves one week's time and/or place. Its bookings move along with their slots."""
    now = now or timezone.now()
    if starts_at is not None:
        # Durations are added in UTC: on a local clock a DST change would bend them.
        starts_at = starts_at.astimezone(UTC)

    def work(locked: Session) -> Session:
        if locked.status == Session.CANCELLED:
            raise BookingRefused("session_cancelled")
        if locked.starts_at <= now:
            raise BookingRefused("session_over")
        if starts_at is not None and starts_at <= now:
            raise BookingRefused("move_to_past", status=422)
        series = locked.series
        moved_in_time = starts_at is not None and starts_at != locked.starts_at
        new_place = (location is not None and location != locked.location) or (
            meeting_url is not None and meeting_url != locked.meeting_url
        )
        if starts_at is not None:
            locked.starts_at = starts_at
            locked.ends_at = starts_at + timedelta(minutes=series.duration_minutes)
        if location is not None:
            locked.location = location
        if meeting_url is not None:
            locked.meeting_url = meeting_url
        locked.moved = True
        locked.save()
        if moved_in_time:
            _sync_slots(locked, series, now, new_time=True, new_place=new_place)
        elif location is not None or meeting_url is not None:
            _record_moved(locked, new_time=False, new_place=True)
        return locked

    return run_locked(session.pk, work)
