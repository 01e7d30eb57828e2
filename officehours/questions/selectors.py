"""Reads of one person's questions for pages outside the questions app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from officehours.questions.models import Question

if TYPE_CHECKING:
    from officehours.accounts.models import User
    from officehours.booking.models import Booking

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
