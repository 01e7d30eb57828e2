"""Reads of one person's questions and where they can go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from officehours.booking.models import Booking
from officehours.questions.models import Question

if TYPE_CHECKING:
    from officehours.accounts.models import User

START_PAGE_QUESTIONS = 5


def open_questions(*, user: User, limit: int = START_PAGE_QUESTIONS) -> list[Question]:
    """The person's questions still waiting for an answer, newest first."""
    return list(
        Question.objects.filter(author=user, state__in=Question.OPEN_STATES).order_by(
            "-created_at", "-id"
        )[:limit]
    )


def booking_questions(*, booking: Booking) -> list[Question]:
    """What the booker asks at this booking (withdrawn questions left out)."""
    return list(
        Question.objects.filter(booking=booking, author_id=booking.user_id)
        .exclude(state=Question.WITHDRAWN)
        .order_by("created_at", "id")
    )


def unscheduled(*, author: User) -> QuerySet[Question]:
    """The author's open questions that no booking holds, left by a cancelled booking or
    written on a waitlist: they can be brought to a booking."""
    return Question.objects.filter(
        author=author, booking=None, state__in=Question.OPEN_STATES
    ).exclude(unscheduled_from=None, waitlist_entry=None)


def questions_to_bring(*, author: User) -> list[Question]:
    return list(unscheduled(author=author).order_by("created_at", "pk"))


def bookings_to_bring_to(*, author: User) -> list[Booking]:
    """The author's active bookings that have not started: where a question can go."""
    return list(
        Booking.objects.filter(
            user=author, status=Booking.ACTIVE, slot__starts_at__gt=timezone.now()
        )
        .select_related("slot", "session__series")
        .order_by("slot__starts_at", "pk")
    )
