"""Outbox jobs. Tasks take primary keys and are safe to run twice.

Nothing in the package imports this module: it is the top of the import graph
(tasks → digests → outbox → wakeup → sending → emails → models).
"""

from celery import shared_task
from django.utils import timezone

from officehours.live.summaries import live_summaries_queue_due
from officehours.notifications import digests, reminders, sending

# The wake-up task lives beside the flag it clears (wakeup.py); named here so the
# worker, which loads each app's tasks module, knows it.
from officehours.notifications.wakeup import send_due_now

__all__ = ["queue_digests", "send_due_notifications", "send_due_now", "send_notification"]


@shared_task(ignore_result=True)
def send_notification(pk: int) -> str:
    return sending.deliver(pk)


@shared_task(ignore_result=True)
def send_due_notifications() -> int:
    """Every minute (beat): the reminders and live-hour summaries due by now, then
    whatever is due and pending (a lost wake-up, an SMTP retry)."""
    now = timezone.now()
    reminders.reminders_queue_due(now)
    live_summaries_queue_due(now)
    sending.reclaim_stale(now)
    return sending.send_due(now).count(sending.SENT)


@shared_task(ignore_result=True)
def queue_digests() -> int:
    return digests.queue_due_digests()
