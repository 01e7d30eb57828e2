"""What the site holds about a person: export it, delete the account, forget old data.

Deleting an account cancels the person's upcoming bookings (their seats go to the
waitlist), takes their name and address off everything, and removes the text of
their questions: an answered question lives on only as a published FAQ entry,
which never names anyone. Bookings, waitlist entries and questions stay as anonymous
rows so the comms team's counts still add up.

It never takes away what others asked or follow. A question of theirs that others
depend on (colleagues follow it, someone else's question was merged into it, or it
is shared and answered, so listed for everyone) keeps its title and answer, and its
details if it was shared (colleagues could read them already; a private one's are
removed). An open one stays open, so the comms team can still answer its followers.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from faq.services import entry_visitors_forget, feedback_recount
from officehours.accounts.models import User
from officehours.booking.models import Booking, WaitlistEntry
from officehours.booking.services.bookings import booking_cancel
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.waitlist import waitlist_leave
from officehours.live.versions import live_questions_changed
from officehours.notifications.models import Notification
from officehours.questions.models import MeToo, Question, QuestionEvent, StateChange


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def user_export(*, user: User) -> dict:
    """Everything the site holds about this person, as plain JSON-ready data."""
    bookings = Booking.objects.filter(user=user).select_related("slot", "session__series")
    questions = Question.objects.filter(author=user).select_related("topic")
    return {
        "exported_at": _iso(timezone.now()),
        "profile": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            # allauth's reverse accessor: its models have no types for the stubs to follow.
            "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),  # type: ignore[attr-defined]
        },
        "bookings": [
            {
                "id": b.pk,
                "series": b.session.series.title,
                "starts_at": _iso(b.slot.starts_at),
                "status": b.status,
                "note": b.note,
                "attendance": b.attendance,
                "created_at": _iso(b.created_at),
                "cancelled_at": _iso(b.cancelled_at),
                "cancel_reason": b.cancel_reason,
            }
            for b in bookings
        ],
        "waitlist": [
            {
                "session_starts_at": _iso(e.session.starts_at),
                "status": e.status,
                "note": e.note,
                "created_at": _iso(e.created_at),
            }
            for e in WaitlistEntry.objects.filter(user=user).select_related("session")
        ],
        "questions": [
            {
                "id": q.pk,
                "title": q.title,
                "body": q.body,
                "topic": q.topic.slug if q.topic else None,
                "language": q.language,
                "booking_id": q.booking_id,
                "merged_into_id": q.merged_into_id,
                "state": q.state,
                "shared": q.shared,
                "answer": q.answer,
                "decline_reason": q.decline_reason,
                "created_at": _iso(q.created_at),
            }
            for q in questions
        ],
        "me_too": list(user.me_toos.values_list("question_id", flat=True)),
        "question_events": [
            {"kind": e.kind, "question_id": e.question_id, "created_at": _iso(e.created_at)}
            for e in QuestionEvent.objects.filter(user=user)
        ],
        "faq_feedback": [
            {
                "entry_id": f.entry_id,
                "helpful": f.helpful,
                "comment": f.comment,
                "updated_at": _iso(f.updated_at),
            }
            for f in user.faq_feedback.all()
        ],
        "api_tokens": [
            {"name": t.name, "created_at": _iso(t.created_at), "last_used_at": _iso(t.last_used_at)}
            for t in user.api_tokens.all()
        ],
    }


def _others_depend_on(user: User) -> Q:
    """The person's questions that others read: see the module's docstring."""
    followed = Exists(MeToo.objects.filter(question=OuterRef("pk")).exclude(user=user))
    merged_in = Exists(Question.objects.filter(merged_into=OuterRef("pk")).exclude(author=user))
    listed = Q(shared=True, state=Question.ANSWERED)
    return Q(followed) | Q(merged_in) | listed


def user_delete(*, user: User) -> None:
    now = timezone.now()
    for booking in Booking.objects.filter(
        user=user, status=Booking.ACTIVE, slot__starts_at__gt=now
    ):
        with contextlib.suppress(BookingRefused):  # cancelled meanwhile
            booking_cancel(booking=booking, actor=None, reason="", by_adviser=True, now=now)
    for session_id in WaitlistEntry.objects.filter(
        user=user, status__in=WaitlistEntry.OPEN_STATES
    ).values_list("session_id", flat=True):
        with contextlib.suppress(BookingRefused):  # left meanwhile
            waitlist_leave(user=user, session_id=session_id, now=now)
    with transaction.atomic():
        # Their "me too"s go with the account: the counts follow.
        followed = list(Question.objects.filter(me_toos__user=user).values_list("pk", flat=True))
        Question.objects.filter(pk__in=followed).update(me_too_count=F("me_too_count") - 1)
        theirs = Question.objects.filter(author=user)
        # A live hour showing any of these shows the change (and the question leaves it).
        live_questions_changed([*followed, *theirs.values_list("pk", flat=True)])
        kept = set(theirs.filter(_others_depend_on(user)).values_list("pk", flat=True))
        open_questions = theirs.filter(state=Question.SUBMITTED).exclude(pk__in=kept)
        for question in open_questions:
            StateChange.objects.create(
                question=question,
                actor=None,
                from_state=question.state,
                to_state=Question.WITHDRAWN,
            )
        open_questions.update(state=Question.WITHDRAWN, shared=False)
        # The reason for a decline was written to the asker and may name them.
        gone = {
            "author": None,
            "booking": None,
            "waitlist_entry": None,
            "unscheduled_from": None,
            "decline_reason": "",
            "hidden_reason": "",  # as a decline's, written to the asker
        }
        theirs.exclude(pk__in=kept).update(title="", body="", **gone)
        theirs.filter(pk__in=kept, shared=False).update(body="", **gone)
        theirs.filter(pk__in=kept).update(**gone)  # the shared ones left
        Booking.objects.filter(user=user).update(user=None, note="", adviser_note="")
        WaitlistEntry.objects.filter(user=user).update(user=None, note="")
        voted_on = list(user.faq_feedback.values_list("entry_id", flat=True))
        user.delete()  # e-mail addresses, tokens, me-toos and votes go with it
        feedback_recount(voted_on)


def retention_apply(*, days: int | None = None) -> dict:
    """Anonymises closed questions and past bookings older than the retention period."""
    days = settings.RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    old = Question.objects.filter(
        state__in=Question.CLOSED_STATES, updated_at__lt=cutoff, author__isnull=False
    )
    # The author also appears as the actor of their own changes, and in sent events.
    StateChange.objects.filter(question__in=old, actor=F("question__author")).update(actor=None)
    QuestionEvent.objects.filter(question__in=old, user=F("question__author")).delete()
    questions = old.update(author=None, booking=None, waitlist_entry=None)
    bookings = Booking.objects.filter(slot__ends_at__lt=cutoff, user__isnull=False).update(
        user=None, note="", adviser_note=""
    )
    # Kept as anonymous rows, like bookings: the insights' waitlist demand still adds up.
    waiting = (
        WaitlistEntry.objects.filter(session__ends_at__lt=cutoff, user__isnull=False)
        .exclude(status__in=WaitlistEntry.OPEN_STATES)
        .update(user=None, note="")
    )
    # Who was told what, and when: outbox rows go too (by now long sent or moot).
    notifications = Notification.objects.filter(created_at__lt=cutoff, due_at__lt=cutoff).delete()[
        0
    ]
    return {
        "questions": questions,
        "bookings": bookings,
        "waitlist": waiting,
        "notifications": notifications,
        # Who was counted reading an entry: only today's rows decide anything.
        "faq_visitors": entry_visitors_forget(),
    }
