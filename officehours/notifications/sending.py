"""Sending one outbox row: claim it, build the e-mail, send, record the outcome.

The claim is one conditional UPDATE (pending → sending), which PostgreSQL runs
under the row's lock and SQLite under its write lock: of two workers handed the
same row (a duplicated task, the sweep racing the after-commit task) exactly
one wins; the other does nothing. A row left "sending" by a worker that died
before finishing is returned to pending by the sweep after
NOTIFICATION_STALE_SECONDS.

A row that cannot be sent never holds up the others: a mail server or network
failure (SMTPException, OSError) is retried with back-off; anything else raised
while building or sending it (a header Django refuses, a date the calendar
cannot write) will not change by trying again, so the row is failed at once,
with the error for the advisers' delivery page, and the batch goes on.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from officehours.notifications.emails import build_message
from officehours.notifications.models import Notification

logger = logging.getLogger(__name__)

SENT = "sent"
SKIPPED = "skipped"
RETRY = "retry"
FAILED = "failed"
NOT_CLAIMED = "not claimed"


def _claim(pk: int, now: datetime) -> bool:
    return bool(
        Notification.objects.filter(pk=pk, status=Notification.PENDING, due_at__lte=now).update(
            status=Notification.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _finish(pk: int, **fields: Any) -> None:
    # Only the claim's holder moves the row on from "sending".
    Notification.objects.filter(pk=pk, status=Notification.SENDING).update(**fields)


def retry_delay(attempts: int) -> timedelta:
    base = settings.NOTIFICATION_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def deliver(pk: int, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if not _claim(pk, now):
        return NOT_CLAIMED
    notification = Notification.objects.select_related("recipient").get(pk=pk)
    try:
        message = build_message(notification, now=now)
        if message is None:
            _finish(pk, status=Notification.SKIPPED)
            return SKIPPED
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        text = _describe(error)
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            logger.error("Giving up on notification %s: %s", pk, text)
            _finish(pk, status=Notification.FAILED, last_error=text)
            return FAILED
        logger.warning("Notification %s failed (attempt %s): %s", pk, notification.attempts, text)
        _finish(
            pk,
            status=Notification.PENDING,
            due_at=now + retry_delay(notification.attempts),
            last_error=text,
        )
        return RETRY
    except Exception as error:
        logger.exception("Could not send notification %s", pk)
        _finish(pk, status=Notification.FAILED, last_error=_describe(error))
        return FAILED
    _finish(pk, status=Notification.SENT, sent_at=timezone.now(), last_error="")
    return SENT


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def send_due(now: datetime | None = None, *, limit: int = 500) -> list[str]:
    """Delivers the rows due by `now`, oldest first, at most `limit`: each one's outcome."""
    now = now or timezone.now()
    return [deliver(pk, now=now) for pk in due_ids(now, limit=limit)]


def reclaim_stale(now: datetime | None = None) -> int:
    """Rows a dead worker left half-done go back in the queue."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_STALE_SECONDS)
    return Notification.objects.filter(status=Notification.SENDING, claimed_at__lt=stale).update(
        status=Notification.PENDING
    )


def due_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(status=Notification.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def retry_now(notification: Notification) -> bool:
    """An adviser asks to try a failed e-mail again."""
    return bool(
        Notification.objects.filter(pk=notification.pk, status=Notification.FAILED).update(
            status=Notification.PENDING, attempts=0, due_at=timezone.now()
        )
    )
