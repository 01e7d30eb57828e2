"""When a session's live hour is open, and what state each of its questions is in.

The live page opens LIVE_OPENS_MINUTES before the session starts and closes when it
ends: in between, signed-in employees ask, say "me too" and follow what is answered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from officehours.booking.models import Session
from officehours.questions.models import Question

LIVE_OPENS_MINUTES = 15

UPCOMING = "upcoming"
LIVE = "live"
ENDED = "ended"

# A question's state in the hour, as the page and the API show it.
PENDING = "pending"  # waiting for an adviser's approval
OPEN = "open"
ANSWERING = "answering"  # the advisers are answering it now
ANSWERED = "answered"
DECLINED = "declined"
HIDDEN = "hidden"


def opens_at(session: Session) -> datetime:
    return session.starts_at - timedelta(minutes=LIVE_OPENS_MINUTES)


def hour_state(session: Session, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now < opens_at(session):
        return UPCOMING
    if now < session.ends_at:
        return LIVE
    return ENDED


def is_open_for_questions(session: Session, now: datetime | None = None) -> bool:
    return session.status == Session.SCHEDULED and hour_state(session, now) == LIVE


def question_state(question: Question, session: Session) -> str:
    if question.live_status == Question.LIVE_HIDDEN:
        return HIDDEN
    if question.live_status == Question.LIVE_PENDING:
        return PENDING
    if question.state == Question.ANSWERED:
        return ANSWERED
    if question.state == Question.DECLINED:
        return DECLINED
    if session.now_answering_id == question.pk:
        return ANSWERING
    return OPEN


def answered_in_its_hour(question: Question, now: datetime | None = None) -> bool:
    """Whether the question is answered while its hour is live: its asker and followers
    then hear about it in the hour's summary (officehours/live/summaries.py), not once
    for every answer given in the room."""
    booking = question.booking if question.booking_id else None
    session_id = question.live_session_id or (booking.session_id if booking else None)
    if session_id is None:
        return False
    session = Session.objects.filter(pk=session_id, status=Session.SCHEDULED).first()
    return session is not None and hour_state(session, now) == LIVE
