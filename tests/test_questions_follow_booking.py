"""Issue 17: questions follow their booking. A cancelled booking's questions become
unscheduled (still open, offered for another booking); a rescheduled one's move with it."""

import pytest
from django.core import mail
from django.urls import reverse

from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from officehours.booking.services.sessions import series_update, session_cancel
from officehours.questions import services
from officehours.questions.models import Question
from officehours.questions.services import question_from_note
from tests.booking_factories import slot_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "english_employees")]

TAKEN_UP = "To be taken up at the question hour"
QUEUE = reverse("advisers_questions:queue")


def book_with_question(user, session, position=0, title="Får jag filma på jobbet?"):
    booking = booking_create(user=user, slot_id=slot_at(session, position).pk, note=title)
    question = question_from_note(author=user, note=booking.note, booking=booking)
    return booking, question


def detail(client, question):
    return client.get(reverse("questions:detail", args=[question.pk])).content.decode()


def api_question(client, question):
    return client.get(f"/api/v1/questions/{question.pk}").json()


def test_a_cancelled_bookings_question_is_open_and_unscheduled(
    employee_client, employee, adviser, client, session
):
    booking, question = book_with_question(employee, session)
    assert TAKEN_UP in detail(employee_client, question)
    assert api_question(employee_client, question)["booking_id"] == booking.pk

    booking_cancel(booking=booking, actor=employee)

    question.refresh_from_db()
    assert (question.state, question.booking_id) == (Question.SUBMITTED, None)
    assert question.unscheduled_from_id == booking.pk
    page = detail(employee_client, question)
    assert TAKEN_UP not in page
    assert "was cancelled" in page
    assert api_question(employee_client, question)["booking_id"] is None
    client.force_login(adviser)
    in_session = client.get(QUEUE, {"session": session.pk, "state": "all"}).content.decode()
    assert question.title not in in_session
    assert question.title in client.get(QUEUE).content.decode()  # still open in the queue
    agenda = client.get(reverse("advisers:agenda", args=[session.pk])).content.decode()
    assert f'href="{reverse("advisers_questions:detail", args=[question.pk])}"' not in agenda


def test_an_adviser_cancelling_the_week_unschedules_its_questions(
    employee_client, employee, adviser, session
):
    booking, question = book_with_question(employee, session)
    session_cancel(session=session, reason="Personalmöte", actor=adviser)
    question.refresh_from_db()
    assert (question.state, question.booking_id, question.unscheduled_from_id) == (
        Question.SUBMITTED,
        None,
        booking.pk,
    )
    assert TAKEN_UP not in detail(employee_client, question)


def test_a_slot_removed_by_shortening_the_series_unschedules_its_questions(
    employee, series, session
):
    booking, question = book_with_question(employee, session, position=3)
    series_update(series=series, duration_minutes=45)
    booking.refresh_from_db()
    question.refresh_from_db()
    assert booking.status == booking.CANCELLED
    assert (question.booking_id, question.unscheduled_from_id) == (None, booking.pk)


def test_a_rescheduled_bookings_question_moves_with_it(employee_client, employee, session):
    booking, question = book_with_question(employee, session)
    booking_reschedule(booking=booking, slot_id=slot_at(session, 2).pk, actor=employee)
    question.refresh_from_db()
    # A move is not a cancellation: the question stays scheduled, at the new time.
    assert (question.booking_id, question.unscheduled_from_id) == (booking.pk, None)
    page = detail(employee_client, question)
    assert f"{TAKEN_UP} Thursday 5 February 10:30." in page
    assert api_question(employee_client, question)["booking_id"] == booking.pk


def test_cancel_and_book_again_with_the_same_note_keeps_one_question(employee, series):
    first_week, second_week = series.sessions.order_by("starts_at")[:2]
    booking, question = book_with_question(employee, first_week)
    booking_cancel(booking=booking, actor=employee)
    again, same = book_with_question(employee, second_week)
    assert same.pk == question.pk
    assert Question.objects.filter(author=employee).count() == 1
    assert Question.objects.get(pk=question.pk).booking_id == again.pk


def test_the_question_page_offers_to_bring_it_to_another_booking(
    employee_client, employee, session
):
    booking, question = book_with_question(employee, session)
    booking_cancel(booking=booking, actor=employee)
    other = booking_create(user=employee, slot_id=slot_at(session, 1).pk)
    url = reverse("questions:bring", args=[question.pk])
    page = detail(employee_client, question)
    assert f'action="{url}"' in page and f'value="{other.pk}"' in page
    assert "Bring it to my booking Thursday 5 February 10:15" in page

    response = employee_client.post(url, {"booking": other.pk})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.booking_id == other.pk
    assert f"{TAKEN_UP} Thursday 5 February 10:15." in detail(employee_client, question)


def test_bringing_refuses_bad_input_and_unusable_bookings(employee_client, employee, session):
    booking, question = book_with_question(employee, session)
    booking_cancel(booking=booking, actor=employee)
    url = reverse("questions:bring", args=[question.pk])
    assert employee_client.post(url, {"booking": "x"}).status_code == 400
    assert employee_client.post(url, {}).status_code == 400
    assert employee_client.post(url, {"booking": 999999}).status_code == 404
    assert employee_client.get(url).status_code == 405
    # The cancelled booking itself is no place to bring it.
    employee_client.post(url, {"booking": booking.pk})
    question.refresh_from_db()
    assert question.booking_id is None
    with pytest.raises(services.QuestionRefused):
        services.question_bring_to_booking(question=question, booking=booking, actor=employee)


def test_an_outsider_cannot_bring_someone_elses_question(
    other_client, employee, other_employee, session
):
    booking, question = book_with_question(employee, session)
    booking_cancel(booking=booking, actor=employee)
    theirs = booking_create(user=other_employee, slot_id=slot_at(session, 1).pk)
    mine = booking_create(user=employee, slot_id=slot_at(session, 2).pk)
    url = reverse("questions:bring", args=[question.pk])
    assert other_client.post(url, {"booking": theirs.pk}).status_code == 404
    assert other_client.post(url, {"booking": mine.pk}).status_code == 404
    question.refresh_from_db()
    assert question.booking_id is None


def test_nobody_can_bring_a_question_to_someone_elses_booking(
    employee_client, employee, other_employee, session
):
    booking, question = book_with_question(employee, session)
    booking_cancel(booking=booking, actor=employee)
    theirs = booking_create(user=other_employee, slot_id=slot_at(session, 1).pk)
    url = reverse("questions:bring", args=[question.pk])
    assert employee_client.post(url, {"booking": theirs.pk}).status_code == 404
    question.refresh_from_db()
    assert question.booking_id is None


def test_the_cancellation_email_offers_the_open_questions(
    employee, session, django_capture_on_commit_callbacks
):
    booking, question = book_with_question(employee, session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, actor=employee)
    [message] = [m for m in mail.outbox if employee.email in m.to]
    assert "still open" in message.body
    assert reverse("questions:detail", args=[question.pk]) in message.body
    assert "Your questions:" not in message.body


def bring_api(client, question, booking_id):
    return client.post(
        f"/api/v1/questions/{question.pk}/booking",
        {"booking_id": booking_id},
        content_type="application/json",
    )


def test_the_api_brings_an_unscheduled_question_to_a_booking(employee_client, employee, session):
    booking, question = book_with_question(employee, session)
    booking_cancel(booking=booking, actor=employee)
    other = booking_create(user=employee, slot_id=slot_at(session, 1).pk)
    refused = bring_api(employee_client, question, booking.pk)
    assert (refused.status_code, refused.json()["code"]) == (422, "booking_not_usable")
    assert bring_api(employee_client, question, "x").status_code == 422
    response = bring_api(employee_client, question, other.pk)
    assert response.status_code == 200
    assert response.json()["booking_id"] == other.pk


def test_an_outsider_cannot_bring_someone_elses_question_by_api(
    other_client, employee, other_employee, session
):
    booking, question = book_with_question(employee, session)
    booking_cancel(booking=booking, actor=employee)
    theirs = booking_create(user=other_employee, slot_id=slot_at(session, 1).pk)
    response = bring_api(other_client, question, theirs.pk)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    question.refresh_from_db()
    assert question.booking_id is None
