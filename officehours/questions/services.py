"""Asking, following and answering questions. Every state change goes through here.

States: submitted → answered | declined | merged, or withdrawn by the author.
Only a submitted question can change state, and every change is logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from officehours.booking.models import Booking
from officehours.live.hour import answered_in_its_hour, hour_of, needs_approval, told_in_summary
from officehours.live.versions import live_questions_changed
from officehours.markdown import MAX_INPUT_LINES
from officehours.notifications.outbox import question_events_recorded
from officehours.questions import selectors
from officehours.questions.models import (
    InternalNote,
    MeToo,
    Question,
    QuestionEvent,
    StateChange,
    Topic,
)
from officehours.refusals import Refused

if TYPE_CHECKING:
    from officehours.accounts.models import User
    from officehours.booking.models import Session, WaitlistEntry

MESSAGES = {
    "not_editable": _("Only a question that has not been answered yet can be changed."),
    "not_open": _("This question is already closed."),
    "own_question": _("You cannot say “me too” to your own question."),
    "not_shared": _("This question is not shared."),
    "rate_limited": _("You have done that many times in a short while. Please wait a little."),
    "booking_not_usable": _(
        "Questions can be added to your own bookings until the session starts."
    ),
    "merge_into_self": _("A question cannot be merged into itself."),
    "merge_target_closed": _("Merge into a question that is open or answered."),
    "merge_target_waiting": _(
        "The question to keep waits for approval or is hidden: approve it first, so that "
        "those who move over can read it."
    ),
    "merge_target_private": _(
        "The question to keep is private: its asker has not shared it. Choose to share it "
        "(without the asker's name) so that those who move over can read it, or keep a "
        "shared one instead."
    ),
    "unknown_topic": _("That topic does not exist."),
    "empty": _("Write something first."),
    "too_long": _("That is too long to show in full. Please shorten it."),
    "not_an_adviser": _("Questions can only be assigned to comms advisers."),
    "not_found": _("Not found."),
    "choose_booking": _("Choose one of your bookings."),
}


logger = logging.getLogger(__name__)


class QuestionRefused(Refused):
    messages = MESSAGES


def _rate_limit(user: User, action: str, per_hour: int) -> None:
    """A fixed one-hour window per person and action, counted in the cache (Redis in production)."""
    window = int(timezone.now().timestamp()) // 3600
    key = f"ratelimit:{action}:{user.pk}:{window}"
    try:
        cache.add(key, 0, timeout=3700)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=3700)
            count = 1
    except (RedisError, OSError):
        # The cache (Redis) is away: asking matters more than counting.
        logger.warning("Rate limit for %s not checked: the cache does not answer", action)
        return
    if count > per_hour:
        raise QuestionRefused("rate_limited", status=429)


def _log(question: Question, actor: User | None, from_state: str, to_state: str) -> None:
    StateChange.objects.create(
        question=question, actor=actor, from_state=from_state, to_state=to_state
    )


def _check_booking(booking: Booking | None, author: User) -> None:
    if booking is None:
        return
    if (
        booking.user_id != author.pk
        or booking.status != Booking.ACTIVE
        or booking.slot.starts_at <= timezone.now()
    ):
        raise QuestionRefused("booking_not_usable", status=422)


@transaction.atomic
def question_create(
    *,
    author: User,
    title: str,
    body: str = "",
    topic: Topic | None = None,
    language: str | None = None,
    booking: Booking | None = None,
    waitlist_entry: WaitlistEntry | None = None,
    shared: bool = False,
    live_session: Session | None = None,
    live_status: str = "",
) -> Question:
    """`live_session`: asked during that session's live hour (officehours/live/services.py
    checks the hour is open), with `live_status` pending or approved."""
    _check_booking(booking, author)
    _rate_limit(author, "ask", settings.QUESTION_RATE_PER_HOUR)
    if booking is not None and not live_status and needs_approval(booking.session):
        live_status = Question.LIVE_PENDING  # arrives in an hour that is live now
    question = Question.objects.create(
        author=author,
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        language=language or author.language or settings.LANGUAGE_CODE,
        booking=booking,
        waitlist_entry=waitlist_entry,
        shared=shared,
        live_session=live_session,
        live_status=live_status,
    )
    _log(question, author, "", Question.SUBMITTED)
    live_questions_changed([question.pk])
    return question


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def question_update(
    *, question: Question, title: str, body: str, topic: Topic | None, shared: bool
) -> Question:
    question = _locked(question)
    if question.state != Question.SUBMITTED:
        raise QuestionRefused("not_editable")
    question.title, question.body = title.strip(), body.strip()
    if shared != question.shared:
        question.shared_by = None  # the author's own choice now
    question.topic, question.shared = topic, shared
    if question.live_status in Question.LIVE_SEEN and needs_approval(hour_of(question)):
        question.live_status = Question.LIVE_PENDING  # changed words are approved afresh
    question.save()
    live_questions_changed([question.pk])
    return question


@transaction.atomic
def question_withdraw(*, question: Question, actor: User) -> Question:
    question = _locked(question)
    if question.state != Question.SUBMITTED:
        raise QuestionRefused("not_editable")
    question.state = Question.WITHDRAWN
    question.save(update_fields=["state", "updated_at"])
    _log(question, actor, Question.SUBMITTED, Question.WITHDRAWN)
    live_questions_changed([question.pk])
    return question


def me_too_add(*, question: Question, user: User) -> int:
    """Idempotent: a second "me too" from the same person changes nothing."""
    if not question.shared:
        raise QuestionRefused("not_shared", status=404)
    if question.author_id == user.pk:
        raise QuestionRefused("own_question")
    if question.live_status not in Question.LIVE_SEEN:
        raise QuestionRefused("not_shared", status=404)  # colleagues cannot see it (yet)
    if question.state in (Question.MERGED, Question.WITHDRAWN):
        raise QuestionRefused("not_open")
    _rate_limit(user, "me_too", settings.ME_TOO_RATE_PER_HOUR)
    try:
        with transaction.atomic():
            MeToo.objects.create(question=question, user=user)
            Question.objects.filter(pk=question.pk).update(me_too_count=F("me_too_count") + 1)
            live_questions_changed([question.pk])
    except IntegrityError:
        pass  # already following
    return Question.objects.values_list("me_too_count", flat=True).get(pk=question.pk)


def me_too_remove(*, question: Question, user: User) -> int:
    with transaction.atomic():
        deleted, _rows = MeToo.objects.filter(question=question, user=user).delete()
        if deleted:
            Question.objects.filter(pk=question.pk).update(me_too_count=F("me_too_count") - 1)
            live_questions_changed([question.pk])
    return Question.objects.values_list("me_too_count", flat=True).get(pk=question.pk)


def _tell_author_and_followers(question: Question, kind: str) -> None:
    people = {question.author_id}
    if question.live_status in Question.LIVE_SEEN:  # a hidden one is for its asker only
        people |= set(question.me_toos.values_list("user_id", flat=True))
    _tell(question, kind, sorted(pk for pk in people if pk is not None))


def _tell(question: Question, kind: str, user_ids: list[int]) -> None:
    """The event for each person, and the e-mail it causes (once per kind and person)."""
    QuestionEvent.objects.bulk_create(
        [QuestionEvent(kind=kind, question=question, user_id=pk) for pk in user_ids],
        ignore_conflicts=True,
    )
    question_events_recorded(kind, question.pk, user_ids)


@transaction.atomic
def question_answer(*, question: Question, adviser: User, body: str) -> Question:
    if not body.strip():
        raise QuestionRefused("empty", status=422)
    if body.count("\n") >= MAX_INPUT_LINES:
        raise QuestionRefused("too_long", status=422)
    question = _locked(question)
    if question.state != Question.SUBMITTED:
        raise QuestionRefused("not_open")
    question.state = Question.ANSWERED
    question.answer = body.strip()
    question.answered_by = adviser
    question.answered_at = timezone.now()
    question.save()
    _log(question, adviser, Question.SUBMITTED, Question.ANSWERED)
    if not answered_in_its_hour(question):
        _tell_author_and_followers(question, QuestionEvent.ANSWERED)
    live_questions_changed([question.pk])
    return question


def question_published(*, question: Question) -> None:
    """An FAQ entry made from this question went live: its asker and followers hear once."""
    if not question.published:
        Question.objects.filter(pk=question.pk).update(published=True)
        question.published = True
    if not told_in_summary(question):  # the hour's summary will link the entry instead
        _tell_author_and_followers(question, QuestionEvent.PUBLISHED)


@transaction.atomic
def question_decline(*, question: Question, adviser: User, reason: str) -> Question:
    if not reason.strip():
        raise QuestionRefused("empty", status=422)
    question = _locked(question)
    if question.state != Question.SUBMITTED:
        raise QuestionRefused("not_open")
    question.state = Question.DECLINED
    question.decline_reason = reason.strip()
    question.save(update_fields=["state", "decline_reason", "updated_at"])
    _log(question, adviser, Question.SUBMITTED, Question.DECLINED)
    _tell_author_and_followers(question, QuestionEvent.DECLINED)
    live_questions_changed([question.pk])
    return question


@transaction.atomic
def question_merge(
    *, question: Question, into: Question, adviser: User, share_kept: bool = False
) -> Question:
    """The duplicate points to the kept question; its me-toos and followers move over.

    The duplicate's author follows the kept question too, unless they wrote it.

    The rule: a private question never becomes readable to others by a merge. Those who
    move over (the duplicate's asker and followers) can read the kept question, so if
    anyone moves over and the kept question is not shared, the merge is refused unless
    the adviser chooses to share it (`share_kept`): it is then shared like any shared
    question, never with the asker's name, and `shared_by` records whose choice it was.
    An author's own duplicates (nobody else to move) merge without sharing anything.
    """
    if question.pk == into.pk:
        raise QuestionRefused("merge_into_self", status=422)
    # Lock both in id order so two opposite merges cannot deadlock.
    locked = {
        q.pk: q
        for q in Question.objects.select_for_update()
        .filter(pk__in=[question.pk, into.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise Question.DoesNotExist
    question, into = locked[question.pk], locked[into.pk]
    if question.state != Question.SUBMITTED:
        raise QuestionRefused("not_open")
    if into.state not in (Question.SUBMITTED, Question.ANSWERED):
        raise QuestionRefused("merge_target_closed", status=422)
    followers = {
        pk
        for pk in {*question.me_toos.values_list("user_id", flat=True), question.author_id}
        if pk is not None and pk != into.author_id
    }
    if followers and into.live_status not in Question.LIVE_SEEN:
        raise QuestionRefused("merge_target_waiting", status=422)
    if followers and not into.shared:
        if not share_kept:
            raise QuestionRefused("merge_target_private", status=422)
        into.shared, into.shared_by = True, adviser
        into.save(update_fields=["shared", "shared_by", "updated_at"])
    if into.state == Question.ANSWERED:
        # The answer already exists: those who move over hear about it now.
        _tell(into, QuestionEvent.ANSWERED, sorted(followers))
    MeToo.objects.bulk_create(
        [MeToo(question=into, user_id=pk) for pk in sorted(followers)], ignore_conflicts=True
    )
    question.me_toos.all().delete()
    question.state = Question.MERGED
    question.merged_into = into
    question.me_too_count = 0
    question.save(update_fields=["state", "merged_into", "me_too_count", "updated_at"])
    into.me_too_count = into.me_toos.count()
    into.save(update_fields=["me_too_count", "updated_at"])
    _log(question, adviser, Question.SUBMITTED, Question.MERGED)
    live_questions_changed([question.pk, into.pk])
    return question


def question_assign(*, question: Question, assignee: User | None) -> Question:
    Question.objects.filter(pk=question.pk).update(assigned_to=assignee, updated_at=timezone.now())
    question.assigned_to = assignee
    return question


def note_add(*, question: Question, adviser: User, body: str) -> InternalNote:
    return InternalNote.objects.create(question=question, author=adviser, body=body.strip())


def questions_unschedule_for_booking(*, booking: Booking) -> int:
    """The booking was cancelled: its questions stay as they are (open ones open) but no
    longer have an hour, and remember the booking they left. Called by every cancellation,
    inside its transaction. A rescheduled booking keeps its questions: they move with it."""
    leaving = list(Question.objects.filter(booking=booking).values_list("pk", flat=True))
    live_questions_changed(leaving)  # before: they still belong to the hour
    return Question.objects.filter(pk__in=leaving).update(
        booking=None, unscheduled_from=booking, updated_at=timezone.now()
    )


@transaction.atomic
def question_bring_to_booking(*, question: Question, booking: Booking, actor: User) -> Question:
    """The author takes an open question to one of their upcoming bookings.

    The booking's row is locked before the question's, the order a cancellation
    writes them in, so the booking cannot be cancelled under it."""
    locked_booking = (
        Booking.objects.select_for_update().select_related("slot").filter(pk=booking.pk).first()
    )
    question = _locked(question)
    if question.author_id != actor.pk:
        raise QuestionRefused("not_found", status=404)
    if question.state not in Question.OPEN_STATES:
        raise QuestionRefused("not_open")
    if locked_booking is None:
        raise QuestionRefused("booking_not_usable", status=422)
    _check_booking(locked_booking, actor)
    if question.booking_id != locked_booking.pk:
        question.booking = locked_booking
        if question.live_status in Question.LIVE_SEEN and needs_approval(locked_booking.session):
            question.live_status = Question.LIVE_PENDING  # arrives in an hour that is live now
        question.save(update_fields=["booking", "live_status", "updated_at"])
        live_questions_changed([question.pk])
    return question


def _same_question_without_booking(author: User, title: str, body: str) -> Question | None:
    """The author's unanswered question with these words that no booking holds: left by
    a cancelled booking, or written on a waitlist."""
    return (
        selectors.unscheduled(author=author)
        .filter(title=title, body=body)
        .order_by("-created_at", "-pk")
        .first()
    )


def question_from_note(
    *,
    author: User,
    note: str,
    booking: Booking | None = None,
    waitlist_entry: WaitlistEntry | None = None,
) -> Question | None:
    """What someone wrote while booking (or joining a waitlist) becomes a question.

    The first line is the title; the whole text is kept as the body when there is more.
    If the question cannot be made (e.g. the asking limit), the text is still on the
    booking, so nothing typed is lost.
    """
    text = note.strip()
    if not text:
        return None
    first_line = text.splitlines()[0].strip()
    title = first_line if len(first_line) <= 200 else first_line[:199] + "…"
    body = text if text != first_line or len(first_line) > 200 else ""
    earlier = _same_question_without_booking(author, title, body) if booking else None
    try:
        if earlier is not None:
            # Cancelled and booked again with the same words, or booked from the waitlist:
            # the question still waiting for an answer comes along, not a copy of it
            # (unless another booking took it meanwhile: then this one gets its own).
            _check_booking(booking, author)
            moved = Question.objects.filter(pk=earlier.pk, booking=None).update(
                booking=booking, updated_at=timezone.now()
            )
            if moved:
                earlier.booking = booking
                return earlier
        return question_create(
            author=author,
            title=title,
            body=body,
            booking=booking,
            waitlist_entry=waitlist_entry,
        )
    except QuestionRefused:
        return None
