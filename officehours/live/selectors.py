"""What one person sees of a session's live hour.

Colleagues see the shared questions colleagues may see (approved, or asked ahead), each
without who asked; their own, whatever their state (a hidden one with its reason); advisers
see them all. Open questions come by votes ("me too"), then by age; then the answered ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from officehours import permissions
from officehours.accounts.models import User
from officehours.booking.models import Session
from officehours.live import hour
from officehours.questions.models import MeToo, Question

# A page (and a poll) shows at most this many of an hour's open questions, and as many
# answered and set aside; the API lists up to READ_AT_MOST of them all.
MAX_QUESTIONS = 200
READ_AT_MOST = 1000
PRESENTER_NEXT = 5


@dataclass
class LiveQuestion:
    question: Question
    state: str
    mine: bool
    voted: bool

    @property
    def id(self) -> int:
        return self.question.pk

    @property
    def votes(self) -> int:
        return self.question.me_too_count


@dataclass
class LiveHour:
    session: Session
    state: str
    questions: list[LiveQuestion] = field(default_factory=list)
    # The question answered now, if this person may see it.
    now_answering: LiveQuestion | None = None
    # Something is answered now that this person may not see (a private question).
    answering_unseen: bool = False

    @cached_property
    def open(self) -> list[LiveQuestion]:
        states = (hour.OPEN, hour.PENDING, hour.ANSWERING)
        return [q for q in self.questions if q.state in states][:MAX_QUESTIONS]

    @cached_property
    def answered(self) -> list[LiveQuestion]:
        return [q for q in self.questions if q.state == hour.ANSWERED][:MAX_QUESTIONS]

    @cached_property
    def set_aside(self) -> list[LiveQuestion]:
        states = (hour.HIDDEN, hour.DECLINED)
        return [q for q in self.questions if q.state in states][:MAX_QUESTIONS]

    @property
    def token(self) -> str:
        """What a poll compares: any change, or the hour opening or closing."""
        return f"{self.session.live_version}.{self.state}"


def hour_questions(session: Session) -> QuerySet[Question]:
    """Asked live in this hour, or brought to one of its bookings; never a withdrawn or
    merged one (the question kept shows instead)."""
    return Question.objects.filter(Q(live_session=session) | Q(booking__session=session)).exclude(
        state__in=(Question.WITHDRAWN, Question.MERGED)
    )


def seen_by_colleagues() -> Q:
    return Q(
        shared=True,
        live_status__in=Question.LIVE_SEEN,
        state__in=(Question.SUBMITTED, Question.ANSWERED),
    )


def live_hour(session: Session, viewer: User | None, *, now=None) -> LiveHour:
    """The hour as `viewer` sees it; None as viewer: as the presenter view shows it to
    a room (what every colleague may see, and nobody's own)."""
    now = now or timezone.now()
    adviser = viewer is not None and permissions.is_adviser(viewer)
    questions = hour_questions(session)
    if not adviser:
        mine = Q(author=viewer) if viewer is not None else Q(pk__in=[])
        questions = questions.filter(seen_by_colleagues() | mine)
    if viewer is not None:
        questions = questions.annotate(
            voted=Exists(MeToo.objects.filter(question=OuterRef("pk"), user=viewer))
        )
    rows = list(questions.order_by("-me_too_count", "created_at", "id")[:READ_AT_MOST])
    viewer_id = viewer.pk if viewer is not None else None
    listed = [
        LiveQuestion(
            question=q,
            state=hour.question_state(q, session),
            mine=q.author_id is not None and q.author_id == viewer_id,
            voted=bool(getattr(q, "voted", False)),
        )
        for q in rows
    ]
    answering = next((q for q in listed if q.state == hour.ANSWERING), None)
    return LiveHour(
        session=session,
        state=hour.hour_state(session, now),
        questions=listed,
        now_answering=answering,
        answering_unseen=answering is None and session.now_answering_id is not None,
    )


def presenter_view(session: Session) -> tuple[LiveHour, list[LiveQuestion]]:
    """The hour for a projector: the question answered now and the next PRESENTER_NEXT,
    only what every colleague may see, no names."""
    seen = live_hour(session, None)
    waiting = [q for q in seen.open if q.state == hour.OPEN][:PRESENTER_NEXT]
    return seen, waiting


def live_now(now=None) -> list[Session]:
    """The sessions whose live hour is open now (for the start page)."""
    now = now or timezone.now()
    return list(
        Session.objects.filter(
            status=Session.SCHEDULED,
            series__is_active=True,
            starts_at__lte=now + timedelta(minutes=hour.LIVE_OPENS_MINUTES),
            ends_at__gt=now,
        )
        .select_related("series")
        .order_by("starts_at", "id")
    )
