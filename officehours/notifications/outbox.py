"""Recording what people must hear about, inside the transaction that causes it.

The domain services call these functions right where they record a booking or
question event; the rows commit or roll back with the change itself. After the
commit the worker is woken to send what is due (send_soon: once for a rush of
commits); if that wake-up is lost (Redis down, a crash), the periodic sweep
(tasks.send_due_notifications) sends it instead. Either way the row's unique
key and the claim in sending.py make sure it goes exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from time import monotonic
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from officehours.notifications.models import Notification

if TYPE_CHECKING:
    from officehours.accounts.models import User
    from officehours.booking.models import BookingEvent, Session

logger = logging.getLogger(__name__)

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
    wake_after_commit(notifications)


def wake_after_commit(notifications: list[Notification]) -> None:
    now = timezone.now()
    if any(n.due_at <= now for n in notifications):
        transaction.on_commit(send_soon)


# Set while a wake-up is queued and not yet started (see send_soon).
WAKE_FLAG = "notifications:wake-queued"
WAKE_FLAG_SECONDS = 30

# Until when (monotonic()) a wake-up this process saw queued will still look at the
# outbox after this process's commits: half the time a woken sender lingers (see send_soon).
_wake_covered_until = 0.0


def send_soon() -> None:
    """After commit: wake the worker to send what is due. Never fails the request.

    A rush of bookings queues one wake-up, not one task each (publishing a task
    costs more than the rest of a booking's e-mail work): while a wake-up waits,
    it will find the rows committed meanwhile, because the task clears the flag
    before it reads (tasks.send_due_now). A lost wake-up lets the flag expire;
    the minute sweep sends anyway.

    Nor does every commit ask Redis: a woken sender, once nothing is due, waits
    NOTIFICATION_WAKE_LINGER_SECONDS and looks once more, so for half that time
    after this process saw a wake-up queued (its own, or the flag of one not yet
    started), that wake-up will still see this process's commits, and asking
    again would only cost the request a round trip."""
    global _wake_covered_until

    if not settings.NOTIFICATION_WAKE_COALESCE:
        # Only a cache the worker shares (Redis) can hold the flag: a process's own memory
        # would never see the worker clear it.
        queue_wake()
        return
    checked_at = monotonic()
    if checked_at < _wake_covered_until:
        return
    try:
        queued = not cache.add(WAKE_FLAG, True, timeout=WAKE_FLAG_SECONDS)
    except Exception:  # the cache is away: wake it every time
        logger.warning("No cache for the notification wake-up flag", exc_info=True)
        queued = False
    if queued or queue_wake():
        _wake_covered_until = checked_at + settings.NOTIFICATION_WAKE_LINGER_SECONDS / 2


def queue_wake() -> bool:
    # Imported here: the tasks module imports this one (through digests).
    from officehours.notifications.tasks import send_due_now

    try:
        send_due_now.apply_async(retry=False)
    except Exception:  # the broker is away: the sweep sends later
        logger.warning("Could not wake the notification sender; the sweep will send")
        wake_started()
        return False
    return True


def wake_started() -> None:
    if not settings.NOTIFICATION_WAKE_COALESCE:
        return
    try:
        cache.delete(WAKE_FLAG)
    except Exception:
        logger.warning("No cache for the notification wake-up flag", exc_info=True)


def booking_events_recorded(events: Sequence[BookingEvent]) -> None:
    """Call with the BookingEvent rows just created (with primary keys): their e-mails
    are written in one insert, and reminders made for the old time are dropped."""
    for event in events:
        if event.booking_id is not None and event.kind in ("rescheduled", "moved", "cancelled"):
            reminders_drop(event.booking_id)
    _queue(booking_event_rows(events))


def booking_event_rows(events: Iterable[BookingEvent]) -> list[Notification]:
    """The e-mails these events cause, not yet written (see booking_events_recorded;
    the booking path writes them in its own statement, then calls wake_after_commit)."""
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
                    reason=_cancel_reason(event),
                )
            )
    # Reminders are made when they fall due (reminders.py), not here.
    return rows


def _cancel_reason(event: BookingEvent) -> str:
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
