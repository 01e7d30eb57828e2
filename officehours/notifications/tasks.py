"""Outbox jobs. Tasks take primary keys and are safe to run twice."""

from celery import shared_task
from django.utils import timezone

from officehours.notifications import digests, outbox, sending


@shared_task(ignore_result=True)
def send_notification(pk: int) -> str:
    return sending.deliver(pk)


@shared_task(ignore_result=True)
def send_due_now() -> int:
    """Queued after a commit that wrote e-mails due now (outbox.send_soon)."""
    outbox.wake_started()  # before reading: rows committed after this wake the sender again
    pks = sending.due_ids(timezone.now())
    if len(pks) == 1:
        return int(sending.deliver(pks[0]) == sending.SENT)
    for pk in pks:  # several: each its own task, so the worker's processes share them
        send_notification.apply_async((pk,), retry=False)
    return 0


@shared_task(ignore_result=True)
def send_due_notifications() -> int:
    """Every minute (beat): whatever is due and still pending, reminders included."""
    now = timezone.now()
    sending.reclaim_stale(now)
    sent = 0
    for pk in sending.due_ids(now):
        sent += sending.deliver(pk, now=now) == sending.SENT
    return sent


@shared_task(ignore_result=True)
def queue_digests() -> int:
    return digests.queue_due_digests()
