"""E-mail notifications through the outbox: what is sent, to whom, in which language,
exactly once; reminders and digests; failures."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail

from faq.models import Entry
from faq.services import entry_from_question, entry_set_state
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.sessions import session_cancel
from officehours.booking.services.waitlist import waitlist_join
from officehours.notifications import sending
from officehours.notifications.digests import queue_due_digests
from officehours.notifications.emails import build_message
from officehours.notifications.models import Notification
from officehours.notifications.reminders import reminders_queue_due
from officehours.notifications.tasks import send_due_notifications
from officehours.questions import services as questions
from tests.booking_factories import make_series, slot_at
from tests.clock import NOW
from tests.people import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def series(adviser, frozen_now):
    series = make_series(
        weeks_ahead=2, cancel_cutoff_minutes=120, meeting_url="https://teams.example.se/m"
    )
    series.advisers.add(adviser)
    return series


def book(user, session, position=0, **extra):
    return booking_create(user=user, slot_id=slot_at(session, position).pk, **extra)


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def parts(message) -> dict:
    """Content type (without parameters) → list of MIME parts, over the whole tree."""
    found = {}
    for part in message.message().walk():
        found.setdefault(part.get_content_type(), []).append(part)
    return found


def test_booking_sends_a_confirmation_with_the_invitation(
    employee, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(employee, session, note="Får jag dela chefens inlägg?")
    [message] = sent_to(employee.email)
    assert "Bokad" in message.subject  # Anna reads Swedish
    assert "torsdag 5 februari 2026, 10:00–10:15" in message.body
    assert "Rum 101" in message.body and "https://teams.example.se/m" in message.body
    assert "/bookings/" in message.body
    tree = parts(message)
    assert list(tree)[:2] == ["multipart/mixed", "multipart/alternative"]
    [calendar] = tree["text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    [attachment] = tree["application/ics"]
    assert attachment.get_filename() == "invite.ics"
    assert b"METHOD:REQUEST" in attachment.get_payload(decode=True)
    # The calendar part sits inside multipart/alternative, beside text and HTML.
    alternative = tree["multipart/alternative"][0]
    inner = [part.get_content_type() for part in alternative.get_payload()]
    assert inner == ["text/plain", "text/html", "text/calendar"]


def test_the_confirmation_is_in_the_recipients_language(
    other_employee, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(other_employee, session)  # Bo reads English
    [message] = sent_to(other_employee.email)
    assert message.subject.endswith("Booked: Frågestund")
    assert "Thursday 5 February 2026, 10:00–10:15" in message.body
    html = message.alternatives[0].content
    assert "Change or cancel your booking" in html


def test_a_refused_booking_writes_nothing(employee, other_employee, session):
    book(employee, session)
    with pytest.raises(BookingRefused):
        book(other_employee, session)
    assert not Notification.objects.filter(recipient=other_employee).exists()


def test_cancelling_sends_a_cancellation_with_the_advisers_reason(
    employee, adviser, session, django_capture_on_commit_callbacks
):
    booking = book(employee, session)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(
            booking=booking, actor=adviser, reason="Rådgivaren är sjuk.", by_adviser=True
        )
    [message] = [m for m in sent_to(employee.email) if "Avbokad" in m.subject]
    assert "Rådgivaren är sjuk." in message.body
    [calendar] = parts(message)["text/calendar"]
    assert calendar.get_param("method") == "CANCEL"
    assert b"STATUS:CANCELLED" in calendar.get_payload(decode=True)


def test_cancelling_yourself_sends_no_reason_line(
    employee, session, django_capture_on_commit_callbacks
):
    booking = book(employee, session)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, actor=employee)
    [message] = [m for m in sent_to(employee.email) if "Avbokad" in m.subject]
    assert "skrev" not in message.body


def test_rescheduling_sends_the_new_time_with_a_higher_sequence(
    employee, session, django_capture_on_commit_callbacks
):
    booking = book(employee, session)
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(booking=booking, slot_id=slot_at(session, 2).pk, actor=employee)
    [message] = [m for m in sent_to(employee.email) if "Ändrad" in m.subject]
    assert "10:30–10:45" in message.body
    ics = parts(message)["text/calendar"][0].get_payload(decode=True).decode()
    assert f"UID:{booking.uid}" in ics and "SEQUENCE:1" in ics


def test_a_cancelled_session_tells_bookers_and_those_waiting(
    employee, other_employee, adviser, session, django_capture_on_commit_callbacks
):
    for position in range(4):
        book(make_user(f"p{position}@example.se"), session, position)
    waitlist_join(user=other_employee, session_id=session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, reason="Personalmöte", actor=adviser)
    assert len([m for m in mail.outbox if "Avbokad" in m.subject]) == 4
    [waiting] = sent_to(other_employee.email)
    assert "Called off" in waiting.subject and "Personalmöte" in waiting.body


def test_a_waitlist_offer_is_sent(
    employee, other_employee, session, django_capture_on_commit_callbacks
):
    bookings = [book(make_user(f"p{p}@example.se"), session, p) for p in range(4)]
    waitlist_join(user=other_employee, session_id=session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=bookings[0], actor=bookings[0].user)
    [offer] = sent_to(other_employee.email)
    assert "A seat is free for you" in offer.subject
    assert f"/book/{slot_at(session).pk}/" in offer.body


# Reminders


def test_reminders_are_made_when_due_a_day_and_an_hour_before(employee, session, frozen_now):
    booking = book(employee, session)
    reminders = Notification.objects.filter(booking=booking, kind=Notification.REMINDER)
    assert not reminders.exists()  # a booking writes its confirmation only
    starts = slot_at(session).starts_at
    frozen_now.move_to(starts - timedelta(hours=24, minutes=1))
    assert reminders_queue_due() == 0
    frozen_now.move_to(starts - timedelta(hours=24))
    assert reminders_queue_due() == 1
    assert reminders_queue_due() == 0  # made once
    frozen_now.move_to(starts - timedelta(minutes=30))
    assert reminders_queue_due() == 1
    assert sorted(r.due_at for r in reminders) == [
        starts - timedelta(hours=24),
        starts - timedelta(hours=1),
    ]
    frozen_now.move_to(starts + timedelta(minutes=1))
    Notification.objects.filter(kind=Notification.REMINDER).delete()
    assert reminders_queue_due() == 0  # nothing once the slot has begun


def test_no_reminder_whose_time_had_passed_when_booking(employee, series, frozen_now):
    session = series.sessions.order_by("starts_at").first()
    starts = slot_at(session, 3).starts_at
    frozen_now.move_to(starts - timedelta(hours=3))
    booking = book(employee, session, 3)
    frozen_now.move_to(starts - timedelta(minutes=59))
    send_due_notifications()
    reminders = Notification.objects.filter(booking=booking, kind=Notification.REMINDER)
    assert [r.offset_minutes for r in reminders] == [60]


def test_a_booking_moved_within_the_day_is_reminded_only_of_what_is_still_ahead(
    employee, session, frozen_now
):
    booking = book(employee, session)
    starts = slot_at(session).starts_at
    frozen_now.move_to(starts - timedelta(hours=12))  # after the new time's day-before moment
    booking_reschedule(booking=booking, slot_id=slot_at(session, 3).pk, actor=employee)
    new_start = slot_at(session, 3).starts_at
    frozen_now.move_to(new_start - timedelta(minutes=60))
    send_due_notifications()
    reminders = Notification.objects.filter(booking=booking, kind=Notification.REMINDER)
    assert [(r.offset_minutes, r.due_at) for r in reminders] == [
        (60, new_start - timedelta(hours=1))
    ]


def test_reminders_go_out_when_due_and_only_then(employee, session, frozen_now):
    book(employee, session)
    starts = slot_at(session).starts_at
    send_due_notifications()
    mail.outbox.clear()
    frozen_now.move_to(starts - timedelta(hours=25))
    assert send_due_notifications() == 0
    frozen_now.move_to(starts - timedelta(hours=23))
    assert send_due_notifications() == 1
    [reminder] = mail.outbox
    assert "Påminnelse" in reminder.subject and "10:00–10:15" in reminder.body
    assert send_due_notifications() == 0  # once


def test_no_reminder_after_a_cancellation(employee, session, frozen_now):
    booking = book(employee, session)
    booking_cancel(booking=booking, actor=employee)
    frozen_now.move_to(slot_at(session).starts_at - timedelta(minutes=30))
    send_due_notifications()
    assert not [m for m in mail.outbox if "Påminnelse" in m.subject]


def test_a_rescheduled_booking_is_reminded_of_its_new_time_only(employee, session, frozen_now):
    booking = book(employee, session)
    booking_reschedule(booking=booking, slot_id=slot_at(session, 3).pk, actor=employee)
    frozen_now.move_to(slot_at(session, 3).starts_at - timedelta(minutes=30))
    send_due_notifications()
    reminders = [m for m in mail.outbox if "Påminnelse" in m.subject]
    assert len(reminders) == 2  # the day-before and the hour-before of the new time
    assert all("10:45–11:00" in m.body for m in reminders)


def test_reminders_can_be_switched_off_but_confirmations_cannot(employee, session, frozen_now):
    employee.email_reminders = False
    employee.save()
    book(employee, session)
    frozen_now.move_to(slot_at(session).starts_at - timedelta(minutes=30))
    send_due_notifications()
    subjects = [m.subject for m in mail.outbox]
    assert any("Bokad" in s for s in subjects) and not any("Påminnelse" in s for s in subjects)


# The advisers' digest


def test_the_digest_goes_to_each_adviser_the_day_before_once(
    employee, adviser, session, frozen_now
):
    booking = book(employee, session)
    questions.question_from_note(
        author=employee, note="Får jag gilla kunders inlägg?", booking=booking
    )
    assert queue_due_digests() == 0  # more than a day ahead
    frozen_now.move_to(session.starts_at - timedelta(hours=20))
    mail.outbox.clear()
    queue_due_digests()
    queue_due_digests()
    send_due_notifications()
    [digest] = sent_to(adviser.email)
    assert "Imorgon" in digest.subject or "Tomorrow" in digest.subject
    assert "Anna Andersson" in digest.body and "Får jag gilla kunders inlägg?" in digest.body


def test_advisers_can_switch_the_digest_off(employee, adviser, session, frozen_now):
    adviser.email_digests = False
    adviser.save()
    book(employee, session)
    frozen_now.move_to(session.starts_at - timedelta(hours=20))
    queue_due_digests()
    send_due_notifications()
    assert not sent_to(adviser.email)


# Questions


def test_answers_reach_the_asker_and_followers_without_naming_the_asker(
    employee, other_employee, adviser, django_capture_on_commit_callbacks
):
    question = questions.question_create(
        author=employee, title="Får jag använda memes?", body="", shared=True
    )
    questions.me_too_add(question=question, user=other_employee)
    with django_capture_on_commit_callbacks(execute=True):
        questions.question_answer(question=question, adviser=adviser, body="Ja, **med omdöme**.")
    [mine] = sent_to(employee.email)
    [theirs] = sent_to(other_employee.email)
    assert "Besvarad" in mine.subject and "med omdöme" in mine.body
    assert "Answered" in theirs.subject and "A question you follow" in theirs.body
    for message in (theirs,):
        assert "Anna" not in message.body and employee.email not in message.body
        assert "Anna" not in message.alternatives[0].content


def test_a_decline_reason_goes_to_the_asker_only(
    employee, other_employee, adviser, django_capture_on_commit_callbacks
):
    question = questions.question_create(
        author=employee, title="Vad tycker ni om X?", body="", shared=True
    )
    questions.me_too_add(question=question, user=other_employee)
    with django_capture_on_commit_callbacks(execute=True):
        questions.question_decline(
            question=question, adviser=adviser, reason="Personalärende, ring mig."
        )
    assert "Personalärende" in sent_to(employee.email)[0].body
    assert "Personalärende" not in sent_to(other_employee.email)[0].body


def test_publishing_in_the_faq_tells_the_asker(
    employee, adviser, django_capture_on_commit_callbacks
):
    question = questions.question_create(author=employee, title="Får jag blogga?", body="")
    with django_capture_on_commit_callbacks(execute=True):  # "answered" goes out first
        question = questions.question_answer(question=question, adviser=adviser, body="Ja.")
    entry = entry_from_question(question=question, adviser=adviser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entry_set_state(entry=entry, state=Entry.PUBLISHED, author=adviser)
    [message] = sent_to(employee.email)
    assert f"/faq/{entry.slug}/" in message.body


# Exactly once, and failures


def test_delivering_the_same_row_twice_sends_once(employee, session):
    book(employee, session)
    [row] = Notification.objects.filter(kind=Notification.BOOKING_CONFIRMED)
    assert sending.deliver(row.pk) == sending.SENT
    assert sending.deliver(row.pk) == sending.NOT_CLAIMED
    assert len(mail.outbox) == 1


def test_a_worker_that_died_mid_send_is_replaced_and_the_mail_goes_once(
    employee, session, frozen_now
):
    book(employee, session)
    row = Notification.objects.get(kind=Notification.BOOKING_CONFIRMED)
    # A worker claimed it and died before sending.
    Notification.objects.filter(pk=row.pk).update(status=Notification.SENDING, claimed_at=NOW)
    send_due_notifications()
    assert not mail.outbox  # not yet: it might still be sending
    frozen_now.move_to(NOW + timedelta(minutes=11))
    send_due_notifications()
    send_due_notifications()
    assert len([m for m in mail.outbox if "Bokad" in m.subject]) == 1


class FailingBackend:
    """An SMTP server that refuses everything."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_smtp_failures_are_retried_with_back_off_then_shown_to_advisers(
    employee, session, settings, frozen_now, adviser_client
):
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    book(employee, session)
    row = Notification.objects.get(kind=Notification.BOOKING_CONFIRMED)
    assert sending.deliver(row.pk) == sending.RETRY
    row.refresh_from_db()
    assert row.status == Notification.PENDING and row.attempts == 1
    assert row.due_at == NOW + timedelta(minutes=1) and "SMTPServerDisconnected" in row.last_error
    frozen_now.move_to(row.due_at)
    assert sending.deliver(row.pk) == sending.RETRY
    row.refresh_from_db()
    assert row.due_at == NOW + timedelta(minutes=3)
    frozen_now.move_to(row.due_at)
    assert sending.deliver(row.pk) == sending.FAILED
    page = adviser_client.get("/advisers/notifications/")
    assert page.status_code == 200 and "SMTPServerDisconnected" in page.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    adviser_client.post(f"/advisers/notifications/{row.pk}/retry/")
    row.refresh_from_db()
    assert row.status == Notification.SENT and len(mail.outbox) == 1


def test_only_advisers_see_and_retry_failures(client, employee, session):
    book(employee, session)
    row = Notification.objects.get(kind=Notification.BOOKING_CONFIRMED)
    assert client.get("/advisers/notifications/").status_code == 302
    client.force_login(employee)
    assert client.get("/advisers/notifications/").status_code == 403
    assert client.post(f"/advisers/notifications/{row.pk}/retry/").status_code == 403


def test_one_beat_schedule_holds_every_periodic_job(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "officehours.booking.tasks.sync_sessions",
        "officehours.notifications.tasks.send_due_notifications",
        "officehours.notifications.tasks.queue_digests",
        "officehours.privacy.tasks.apply_retention",
    } <= tasks


# Choosing the optional e-mails


def profile_data(**extra):
    return {"name": "Anna", "language": "sv", "time_zone": "Europe/Stockholm", **extra}


def test_employees_choose_reminders_on_their_profile(employee_client, employee):
    page = employee_client.get("/profile/").content.decode()
    assert 'name="email_reminders"' in page and 'name="email_digests"' not in page
    employee_client.post("/profile/", profile_data())  # the box left unticked
    employee.refresh_from_db()
    assert not employee.email_reminders
    employee_client.post("/profile/", profile_data(email_reminders="on"))
    employee.refresh_from_db()
    assert employee.email_reminders


def test_advisers_also_choose_the_digest(adviser_client, adviser):
    assert 'name="email_digests"' in adviser_client.get("/profile/").content.decode()
    adviser_client.post("/profile/", profile_data(email_reminders="on"))
    adviser.refresh_from_db()
    assert adviser.email_reminders and not adviser.email_digests


def test_every_email_reads_well_in_both_languages(
    employee, other_employee, adviser, session, frozen_now, settings
):
    """Each kind, built for a Swedish and an English reader: translated, linked, no stray tags."""
    people = (employee, other_employee)
    for person in people:
        person.email_digests = True
    bookings = [book(person, session, n) for n, person in enumerate(people)]
    for booking in bookings:
        questions.question_from_note(
            author=booking.user, note="Får jag gilla inlägg?", booking=booking
        )
    session.series.advisers.add(employee, other_employee)
    frozen_now.move_to(session.starts_at - timedelta(hours=20))
    expected = {
        "sv": ("Hej ", "torsdag 5 februari"),
        "en": ("Hello ", "Thursday 5 February"),
    }
    for booking in bookings:
        person = booking.user
        for kind in (Notification.BOOKING_CONFIRMED, Notification.REMINDER, Notification.DIGEST):
            row = Notification(
                key=f"t:{kind}:{person.pk}",
                kind=kind,
                recipient=person,
                booking=booking,
                session=session,
                offset_minutes=24 * 60,
                due_at=booking.slot.starts_at - timedelta(hours=24),
            )
            message = build_message(row)
            greeting, day = expected[person.language]
            assert message is not None, kind
            assert message.body.startswith(greeting) and day in message.body, (kind, person)
            html = message.alternatives[0].content
            assert greeting.strip() in html and settings.SITE_URL in html
            assert "{%" not in message.body and "{{" not in html
