"""Outbox jobs. Tasks take primary keys and are safe to run twice."""

from time import monotonic, sleep

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from officehours.notifications import digests, outbox, reminders, sending


@shared_task(ignore_result=True)
def send_notification(pk: int) -> str:
    return sending.deliver(pk)


# A wake-up sends in batches until nothing is due (each row is claimed, so wake-ups
# running side by side on several worker processes share the rows out).
WAKE_BATCH = 100
WAKE_MAX_BATCHES = 20


@shared_task(ignore_result=True)
def send_due_now() -> int:
    """Queued after a commit that wrote e-mails due now (outbox.send_soon)."""
    outbox.wake_started()  # before reading: rows committed after this wake the sender again
    started = monotonic()
    sent = 0
    for _batch in range(WAKE_MAX_BATCHES):
        pks = sending.due_ids(timezone.now(), limit=WAKE_BATCH)
        sent += sum(sending.deliver(pk) == sending.SENT for pk in pks)
        if len(pks) < WAKE_BATCH:
            # Nothing more due. Web processes that saw this wake-up queued skip asking
            # for another for a while (outbox.send_soon): look once more after that.
            linger = started + settings.NOTIFICATION_WAKE_LINGER_SECONDS - monotonic()
            if linger <= 0:
                return sent
            sleep(linger)
    outbox.queue_wake()  # still more after this many: hand over to a fresh wake-up
    return sent


@shared_task(ignore_result=True)
def send_due_notifications() -> int:
    """Every minute (beat): the reminders due by now, then whatever is due and pending."""
    now = timezone.now()
    reminders.reminders_queue_due(now)
    sending.reclaim_stale(now)
    sent = 0
    for pk in sending.due_ids(now):
        sent += sending.deliver(pk, now=now) == sending.SENT
    return sent


@shared_task(ignore_result=True)
def queue_digests() -> int:
    return digests.queue_due_digests()
