"""Recording what people must hear about, inside the transaction that causes it.

The domain services call these functions right where they record a booking or
question event; the rows commit or roll back with the change itself. This
module only writes rows: after the commit, wakeup.send_soon wakes the sender
(once for a rush of commits); if that wake-up is lost (Redis down, a crash),
the minute sweep (tasks.send_due_notifications) sends the rows instead. Either
way the row's unique key and the claim in sending.py make sure each goes once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from officehours.notifications import wakeup
from officehours.notifications.models import Notification

if TYPE_CHECKING:
    from officehours.accounts.models import User
    from officehours.booking.models import BookingEvent, Session

# Booking event kind → what the person is sent. Events not listed send nothing.
_BOOKING_EVENT_KINDS = {
    "created": Notification.BOOKING_CONFIRMED,
    "rescheduled": Notification.BOOKING_CHANGED,
    "moved": Notification.BOOKING_CHANGED,
    "cancelled": Notification.BOOKING_CANCELLED,
    "offered": Notification.WAITLIST_OFFER,
    "waitlist_cleared": Notification.WAITLIST_CLEARED,
}
_QUESTION_EVENT_KINDS = {
    "answered": Notification.QUESTION_ANSWERED,
    "declined": Notification.QUESTION_DECLINED,
    "published": Notification.QUESTION_PUBLISHED,
}


def _queue(notifications: list[Notification]) -> None:
    """One insert for all of them; if any is due now, the sender is woken after commit."""
    if not notifications:
        return
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    now = timezone.now()
    if any(n.due_at <= now for n in notifications):
        transaction.on_commit(wakeup.send_soon)


def booking_events_recorded(events: Sequence[BookingEvent]) -> None:
    """Call with the BookingEvent rows just created (with primary keys): their e-mails
    are written in one insert, and reminders made for the old time are dropped."""
    for event in events:
        if event.booking_id is not None and event.kind in ("rescheduled", "moved", "cancelled"):
            reminders_drop(event.booking_id)
    _queue(_booking_event_rows(events))


def _booking_event_rows(events: Iterable[BookingEvent]) -> list[Notification]:
    rows = []
    for event in events:
        kind = _BOOKING_EVENT_KINDS.get(event.kind)
        if kind is not None and event.user_id is not None:
            rows.append(
                Notification(
                    key=f"booking-event:{event.pk}:{event.user_id}",
                    kind=kind,
                    recipient_id=event.user_id,
                    booking_id=event.booking_id,
                    waitlist_entry_id=event.waitlist_entry_id,
                    reason=_reason(event),
                )
            )
    # Reminders are made when they fall due (reminders.py), not here.
    return rows


def _reason(event: BookingEvent) -> str:
    # A move's reason is what changed (time, place or both): its e-mail says which.
    if event.kind == "moved":
        return event.reason
    # The reason is shown when someone else cancelled (an adviser, or the week was called off).
    if event.kind in ("cancelled", "waitlist_cleared") and event.actor_id != event.user_id:
        return event.reason
    return ""


def question_events_recorded(kind: str, question_id: int, user_ids: Iterable[int]) -> None:
    notification_kind = _QUESTION_EVENT_KINDS.get(kind)
    if notification_kind is None:
        return
    _queue(
        [
            Notification(
                key=f"question:{kind}:{question_id}:{user_id}",
                kind=notification_kind,
                recipient_id=user_id,
                question_id=question_id,
            )
            for user_id in user_ids
            if user_id
        ]
    )


def live_summary_recorded(*, session: Session, user_ids: Iterable[int]) -> None:
    """The after-the-hour e-mail of a session's live hour, once per person."""
    _queue(
        [
            Notification(
                key=f"live-summary:{session.pk}:{user_id}",
                kind=Notification.LIVE_SUMMARY,
                recipient_id=user_id,
                session_id=session.pk,
            )
            for user_id in user_ids
        ]
    )


def reminders_drop(booking_id: int) -> None:
    Notification.objects.filter(
        booking_id=booking_id, kind=Notification.REMINDER, status=Notification.PENDING
    ).update(status=Notification.SKIPPED, last_error="")


def digest_queued(*, session: Session, adviser: User) -> None:
    """The advisers' digest for one session (the periodic job decides when)."""
    stamp = session.starts_at.strftime("%Y%m%dT%H%M%SZ")
    _queue(
        [
            Notification(
                key=f"digest:{session.pk}:{adviser.pk}:{stamp}",
                kind=Notification.DIGEST,
                recipient=adviser,
                session=session,
            )
        ]
    )
