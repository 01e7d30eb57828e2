"""Telling the live hours' viewers that something changed (Session.live_version).

Every write that changes what a live page shows calls live_questions_changed (or
live_hour_changed): the version rises in the same transaction, and each viewer's poll,
which asks "anything since version N?", reads it by primary key. A question belongs
to the hour it was asked in live, or to the session of the booking it was brought to.

Imported by the question services: it imports models only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q

from officehours.booking.models import Booking, Session
from officehours.questions.models import Question


def live_hour_changed(session_id: int) -> None:
    Session.objects.filter(pk=session_id).update(live_version=F("live_version") + 1)


def live_questions_changed(question_ids: Iterable[int]) -> None:
    """The hours of these questions show something new. One that is no longer open (or
    was hidden) stops being the one answered now."""
    ids = [pk for pk in question_ids if pk]
    if not ids:
        return
    no_longer_open = Question.objects.filter(pk__in=ids).filter(
        ~Q(state=Question.SUBMITTED) | Q(live_status=Question.LIVE_HIDDEN)
    )
    Session.objects.filter(now_answering__in=no_longer_open).update(now_answering=None)
    hours = Q(pk__in=Question.objects.filter(pk__in=ids).values("live_session")) | Q(
        pk__in=Booking.objects.filter(questions__in=ids).values("session")
    )
    Session.objects.filter(hours).update(live_version=F("live_version") + 1)
