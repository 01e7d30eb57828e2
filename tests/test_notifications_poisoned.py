"""A row that cannot be sent never holds up the others.

Ten e-mails are due and one of them cannot be sent: whatever is raised while
building or sending it fails that row at once, with the error for the advisers'
delivery page, and the nine others go out in the same run, of the wake-up and of
the minute sweep alike. Real rows, real e-mails (the locmem backend, which builds
every message as SMTP would), nothing mocked but where a wake-up is counted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from officehours.accounts.models import User
from officehours.booking.models import Session, Slot
from officehours.booking.services.bookings import booking_create
from officehours.notifications import outbox, tasks, wakeup
from officehours.notifications.models import Notification
from officehours.questions import services as questions
from officehours.questions.models import Question
from tests.booking_factories import slot_at
from tests.people import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def answered_for(people: list[User]) -> None:
    """A question answered, and each of these people to be told (rows due now, in order)."""
    question = questions.question_create(author=people[-1], title="Får jag dela det?", body="")
    outbox.question_events_recorded("answered", question.pk, [p.pk for p in people])


def ten_due_the_first_unsendable() -> Notification:
    """Ten e-mails due; the first goes to an address with a line break in it, which no
    header can carry (written past the forms: an import, the admin, a directory)."""
    people = [make_user(f"person{n}@example.se") for n in range(10)]
    User.objects.filter(pk=people[0].pk).update(email="person0\n@example.se")
    answered_for(people)
    return Notification.objects.get(recipient=people[0])


def assert_nine_sent_and_one_failed(poisoned: Notification, error: str) -> None:
    poisoned.refresh_from_db()
    assert poisoned.status == Notification.FAILED
    assert poisoned.last_error.startswith(f"{error}: ")
    others = Notification.objects.exclude(pk=poisoned.pk)
    assert [row.status for row in others] == [Notification.SENT] * 9
    assert len(mail.outbox) == 9


def test_the_wake_up_sends_the_others_when_one_cannot_be_sent():
    poisoned = ten_due_the_first_unsendable()
    assert wakeup.send_due_now.run() == 9
    assert_nine_sent_and_one_failed(poisoned, "BadHeaderError")


def test_the_minute_sweep_sends_the_others_when_one_cannot_be_sent():
    poisoned = ten_due_the_first_unsendable()
    assert tasks.send_due_notifications() == 9
    assert_nine_sent_and_one_failed(poisoned, "BadHeaderError")
    # Failed for good: the next sweeps neither send it nor try it again.
    tasks.send_due_notifications()
    poisoned.refresh_from_db()
    assert (poisoned.status, poisoned.attempts, len(mail.outbox)) == (Notification.FAILED, 1, 9)


def test_an_invitation_that_cannot_be_written_fails_alone(employee, session):
    """A week moved to the last days of year 9999: the invitation's calendar cannot
    hold it (a ValueError while building), and the e-mails after it still go."""
    booking = booking_create(user=employee, slot_id=slot_at(session, 0).pk)
    far = datetime(9999, 12, 31, 21, 0, tzinfo=UTC)
    Session.objects.filter(pk=session.pk).update(starts_at=far, ends_at=far + timedelta(hours=1))
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=far, ends_at=far + timedelta(minutes=15)
    )
    answered_for([make_user(f"person{n}@example.se") for n in range(9)])
    poisoned = Notification.objects.get(kind=Notification.BOOKING_CONFIRMED)
    assert poisoned.pk < min(Notification.objects.exclude(pk=poisoned.pk).values_list("pk"))[0]
    assert wakeup.send_due_now.run() == 9
    assert_nine_sent_and_one_failed(poisoned, "ValueError")


def test_advisers_see_why_it_failed_and_try_it_again(adviser_client, monkeypatch):
    poisoned = ten_due_the_first_unsendable()
    tasks.send_due_notifications()
    page = adviser_client.get("/advisers/notifications/").content.decode()
    assert "BadHeaderError" in page and "person0" in page
    assert f"/advisers/notifications/{poisoned.pk}/retry/" in page
    woken = []
    monkeypatch.setattr(wakeup.send_due_now, "apply_async", lambda *a, **k: woken.append(k))
    response = adviser_client.post(f"/advisers/notifications/{poisoned.pk}/retry/")
    assert response.status_code == 302
    poisoned.refresh_from_db()
    assert (poisoned.status, poisoned.attempts, len(woken)) == (Notification.PENDING, 0, 1)
    # The address put right, the wake-up the button queued sends it.
    User.objects.filter(pk=poisoned.recipient_id).update(email="person0@example.se")
    assert wakeup.send_due_now.run() == 1
    poisoned.refresh_from_db()
    assert poisoned.status == Notification.SENT and len(mail.outbox) == 10


def test_a_title_with_a_line_break_from_before_still_goes_out_on_one_line(employee):
    """Titles are one line where they come in (test_one_line_input.py); one written
    before that, or past the forms, is made one line in the subject too."""
    question = questions.question_create(author=employee, title="Får jag?", body="")
    Question.objects.filter(pk=question.pk).update(title="Får jag\r\ndela det?")
    outbox.question_events_recorded("answered", question.pk, [employee.pk])
    assert tasks.send_due_notifications() == 1
    [message] = mail.outbox
    assert message.subject == "[Frågestund] Besvarad: Får jag dela det?"
