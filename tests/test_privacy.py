"""Export, account deletion and retention."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from faq.services import feedback_set
from officehours.accounts.models import User
from officehours.booking.models import Booking
from officehours.booking.services.bookings import booking_create
from officehours.notifications.models import Notification
from officehours.privacy.services import retention_apply, user_delete, user_export
from officehours.questions import services as questions
from officehours.questions.models import Question
from tests.booking_factories import make_series
from tests.clock import NOW
from tests.faq_factories import make_entry


@pytest.fixture
def booked(employee):
    with time_machine.travel(NOW, tick=False):
        session = make_series(weeks_ahead=1).sessions.order_by("starts_at").first()
        booking = booking_create(user=employee, slot_id=session.slots.first().pk, note="Min not")
        question = questions.question_create(
            author=employee, title="Min fråga", body="Detaljer", booking=booking
        )
    return booking, question


@pytest.mark.django_db
def test_the_export_holds_everything_about_the_person(employee_client, employee, booked):
    del booked  # the data set the export must contain
    response = employee_client.get(reverse("privacy:export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "anna@example.se"
    assert [b["note"] for b in data["bookings"]] == ["Min not"]
    assert [(q["title"], q["body"]) for q in data["questions"]] == [("Min fråga", "Detaljer")]


@pytest.mark.django_db
def test_the_export_holds_nothing_of_others(other_client, booked):
    data = json.loads(other_client.get(reverse("privacy:export")).content)
    assert data["bookings"] == [] and data["questions"] == []
    assert "anna" not in json.dumps(data).lower()


@pytest.mark.django_db
def test_deleting_the_account_cancels_upcoming_bookings_and_forgets_the_person(employee, booked):
    booking, question = booked
    with time_machine.travel(NOW, tick=False):
        user_delete(user=employee)
    assert not User.objects.filter(email="anna@example.se").exists()
    booking.refresh_from_db()
    question.refresh_from_db()
    assert (booking.user_id, booking.status, booking.note) == (None, Booking.CANCELLED, "")
    assert booking.slot.booked == 0
    assert (question.author_id, question.title, question.body) == (None, "", "")


@pytest.mark.django_db
def test_deleting_from_the_page_needs_the_address(employee_client, employee):
    url = reverse("privacy:delete")
    # The password first (tests/test_account_deletion_reauth.py), then the address.
    employee_client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    wrong = employee_client.post(url, {"email": "someone@example.se"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=employee.pk).exists()
    right = employee_client.post(url, {"email": "ANNA@example.se"})
    assert right.status_code == 302
    assert not User.objects.filter(pk=employee.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["privacy:export", "privacy:delete"])
def test_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_retention_anonymises_old_closed_questions_and_past_bookings(employee, adviser, booked):
    booking, question = booked
    with time_machine.travel(NOW, tick=False):
        questions.question_answer(question=question, adviser=adviser, body="Svar")
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC), tick=False):
        assert retention_apply(days=365) == {
            "questions": 0,
            "bookings": 0,
            "waitlist": 0,
            "notifications": 0,
            "faq_visitors": 0,
        }
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        counts = retention_apply(days=365)
    assert counts["questions"] == 1 and counts["bookings"] == 1
    # The e-mails about them (the answer; reminders that were never needed) go too.
    assert counts["notifications"] >= 1
    assert not Notification.objects.filter(created_at__lt=datetime(2026, 3, 1, tzinfo=UTC))
    booking.refresh_from_db()
    question.refresh_from_db()
    assert (booking.user_id, booking.note) == (None, "")
    assert question.author_id is None
    assert Question.objects.get(pk=question.pk).answer == "Svar"


def test_faq_votes_are_exported_and_leave_with_the_account(employee_client, employee):
    entry = make_entry("Om LinkedIn")
    feedback_set(entry=entry, user=employee, helpful=False, comment="Saknar exempel")
    exported = user_export(user=employee)["faq_feedback"]
    assert exported[0]["entry_id"] == entry.pk and exported[0]["comment"] == "Saknar exempel"
    user_delete(user=employee)
    entry.refresh_from_db()
    assert entry.unhelpful_count == 0 and not entry.feedback.exists()
