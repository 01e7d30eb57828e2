"""The advisers' digest: the day before a session, who comes and what they ask."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from officehours.booking.models import Session
from officehours.notifications import outbox

DIGEST_LEAD = timedelta(hours=24)


def queue_due_digests(now: datetime | None = None) -> int:
    """For each session starting within the next 24 hours, one digest per adviser who
    holds it (once: the outbox key includes the session's start)."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        status=Session.SCHEDULED, starts_at__gt=now, starts_at__lte=now + DIGEST_LEAD
    ).prefetch_related("series__advisers")
    queued = 0
    for session in sessions:
        for adviser in session.series.advisers.all():
            if adviser.is_active:
                outbox.digest_queued(session=session, adviser=adviser)
                queued += 1
    return queued
