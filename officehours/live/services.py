"""The live hour's writes: asking on the spot, approving, hiding, "now answering", and
the FAQ drafts of what was answered. Answers, merges and "me too" are the question
services' own (officehours/questions/services.py), which tell the hour's viewers too.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from faq.models import Entry
from faq.services import FaqRefused, entry_from_question
from officehours.accounts.models import User
from officehours.booking.models import Session
from officehours.live import hour
from officehours.live.selectors import hour_questions
from officehours.live.versions import live_hour_changed, live_questions_changed
from officehours.questions.models import Question
from officehours.questions.services import question_create
from officehours.refusals import Refused

MESSAGES = {
    "not_live": _("The live hour is not open: it opens 15 minutes before the session starts."),
    "session_cancelled": _("This session is cancelled."),
    "not_in_an_hour": _("This question does not belong to a session's live hour."),
    "hidden": _("This question is hidden. Approve it first."),
    "not_open": _("This question is already closed."),
    "empty": _("Write something first."),
    "gone": _("That question is no longer in this hour's list."),
}


class LiveRefused(Refused):
    messages = MESSAGES


def live_question_ask(
    *, session: Session, author: User, title: str, body: str = "", shared: bool = True
) -> Question:
    """A question asked during the hour. It waits for an adviser's approval when the
    series says so (the default); its author sees it at once either way."""
    if session.status != Session.SCHEDULED:
        raise LiveRefused("session_cancelled")
    if not hour.is_open_for_questions(session):
        raise LiveRefused("not_live")
    approval = session.series.live_approval
    return question_create(
        author=author,
        title=title,
        body=body,
        language=author.language or None,
        shared=shared,
        live_session=session,
        live_status=Question.LIVE_PENDING if approval else Question.LIVE_APPROVED,
    )


def _hour_of(question: Question) -> Session:
    """The question's hour, locked."""
    session_id = hour.hour_id(question)
    if session_id is None:
        raise LiveRefused("not_in_an_hour")
    return Session.objects.select_for_update().get(pk=session_id)


def _locked(question: Question) -> Question:
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("booking")
        .get(pk=question.pk)
    )


@transaction.atomic
def live_question_approve(*, question: Question) -> Question:
    """Colleagues see it now (a hidden one comes back too)."""
    question = _locked(question)
    _hour_of(question)
    if question.live_status != Question.LIVE_APPROVED:
        question.live_status = Question.LIVE_APPROVED
        question.hidden_reason = ""
        question.save(update_fields=["live_status", "hidden_reason", "updated_at"])
        live_questions_changed([question.pk])
    return question


@transaction.atomic
def live_question_hide(*, question: Question, reason: str) -> Question:
    """Out of colleagues' sight, with a reason that only its author sees."""
    if not reason.strip():
        raise LiveRefused("empty", status=422)
    question = _locked(question)
    _hour_of(question)
    question.live_status = Question.LIVE_HIDDEN
    question.hidden_reason = reason.strip()
    question.save(update_fields=["live_status", "hidden_reason", "updated_at"])
    live_questions_changed([question.pk])
    return question


@transaction.atomic
def live_now_answering(*, question: Question) -> Session:
    """The advisers take this question up now (approving it if it was waiting)."""
    question = _locked(question)
    session = _hour_of(question)
    if session.status != Session.SCHEDULED:
        raise LiveRefused("session_cancelled")
    if hour.hour_state(session) != hour.LIVE:
        raise LiveRefused("not_live")
    if question.live_status == Question.LIVE_HIDDEN:
        raise LiveRefused("hidden")
    if question.state != Question.SUBMITTED:
        raise LiveRefused("not_open")
    if question.live_status == Question.LIVE_PENDING:
        question.live_status = Question.LIVE_APPROVED
        question.save(update_fields=["live_status", "updated_at"])
    session.now_answering = question
    session.save(update_fields=["now_answering", "updated_at"])
    live_hour_changed(session.pk)
    return session


@transaction.atomic
def live_now_answering_clear(*, question: Question) -> Session:
    question = _locked(question)
    session = _hour_of(question)
    if session.now_answering_id == question.pk:
        session.now_answering = None
        session.save(update_fields=["now_answering", "updated_at"])
        live_hour_changed(session.pk)
    return session


class DraftsMade(NamedTuple):
    entries: list[Entry]
    # Answered questions left out, each with why (a private one, or the FAQ's refusal).
    skipped: list[tuple[Question, str]]


def live_faq_drafts(*, session: Session, adviser: User) -> DraftsMade:
    """An FAQ draft of each answered question of the hour that colleagues may see, from
    the answer noted live (never who asked). Asking again returns the drafts already
    made. A private or hidden one is left for the adviser to judge on its own page; one
    the FAQ refuses (its question is already an entry) is listed with the reason."""
    answered = hour_questions(session).filter(state=Question.ANSWERED).order_by("created_at")
    entries, skipped = [], []
    for question in answered:
        if not question.shared or question.live_status not in Question.LIVE_SEEN:
            skipped.append((question, str(_("private: only its asker and the advisers see it"))))
            continue
        try:
            with transaction.atomic():
                entries.append(entry_from_question(question=question, adviser=adviser))
        except FaqRefused as refusal:
            skipped.append((question, refusal.message))
    return DraftsMade(entries, skipped)
