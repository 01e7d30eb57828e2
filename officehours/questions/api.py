"""API: questions, me-too, and (for advisers) answer, decline, merge; topics."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from officehours import limits, permissions
from officehours.apiauth import ADVISER_AUTH, ApiRequest
from officehours.apierrors import ApiError
from officehours.apiinput import check_text
from officehours.booking.models import Booking
from officehours.markdown import MAX_INPUT_LINES, render
from officehours.questions import services
from officehours.questions.models import BODY_MAX, TITLE_MAX, MeToo, Question, Topic
from officehours.text import one_line

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from officehours.accounts.models import User

router = Router(tags=["questions"])


def _no_nul(value: str) -> str:
    check_text(value)
    if value.count("\n") >= MAX_INPUT_LINES:
        # The renderer stops there; better to say so than to cut the text silently.
        raise ValueError(f"must have fewer than {MAX_INPUT_LINES} lines")
    return value


class TopicOut(Schema):
    slug: str
    name: str


class QuestionIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX, pattern=r"\S")
    body: str = Field("", max_length=BODY_MAX)
    topic: str | None = Field(None, description="A topic's slug (GET /api/v1/topics)")
    language: str | None = Field(None, pattern="^(sv|en)$")
    booking_id: Annotated[int, limits.ID] | None = Field(None, strict=True)
    shared: bool = False

    @field_validator("title", "body")
    @classmethod
    def _text(cls, value: str) -> str:
        return _no_nul(value)

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return one_line(value)  # it is the subject of the e-mails about it


class AnswerIn(Schema):
    body: str = Field(min_length=1, max_length=BODY_MAX, pattern=r"\S")

    @field_validator("body")
    @classmethod
    def _text(cls, value: str) -> str:
        return _no_nul(value)


class DeclineIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")

    @field_validator("reason")
    @classmethod
    def _text(cls, value: str) -> str:
        return _no_nul(value)


class MergeIn(Schema):
    into_id: Annotated[int, limits.ID] = Field(strict=True)
    share_kept: bool = Field(
        False,
        strict=True,
        description=(
            "Share the kept question with colleagues (never with its asker's name). "
            "Needed when it is private and anyone else would move over to it: a merge "
            "never lets others read a private question otherwise (422 merge_target_private)."
        ),
    )


class BringIn(Schema):
    booking_id: Annotated[int, limits.ID] = Field(strict=True)


class QuestionOut(Schema):
    id: int
    title: str
    body: str
    body_html: str
    topic: TopicOut | None
    language: str
    state: str
    shared: bool
    mine: bool
    me_too: bool
    me_too_count: int
    answer: str
    answer_html: str
    decline_reason: str
    merged_into_id: int | None
    booking_id: int | None = Field(None, description="Only for the author and advisers")
    author_name: str | None = Field(None, description="Only for the author and advisers")
    author_email: str | None = Field(None, description="Only for the author and advisers")
    created_at: datetime


class MeTooOut(Schema):
    me_too: bool
    me_too_count: int


def _queryset(user: User) -> QuerySet[Question]:
    return Question.objects.select_related("topic", "author").annotate(
        caller_me_too=Exists(MeToo.objects.filter(question=OuterRef("pk"), user=user.pk))
    )


def _visible(request: ApiRequest, question_id: int) -> Question:
    question = _queryset(request.user).filter(pk=question_id).first()
    if question is None or not permissions.can_view_question(request.user, question):
        raise Http404
    return question


def _out(request: ApiRequest, question: Question) -> dict[str, object]:
    user = request.user
    sees_author = permissions.sees_question_author(user, question)
    author = question.author if sees_author else None
    topic = question.topic
    return {
        "id": question.pk,
        "title": question.title,
        "body": question.body,
        "body_html": str(render(question.body)),
        "topic": {"slug": topic.slug, "name": topic.name} if topic else None,
        "language": question.language,
        "state": question.state,
        "shared": question.shared,
        "mine": question.author_id == user.pk,
        "me_too": bool(getattr(question, "caller_me_too", False)),
        "me_too_count": question.me_too_count,
        "answer": question.answer,
        "answer_html": str(render(question.answer)),
        # Meant for the asker; it may name them.
        "decline_reason": question.decline_reason if sees_author else "",
        "merged_into_id": question.merged_into_id,
        "booking_id": question.booking_id if sees_author else None,
        "author_name": (author.name if author else None),
        "author_email": (author.email if author else None),
        "created_at": question.created_at,
    }


@router.get("/topics", response=list[TopicOut], summary="Topics questions can have")
def list_topics(request: ApiRequest) -> list[dict[str, object]]:
    return [{"slug": t.slug, "name": t.name} for t in Topic.objects.filter(is_active=True)]


@router.post("/questions", response={201: QuestionOut}, summary="Ask a question")
def create_question(request: ApiRequest, payload: QuestionIn) -> Status[dict[str, object]]:
    topic = None
    if payload.topic:
        topic = Topic.objects.filter(slug=payload.topic, is_active=True).first()
        if topic is None:
            raise ApiError("unknown_topic", str(services.MESSAGES["unknown_topic"]), 422)
    booking = None
    if payload.booking_id is not None:
        booking = (
            Booking.objects.select_related("slot")
            .filter(pk=payload.booking_id, user=request.user)
            .first()
        )
        if booking is None:
            raise ApiError("booking_not_usable", str(services.MESSAGES["booking_not_usable"]), 422)
    question = services.question_create(
        author=request.user,
        title=payload.title,
        body=payload.body,
        topic=topic,
        language=payload.language,
        booking=booking,
        shared=payload.shared,
    )
    return Status(201, _out(request, _visible(request, question.pk)))


@router.get("/questions", response=list[QuestionOut], summary="My questions")
def list_questions(request: ApiRequest) -> list[dict[str, object]]:
    questions = _queryset(request.user).filter(author=request.user).order_by("-created_at", "-id")
    return [_out(request, q) for q in questions]


@router.get("/questions/{question_id}", response=QuestionOut, summary="One question")
def get_question(request: ApiRequest, question_id: int) -> dict[str, object]:
    return _out(request, _visible(request, question_id))


@router.post("/questions/{question_id}/me-too", response=MeTooOut, summary="Me too")
def add_me_too(request: ApiRequest, question_id: int) -> dict[str, object]:
    question = _visible(request, question_id)
    count = services.me_too_add(question=question, user=request.user)
    return {"me_too": True, "me_too_count": count}


@router.delete("/questions/{question_id}/me-too", response=MeTooOut, summary="Not me too")
def remove_me_too(request: ApiRequest, question_id: int) -> dict[str, object]:
    question = _visible(request, question_id)
    count = services.me_too_remove(question=question, user=request.user)
    return {"me_too": False, "me_too_count": count}


@router.post(
    "/questions/{question_id}/booking",
    response=QuestionOut,
    summary="Bring my open question to one of my upcoming bookings",
)
def bring_question(request: ApiRequest, question_id: int, payload: BringIn) -> dict[str, object]:
    question = _visible(request, question_id)
    booking = Booking.objects.filter(pk=payload.booking_id, user=request.user).first()
    if question.author_id != request.user.pk or booking is None:
        raise Http404
    services.question_bring_to_booking(question=question, booking=booking, actor=request.user)
    return _out(request, _visible(request, question_id))


def _adviser_question(question_id: int) -> Question:
    return get_object_or_404(Question, pk=question_id)


@router.post(
    "/questions/{question_id}/answer",
    response=QuestionOut,
    summary="Answer (advisers)",
    auth=ADVISER_AUTH,
)
def answer_question(request: ApiRequest, question_id: int, payload: AnswerIn) -> dict[str, object]:
    services.question_answer(
        question=_adviser_question(question_id), adviser=request.user, body=payload.body
    )
    return _out(request, _visible(request, question_id))


@router.post(
    "/questions/{question_id}/decline",
    response=QuestionOut,
    summary="Decline with a reason (advisers)",
    auth=ADVISER_AUTH,
)
def decline_question(
    request: ApiRequest, question_id: int, payload: DeclineIn
) -> dict[str, object]:
    services.question_decline(
        question=_adviser_question(question_id), adviser=request.user, reason=payload.reason
    )
    return _out(request, _visible(request, question_id))


@router.post(
    "/questions/{question_id}/merge",
    response=QuestionOut,
    summary="Merge into another question (advisers)",
    auth=ADVISER_AUTH,
)
def merge_question(request: ApiRequest, question_id: int, payload: MergeIn) -> dict[str, object]:
    into = Question.objects.filter(pk=payload.into_id).first()
    if into is None:
        raise ApiError("not_found", _("Not found."), status=404)
    try:
        services.question_merge(
            question=_adviser_question(question_id),
            into=into,
            adviser=request.user,
            share_kept=payload.share_kept,
        )
    except Question.DoesNotExist:  # deleted meanwhile (an account deletion)
        raise Http404 from None
    return _out(request, _visible(request, question_id))
