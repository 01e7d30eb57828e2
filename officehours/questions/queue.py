"""Reads for the advisers' question workspace: the filtered queue and one question's detail.

Every function returns querysets with what the pages show already joined, so the number of
queries does not grow with the number of questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet

from officehours.booking.agenda import adviser_users
from officehours.questions.models import InternalNote, MeToo, Question, StateChange, Topic

if TYPE_CHECKING:
    from officehours.accounts.models import User

SORT_AGE = "age"
SORT_NEWEST = "newest"
SORT_ME_TOO = "me_too"
SORT_SESSION = "session"
SORTS = (SORT_AGE, SORT_NEWEST, SORT_ME_TOO, SORT_SESSION)
DEFAULT_SORT = SORT_AGE

ALL_STATES = "all"
DEFAULT_STATE = Question.SUBMITTED

ASSIGNED_UNASSIGNED = "unassigned"
ASSIGNED_MINE = "mine"

_ORDERINGS = {
    SORT_AGE: [F("created_at").asc(), F("id").asc()],
    SORT_NEWEST: [F("created_at").desc(), F("id").desc()],
    SORT_ME_TOO: [F("me_too_count").desc(), F("created_at").asc(), F("id").asc()],
    SORT_SESSION: [
        F("booking__slot__starts_at").asc(nulls_last=True),
        F("created_at").asc(),
        F("id").asc(),
    ],
}


@dataclass(frozen=True)
class QueueFilters:
    topic: str = ""
    state: str = DEFAULT_STATE
    session: int | None = None
    language: str = ""
    assigned: str = ""
    sort: str = DEFAULT_SORT


def question_queue(filters: QueueFilters, *, viewer: User) -> QuerySet[Question]:
    """The questions matching `filters`, sorted, with topic, people and booking joined."""
    queryset = Question.objects.select_related(
        "topic", "author", "assigned_to", "booking__slot", "booking__session"
    )
    if filters.topic:
        queryset = queryset.filter(topic__slug=filters.topic)
    if filters.state and filters.state != ALL_STATES:
        queryset = queryset.filter(state=filters.state)
    if filters.session is not None:
        queryset = queryset.filter(booking__session_id=filters.session)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.assigned == ASSIGNED_UNASSIGNED:
        queryset = queryset.filter(assigned_to__isnull=True)
    elif filters.assigned == ASSIGNED_MINE:
        queryset = queryset.filter(assigned_to=viewer)
    return queryset.order_by(*_ORDERINGS.get(filters.sort, _ORDERINGS[DEFAULT_SORT]))


def topics_for_filter() -> QuerySet[Topic]:
    return Topic.objects.all()


def question_for_detail(question_id: int) -> Question:
    """Raises Question.DoesNotExist."""
    return Question.objects.select_related(
        "topic",
        "author",
        "assigned_to",
        "answered_by",
        "shared_by",
        "merged_into",
        "booking__slot",
        "booking__session__series",
    ).get(pk=question_id)


def question_for_action(question_id: int) -> Question:
    """Raises Question.DoesNotExist."""
    return Question.objects.get(pk=question_id)


def followers(question: Question) -> QuerySet[MeToo]:
    return question.me_toos.select_related("user").order_by("created_at", "id")


def state_log(question: Question) -> QuerySet[StateChange]:
    return question.state_changes.select_related("actor").order_by("created_at", "id")


def internal_notes(question: Question) -> QuerySet[InternalNote]:
    return question.notes.select_related("author").order_by("created_at", "id")


def advisers() -> QuerySet[User]:
    return adviser_users()
