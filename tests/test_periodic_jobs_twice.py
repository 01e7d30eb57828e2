"""Every periodic job is harmless when it runs twice at the same moment: a failover
between two beats, or a task redelivered after a worker died, must not send, remind,
expire or create anything twice.

A job in CELERY_BEAT_SCHEDULE without a test here fails
test_every_scheduled_job_has_a_run_twice_test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import Count

from officehours.booking.models import BookingEvent, Session, Slot, WaitlistEntry
from officehours.booking.services.bookings import booking_cancel, booking_create
from officehours.booking.services.waitlist import waitlist_join
from officehours.booking.tasks import expire_waitlist_offers, sync_sessions
from officehours.models import WorkerHeartbeat
from officehours.notifications.models import Notification
from officehours.notifications.tasks import queue_digests, send_due_notifications
from officehours.privacy.tasks import apply_retention
from officehours.questions import services as questions
from officehours.tasks import record_heartbeat
from tests.booking_factories import make_series, slot_at
from tests.clock import NOW
from tests.people import make_user

RUN_TWICE_TESTS: dict[str, Callable] = {}


def runs_twice(task) -> Callable[[Callable], Callable]:
    """Registers the test that runs this periodic task twice."""

    def register(test: Callable) -> Callable:
        RUN_TWICE_TESTS[task.name] = test
        return test

    return register


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_scheduled_job_has_a_run_twice_test(name):
    task = settings.CELERY_BEAT_SCHEDULE[name]["task"]
    assert task in RUN_TWICE_TESTS, f"{name}: add a @runs_twice test for {task} here"


@pytest.fixture
def series(db, frozen_now, adviser):
    series = make_series(weeks_ahead=2)
    series.advisers.add(adviser)
    return series


def book(user, session, position=0):
    return booking_create(user=user, slot_id=slot_at(session, position).pk)


@runs_twice(record_heartbeat)
@pytest.mark.django_db
def test_the_heartbeat_twice_keeps_one_row(frozen_now):
    record_heartbeat()
    record_heartbeat()
    [row] = WorkerHeartbeat.objects.all()
    assert row.last_seen == NOW


@runs_twice(sync_sessions)
def test_syncing_sessions_twice_makes_each_once(frozen_now, series):
    frozen_now.move_to(NOW + timedelta(days=7))  # a new week enters the horizon
    assert sync_sessions() == 1
    assert sync_sessions() == 0
    weeks = Session.objects.values("series", "week").annotate(n=Count("id"))
    assert {row["n"] for row in weeks} == {1}
    slots = Slot.objects.values("session", "position").annotate(n=Count("id"))
    assert {row["n"] for row in slots} == {1}


@runs_twice(apply_retention)
def test_retention_twice_counts_nothing_the_second_time(
    frozen_now, settings, series, employee, adviser
):
    settings.RETENTION_DAYS = 365
    session = series.sessions.order_by("starts_at").first()
    booking = book(employee, session)
    question = questions.question_create(
        author=employee, title="Min fråga", body="Detaljer", booking=booking
    )
    questions.question_answer(question=question, adviser=adviser, body="Svar")
    frozen_now.move_to(NOW + timedelta(days=400))
    first = apply_retention()
    assert first["questions"] == 1 and first["bookings"] == 1 and first["notifications"] >= 1
    assert set(apply_retention().values()) == {0}


@runs_twice(expire_waitlist_offers)
def test_expiring_offers_twice_lapses_each_once(frozen_now, series, employee, other_employee):
    session = series.sessions.order_by("starts_at").first()
    session.slots.exclude(position=0).update(capacity=0, removed=True)
    booking = book(employee, session)
    third = make_user("cilla@example.se")
    first = waitlist_join(user=other_employee, session_id=session.pk)
    frozen_now.shift(1)
    second = waitlist_join(user=third, session_id=session.pk)
    booking_cancel(booking=booking, actor=employee)
    first.refresh_from_db()
    frozen_now.move_to(first.offer_expires_at)
    assert expire_waitlist_offers() == 1
    assert expire_waitlist_offers() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WaitlistEntry.LAPSED, WaitlistEntry.OFFERED)
    assert slot_at(session).held == 1
    assert BookingEvent.objects.filter(kind=BookingEvent.OFFER_LAPSED).count() == 1
    offers = Notification.objects.filter(kind=Notification.WAITLIST_OFFER, recipient=third)
    assert offers.count() == 1


@runs_twice(send_due_notifications)
def test_the_outbox_sweep_twice_sends_each_mail_once(frozen_now, series, employee):
    session = series.sessions.order_by("starts_at").first()
    booking = book(employee, session)  # its confirmation waits in the outbox (no commit)
    frozen_now.move_to(slot_at(session).starts_at - timedelta(hours=23))
    assert send_due_notifications() == 2  # the confirmation and the day-before reminder
    assert send_due_notifications() == 0
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2
    assert sum("Påminnelse" in s for s in subjects) == sum("Bokad" in s for s in subjects) == 1
    reminders = Notification.objects.filter(booking=booking, kind=Notification.REMINDER)
    assert reminders.count() == 1


@runs_twice(queue_digests)
def test_queueing_digests_twice_queues_each_once(frozen_now, series, employee, adviser):
    session = series.sessions.order_by("starts_at").first()
    booking = book(employee, session)
    questions.question_from_note(author=employee, note="Får jag gilla inlägg?", booking=booking)
    frozen_now.move_to(session.starts_at - timedelta(hours=20))
    queue_digests()
    queue_digests()
    digests = Notification.objects.filter(kind=Notification.DIGEST, recipient=adviser)
    assert digests.count() == 1
    send_due_notifications()
    send_due_notifications()
    assert len([m for m in mail.outbox if adviser.email in m.to]) == 1
