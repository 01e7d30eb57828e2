"""After the hour: one e-mail to each attendee, asker and follower of the hour's
questions, saying what was answered, with links to the FAQ entries made from them.

It goes LIVE_SUMMARY_DELAY_MINUTES after the end (the minute sweep queues it; an adviser
can send it sooner from the live page, once the FAQ drafts are published), once per
session: Session.live_summary_at and each row's key make sure of that. Only hours with
an answered question send one, and each person reads only what they may see
(officehours/notifications/emails.py builds it when it goes).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from officehours.booking.models import Booking, Session
from officehours.live import hour
from officehours.live.selectors import hour_questions
from officehours.notifications.outbox import live_summary_recorded
from officehours.questions.models import MeToo, Question

# Hours that ended longer ago than this get no summary (e.g. the first run after an upgrade).
LOOK_BACK = timedelta(days=7)


def recipients(session: Session) -> list[int]:
    questions = hour_questions(session)
    people = set(
        Booking.objects.filter(
            session=session, status=Booking.ACTIVE, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    people |= set(questions.exclude(author=None).values_list("author_id", flat=True))
    people |= set(MeToo.objects.filter(question__in=questions).values_list("user_id", flat=True))
    return sorted(people)


@transaction.atomic
def live_summary_queue(session: Session) -> int | None:
    """Queues the hour's summary now; None if it was queued before."""
    claimed = Session.objects.filter(pk=session.pk, live_summary_at=None).update(
        live_summary_at=timezone.now()
    )
    if not claimed:
        return None
    people = recipients(session)
    live_summary_recorded(session=session, user_ids=people)
    return len(people)


def live_summaries_queue_due(now: datetime | None = None) -> int:
    """The minute sweep: every hour that ended LIVE_SUMMARY_DELAY_MINUTES ago or more
    (and not longer than LOOK_BACK) with a question answered during it, and no summary
    yet. A session cancelled after answers were given live gets one too: those answers
    sent no e-mail of their own."""
    now = now or timezone.now()
    ended_by = now - timedelta(minutes=settings.LIVE_SUMMARY_DELAY_MINUTES)
    # Answered during the hour's live window: the summary's content.
    answered = Question.objects.filter(
        state=Question.ANSWERED,
        answered_at__gte=OuterRef("opens"),
        answered_at__lt=OuterRef("ends_at"),
    )
    due = (
        Session.objects.annotate(opens=F("starts_at") - timedelta(minutes=hour.LIVE_OPENS_MINUTES))
        .filter(
            live_summary_at=None,
            ends_at__lte=ended_by,
            ends_at__gt=ended_by - LOOK_BACK,
        )
        .filter(
            Exists(answered.filter(live_session=OuterRef("pk")))
            | Exists(answered.filter(booking__session=OuterRef("pk")))
        )
    )
    return sum(live_summary_queue(session) or 0 for session in due)
