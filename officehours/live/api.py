"""The live hour in the API: its state for the caller, asking during it, and the
advisers' "now answering", approval and hiding. Votes are POST /questions/{id}/me-too
and answers POST /questions/{id}/answer, as for any question."""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from officehours import permissions
from officehours.apiauth import ADVISER_AUTH, ApiRequest
from officehours.apiinput import check_text
from officehours.booking.models import Session
from officehours.live import hour, services
from officehours.live.selectors import LiveHour, LiveQuestion, live_hour
from officehours.questions.models import BODY_MAX, TITLE_MAX, Question
from officehours.text import one_line

router = Router(tags=["live hour"])

HourState = Literal["upcoming", "live", "ended"]
QuestionState = Literal["pending", "open", "answering", "answered", "declined", "hidden"]


class LiveQuestionOut(Schema):
    id: int
    title: str
    votes: int = Field(description="How many colleagues said “me too”")
    state: QuestionState
    mine: bool
    voted: bool = Field(description="Whether the caller said “me too”")
    hidden_reason: str | None = Field(
        None, description="Why an adviser hid it: only for its author and advisers"
    )


class LiveOut(Schema):
    session_id: int
    state: HourState = Field(
        description="upcoming until 15 minutes before the start, live until the end, then ended"
    )
    now_answering: int | None = Field(
        description="The question answered now, if the caller may see it"
    )
    questions: list[LiveQuestionOut]


class LiveQuestionIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX, pattern=r"\S")
    body: str = Field("", max_length=BODY_MAX)
    shared: bool = Field(
        True,
        strict=True,
        description="Colleagues see it (never who asked) and can say “me too”; "
        "false: only you and the advisers",
    )

    @field_validator("title", "body")
    @classmethod
    def _text(cls, value: str) -> str:
        return check_text(value)

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return one_line(value)


class HideIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")

    @field_validator("reason")
    @classmethod
    def _text(cls, value: str) -> str:
        return check_text(value)


def _question_out(item: LiveQuestion, *, sees_reason: bool) -> dict[str, object]:
    return {
        "id": item.id,
        "title": item.question.title,
        "votes": item.votes,
        "state": item.state,
        "mine": item.mine,
        "voted": item.voted,
        "hidden_reason": (
            item.question.hidden_reason if sees_reason and item.state == hour.HIDDEN else None
        ),
    }


def _out(request: ApiRequest, seen: LiveHour) -> dict[str, object]:
    adviser = permissions.is_adviser(request.user)
    return {
        "session_id": seen.session.pk,
        "state": seen.state,
        "now_answering": seen.now_answering.id if seen.now_answering else None,
        "questions": [_question_out(q, sees_reason=adviser or q.mine) for q in seen.questions],
    }


def _session(session_id: int) -> Session:
    return get_object_or_404(Session.objects.select_related("series"), pk=session_id)


@router.get("/sessions/{session_id}/live", response=LiveOut, summary="A session's live hour")
def get_live(request: ApiRequest, session_id: int) -> dict[str, object]:
    return _out(request, live_hour(_session(session_id), request.user))


@router.post(
    "/sessions/{session_id}/live/questions",
    response={201: LiveQuestionOut},
    summary="Ask during the live hour",
    description=(
        "From 15 minutes before the start until the end (else 409 not_live). The question "
        "waits for an adviser's approval when the series asks for it (state pending): only "
        "you and the advisers see it until then."
    ),
)
def ask_live(
    request: ApiRequest, session_id: int, payload: LiveQuestionIn
) -> Status[dict[str, object]]:
    session = _session(session_id)
    question = services.live_question_ask(
        session=session,
        author=request.user,
        title=payload.title,
        body=payload.body,
        shared=payload.shared,
    )
    state = hour.question_state(question, session)
    item = LiveQuestion(question=question, state=state, mine=True, voted=False)
    return Status(201, _question_out(item, sees_reason=True))


def _hour_question(question_id: int) -> Question:
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise Http404
    return question


def _hour_out(request: ApiRequest, session_id: int | None) -> dict[str, object]:
    """The hour as it is after the change (read again: the change raised its version)."""
    return _out(request, live_hour(_session(session_id or 0), request.user))


@router.post(
    "/questions/{question_id}/now-answering",
    response=LiveOut,
    summary="Mark as the question answered now (advisers)",
    auth=ADVISER_AUTH,
)
def now_answering(request: ApiRequest, question_id: int) -> dict[str, object]:
    session = services.live_now_answering(question=_hour_question(question_id))
    return _hour_out(request, session.pk)


@router.delete(
    "/questions/{question_id}/now-answering",
    response=LiveOut,
    summary="No longer the question answered now (advisers)",
    auth=ADVISER_AUTH,
)
def stop_answering(request: ApiRequest, question_id: int) -> dict[str, object]:
    session = services.live_now_answering_clear(question=_hour_question(question_id))
    return _hour_out(request, session.pk)


@router.post(
    "/questions/{question_id}/approve",
    response=LiveOut,
    summary="Let colleagues see a live question (advisers)",
    auth=ADVISER_AUTH,
)
def approve(request: ApiRequest, question_id: int) -> dict[str, object]:
    question = services.live_question_approve(question=_hour_question(question_id))
    return _hour_out(request, hour.hour_id(question))


@router.post(
    "/questions/{question_id}/hide",
    response=LiveOut,
    summary="Hide a live question, with a reason only its asker sees (advisers)",
    auth=ADVISER_AUTH,
)
def hide(request: ApiRequest, question_id: int, payload: HideIn) -> dict[str, object]:
    question = services.live_question_hide(
        question=_hour_question(question_id), reason=payload.reason
    )
    return _hour_out(request, hour.hour_id(question))
