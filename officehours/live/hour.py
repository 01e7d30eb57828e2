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


def hour_id(question: Question) -> int | None:
    """The id of the session whose hour the question belongs to: asked in it live, or
    brought to one of its bookings."""
    booking = question.booking if question.booking_id else None
    return question.live_session_id or (booking.session_id if booking else None)


def hour_of(question: Question) -> Session | None:
    session_id = hour_id(question)
    if session_id is None:
        return None
    return Session.objects.select_related("series").filter(pk=session_id).first()


def needs_approval(session: Session | None, now: datetime | None = None) -> bool:
    """Whether what arrives in this session's hour now waits for an adviser first."""
    return (
        session is not None
        and session.status == Session.SCHEDULED
        and session.series.live_approval
        and hour_state(session, now) == LIVE
    )


def answered_in_its_hour(question: Question, now: datetime | None = None) -> bool:
    """Whether the question is answered while its hour is live: its asker and followers
    then hear about it in the hour's summary (officehours/live/summaries.py), not once
    for every answer given in the room."""
    session = hour_of(question)
    return (
        session is not None
        and session.status == Session.SCHEDULED
        and hour_state(session, now) == LIVE
    )


def in_the_hour(session: Session, moment: datetime | None) -> bool:
    """Whether `moment` (an answer's time) falls within the hour's live window."""
    return moment is not None and opens_at(session) <= moment < session.ends_at


def told_in_summary(question: Question) -> bool:
    """Whether the hour's summary, not yet sent, will tell of this answer (and link its
    FAQ entry): then a separate e-mail about it would say the same twice."""
    session = hour_of(question)
    return (
        session is not None
        and session.live_summary_at is None
        and in_the_hour(session, question.answered_at)
    )
