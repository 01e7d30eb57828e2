"""The e-mail for one outbox row, in the recipient's language and time zone.

Built when it is sent, from the current state: a confirmation for a booking that
has since been cancelled, a reminder for a slot that moved, or an optional
e-mail its recipient has switched off, is not sent at all (None).

Invitations carry the calendar twice, as Outlook and Gmail need to update the
event in place: as a `text/calendar; method=…` part inside multipart/alternative
(after the text and the HTML), and as an attached invite.ics.

Titles are single-line where they come in (officehours/text.py); the subject is
made one line here as well, for rows written before that or by other paths.
Whatever else stops an e-mail from being built or sent fails its row only
(sending.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from officehours import limits
from officehours.booking.models import Booking, BookingEvent, Session, WaitlistEntry
from officehours.calendars.ics import booking_invitation
from officehours.calendars.text import meeting_url, place
from officehours.live.hour import opens_at
from officehours.live.selectors import hour_questions
from officehours.markdown import render as render_markdown
from officehours.notifications.models import Notification
from officehours.questions.models import Question
from officehours.text import one_line

logger = logging.getLogger(__name__)

# What the templates get: a plain dict of whatever they show.
_Context = dict[str, Any]


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _booking(notification: Notification) -> Booking | None:
    if notification.booking_id is None:
        return None
    return (
        Booking.objects.select_related("slot", "session__series", "user")
        .prefetch_related("questions")
        .filter(pk=notification.booking_id)
        .first()
    )


def _booking_context(notification: Notification, now: datetime) -> _Context | None:
    booking = _booking(notification)
    if booking is None or booking.user_id != notification.recipient_id:
        return None
    active = booking.status == Booking.ACTIVE
    kind = notification.kind
    if kind in (Notification.BOOKING_CONFIRMED, Notification.BOOKING_CHANGED) and not active:
        return None  # cancelled since: the cancellation says so
    if kind == Notification.REMINDER:
        if not active or booking.slot.starts_at <= now:
            return None
        expected = booking.slot.starts_at.timestamp() - (notification.offset_minutes or 0) * 60
        if abs(expected - notification.due_at.timestamp()) > 1:
            return None  # the slot moved; a fresh reminder was scheduled for it
    questions = [q for q in booking.questions.all() if q.state != "withdrawn"]
    # A cancelled booking's questions are unscheduled (questions_unschedule_for_booking):
    # the ones still open and not yet brought to another booking are offered again.
    left_open = []
    if kind == Notification.BOOKING_CANCELLED:
        left_open = [
            (q, _url("questions:detail", q.pk))
            for q in booking.unscheduled_questions.filter(
                booking=None, state=Question.SUBMITTED
            ).order_by("created_at", "pk")
        ]
    return {
        "booking": booking,
        "slot": booking.slot,
        "session": booking.session,
        "series": booking.session.series,
        "questions": questions,
        "left_open": left_open,
        "location": place(booking.session),
        # Nobody joins a cancelled booking: its e-mails leave the link out.
        "meeting_url": meeting_url(booking.session) if active else "",
        **_change(notification),
        "manage_url": _url("booking:mine"),
        "book_url": _url("booking:book"),
        "reason": notification.reason,
        "offset_hours": (notification.offset_minutes or 0) / 60,
    }


def _change(notification: Notification) -> _Context:
    """What a change e-mail names: a new time (also a reschedule), a new place or link, or both."""
    if notification.kind != Notification.BOOKING_CHANGED:
        return {}
    changed = notification.reason  # a week's move records which (outbox.py)
    place_only = changed == BookingEvent.MOVED_PLACE
    return {
        "new_time": not place_only,
        "new_place": place_only or changed == BookingEvent.MOVED_TIME_AND_PLACE,
    }


def _waitlist_context(notification: Notification, now: datetime) -> _Context | None:
    if notification.waitlist_entry_id is None:  # the entry was deleted (as _booking)
        return None
    entry = (
        WaitlistEntry.objects.select_related("session__series", "offered_slot")
        .filter(pk=notification.waitlist_entry_id)
        .first()
    )
    if entry is None or entry.user_id != notification.recipient_id:
        return None
    if notification.kind == Notification.WAITLIST_OFFER:
        if entry.status != WaitlistEntry.OFFERED or not entry.offered_slot:
            return None  # taken, declined or lapsed meanwhile
        if entry.offer_expires_at and entry.offer_expires_at <= now:
            return None
    return {
        "entry": entry,
        "session": entry.session,
        "series": entry.session.series,
        "slot": entry.offered_slot,
        "reason": notification.reason,
        "take_url": _url("booking:book_slot", entry.offered_slot_id)
        if entry.offered_slot_id
        else _url("booking:book"),
        "book_url": _url("booking:book"),
    }


def _question_context(notification: Notification, now: datetime) -> _Context | None:
    question = notification.question
    if question is None:
        return None
    is_author = question.author_id == notification.recipient_id
    context: _Context = {
        "question": question,
        "is_author": is_author,
        "question_url": _url("questions:detail", question.pk),
        "answer_html": render_markdown(question.answer),
        # The reason for declining is for the asker only.
        "decline_reason": question.decline_reason if is_author else "",
    }
    if notification.kind == Notification.QUESTION_PUBLISHED:
        entry = question.faq_entries.filter(state="published").order_by("pk").first()
        if entry is None:
            return None  # unpublished again before this went out
        context["entry"] = entry
        context["entry_url"] = _url("faq:detail", entry.slug)
    return context


def _digest_context(notification: Notification, now: datetime) -> _Context | None:
    session = notification.session
    recipient = notification.recipient
    if session is None or session.status != Session.SCHEDULED or session.starts_at <= now:
        return None
    if not session.series.advisers.filter(pk=recipient.pk).exists():
        return None
    bookings = (
        Booking.objects.filter(session=session, status=Booking.ACTIVE)
        .select_related("slot", "user")
        .prefetch_related("questions")
        .order_by("slot__starts_at", "id")
    )
    return {
        "session": session,
        "series": session.series,
        "bookings": [
            (b, [q for q in b.questions.all() if q.state != "withdrawn"])
            for b in bookings
            if _listable(b)
        ],
        "waiting": session.waitlist.filter(status__in=("waiting", "offered")).count(),
        "agenda_url": _url("advisers:agenda", session.pk),
    }


def _listable(booking: Booking) -> bool:
    """A row written past the forms' limits (a time no clock can show) is left out of
    a list, and logged, rather than fail the whole e-mail."""
    if limits.in_calendar_window(booking.slot.starts_at):
        return True
    logger.error("E-mail: booking %s left out of a list", booking.pk)
    return False


def _live_summary_context(notification: Notification, now: datetime) -> _Context | None:
    """What the hour answered that this person may read: the shared questions colleagues
    see, their own, and those they follow; with each one's FAQ entry once published."""
    session = notification.session
    if session is None:
        return None
    recipient = notification.recipient
    seen = Q(live_status__in=Question.LIVE_SEEN)
    answered = (
        hour_questions(session)
        .filter(
            state=Question.ANSWERED,
            answered_at__gte=opens_at(session),  # during the hour: later ones were e-mailed
            answered_at__lt=session.ends_at,
        )
        .filter((seen & Q(shared=True)) | Q(author=recipient) | (seen & Q(me_toos__user=recipient)))
        .distinct()
        .order_by("answered_at", "id")
        .prefetch_related("faq_entries")
    )
    items = []
    for question in answered:
        entry = next((e for e in question.faq_entries.all() if e.state == "published"), None)
        items.append(
            {
                "question": question,
                "answer_html": render_markdown(question.answer),
                "entry": entry,
                "entry_url": _url("faq:detail", entry.slug) if entry else "",
            }
        )
    if not items:
        return None
    return {
        "session": session,
        "series": session.series,
        "answered": items,
        "live_url": _url("live:hour", session.pk),
        "faq_url": _url("faq:index"),
    }


_CONTEXT: dict[str, Callable[[Notification, datetime], _Context | None]] = {
    Notification.BOOKING_CONFIRMED: _booking_context,
    Notification.BOOKING_CHANGED: _booking_context,
    Notification.BOOKING_CANCELLED: _booking_context,
    Notification.REMINDER: _booking_context,
    Notification.WAITLIST_OFFER: _waitlist_context,
    Notification.WAITLIST_CLEARED: _waitlist_context,
    Notification.QUESTION_ANSWERED: _question_context,
    Notification.QUESTION_DECLINED: _question_context,
    Notification.QUESTION_PUBLISHED: _question_context,
    Notification.DIGEST: _digest_context,
    Notification.LIVE_SUMMARY: _live_summary_context,
}

_INVITATION_METHOD = {
    Notification.BOOKING_CONFIRMED: "REQUEST",
    Notification.BOOKING_CHANGED: "REQUEST",
    Notification.BOOKING_CANCELLED: "CANCEL",
}


def _changed_subject(context: _Context) -> str:
    if not context.get("new_place"):
        return _("New time: %(title)s")
    if context.get("new_time"):
        return _("New time and place: %(title)s")
    return _("New place or meeting link: %(title)s")


def _subject(kind: str, context: _Context) -> str:
    series: Any = context.get("series")
    question: Any = context.get("question")
    subjects = {
        Notification.BOOKING_CONFIRMED: _("Booked: %(title)s"),
        Notification.BOOKING_CHANGED: _changed_subject(context),
        Notification.BOOKING_CANCELLED: _("Cancelled: %(title)s"),
        Notification.REMINDER: _("Reminder: %(title)s"),
        Notification.WAITLIST_OFFER: _("A seat is free for you: %(title)s"),
        Notification.WAITLIST_CLEARED: _("Called off: %(title)s"),
        Notification.DIGEST: _("Tomorrow: %(title)s"),
        Notification.QUESTION_ANSWERED: _("Answered: %(title)s"),
        Notification.QUESTION_DECLINED: _("Not answered: %(title)s"),
        Notification.QUESTION_PUBLISHED: _("Now in the FAQ: %(title)s"),
        Notification.LIVE_SUMMARY: _("Answered during the hour: %(title)s"),
    }
    title = question.title if question else series.title
    return one_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subjects[kind] % {"title": title})


def build_message(
    notification: Notification, *, now: datetime | None = None
) -> EmailMultiAlternatives | None:
    now = now or timezone.now()
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return None
    preference = Notification.OPTIONAL.get(notification.kind)
    if preference and not getattr(recipient, preference):
        return None
    language = recipient.language or settings.LANGUAGE_CODE
    zone = ZoneInfo(recipient.time_zone or settings.TIME_ZONE)
    with translation.override(language), timezone.override(zone):
        context = _CONTEXT[notification.kind](notification, now)
        if context is None:
            return None
        context.update(
            recipient=recipient,
            kind=notification.kind,
            site_url=settings.SITE_URL,
            profile_url=_url("accounts:profile"),
            optional=bool(preference),
        )
        subject = _subject(notification.kind, context)
        context["subject"] = subject
        text = render_to_string(f"email/{notification.kind}.txt", context)
        html = render_to_string(f"email/{notification.kind}.html", context)
        headers = {"X-Fragestund-Notification": notification.key}
        message = EmailMultiAlternatives(subject, text, to=[recipient.email], headers=headers)
        message.attach_alternative(html, "text/html")
        method = _INVITATION_METHOD.get(notification.kind)
        if method:
            # Django makes a text/* alternative a text part of that type, parameters
            # included: Content-Type: text/calendar; method=REQUEST; charset="utf-8".
            calendar = booking_invitation(context["booking"], method=method)
            message.attach_alternative(calendar.decode(), f"text/calendar; method={method}")
            message.attach("invite.ics", calendar, f"application/ics; method={method}")
    return message
