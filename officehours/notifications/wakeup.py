"""Waking the sender after a commit that wrote e-mails due now.

Both halves of the hand-shake live here: send_soon (after commit, in the web
process) and send_due_now (the task it queues, in the worker).

A rush of commits queues one wake-up, not one task each (publishing a task
costs more than the rest of a booking's e-mail work). send_soon sets WAKE_FLAG
with add(), which only one caller wins, and queues the task; while the flag is
up, later commits queue nothing. That is safe because send_due_now clears the
flag *before* it reads what is due: a commit that found the flag up came before
the clear, so before the read, and the task sends its row; a commit after the
clear finds the flag down and queues a wake-up of its own. No task sleeps or
lingers for stragglers. Nothing is lost if a wake-up is: the flag expires after
WAKE_FLAG_SECONDS, and the minute sweep (tasks.send_due_notifications) sends
every pending row.

Imports: outbox → wakeup → sending → emails. Nothing here imports outbox or
tasks, so there is no cycle to dodge (tests/test_notification_imports.py).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from officehours.notifications import sending

logger = logging.getLogger(__name__)

# Set while a wake-up is queued and not yet started.
WAKE_FLAG = "notifications:wake-queued"
WAKE_FLAG_SECONDS = 30

# A wake-up sends in batches until nothing is due (each row is claimed, so wake-ups
# running side by side on several worker processes share the rows out).
WAKE_BATCH = 100
WAKE_MAX_BATCHES = 20


def send_soon() -> None:
    """After commit: wake the worker to send what is due. Never fails the request."""
    if not settings.NOTIFICATION_WAKE_COALESCE:
        # Only a cache the worker shares (Redis) can hold the flag: a process's own memory
        # would never see the worker clear it.
        queue_wake()
        return
    try:
        queued = not cache.add(WAKE_FLAG, True, timeout=WAKE_FLAG_SECONDS)
    except Exception:  # the cache is away: wake it every time
        logger.warning("No cache for the notification wake-up flag", exc_info=True)
        queued = False
    if not queued:
        queue_wake()


def queue_wake() -> bool:
    """Queue send_due_now; False (and the flag dropped) if the broker is away."""
    try:
        send_due_now.apply_async(retry=False)
    except Exception:  # the broker is away: the sweep sends later
        logger.warning("Could not wake the notification sender; the sweep will send")
        _clear_flag()
        return False
    return True


def _clear_flag() -> None:
    if not settings.NOTIFICATION_WAKE_COALESCE:
        return
    try:
        cache.delete(WAKE_FLAG)
    except Exception:
        logger.warning("No cache for the notification wake-up flag", exc_info=True)


@shared_task(ignore_result=True)
def send_due_now() -> int:
    """Queued by send_soon: sends what is due, then stops (the sweep covers the rest)."""
    _clear_flag()  # before reading: rows committed after this wake the sender again
    sent = 0
    for _batch in range(WAKE_MAX_BATCHES):
        outcomes = sending.send_due(timezone.now(), limit=WAKE_BATCH)
        sent += outcomes.count(sending.SENT)
        if len(outcomes) < WAKE_BATCH:
            return sent
    queue_wake()  # still more after this many: hand over to a fresh wake-up
    return sent
