"""Issue 17's loose ends on the employees' booking pages: unscheduled questions offered
where a time is booked, no meeting link for a cancelled week, no ".ics" jargon, and
refusals shown inside the page they came from."""

import pytest
from django.urls import reverse

from officehours.booking.models import Session
from officehours.booking.services.bookings import booking_cancel, booking_create
from officehours.booking.services.sessions import session_cancel
from officehours.questions.models import Question
from officehours.questions.services import question_from_note
from tests.booking_factories import slot_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "english_employees")]

OFFER = "You have open questions that are not on any booking: bring them to this time"
LINK = "https://meet.example.se/fragestund"


def unscheduled_question(user, session, title="Får jag filma på jobbet?"):
    """A question whose booking was cancelled: open, on no booking."""
    booking = booking_create(user=user, slot_id=slot_at(session, 3).pk, note=title)
    question = question_from_note(author=user, note=booking.note, booking=booking)
    booking_cancel(booking=booking, actor=user)
    return question


def bring_form(question, booking, back) -> tuple[str, ...]:
    return (
        f'action="{reverse("questions:bring", args=[question.pk])}"',
        f'name="booking" value="{booking.pk}"',
        f'name="next" value="{back}"',
    )


# a) unscheduled questions offered on the confirmation and the book-a-slot pages ------


def test_the_confirmation_page_offers_to_bring_unscheduled_questions(
    employee_client, employee, session
):
    question = unscheduled_question(employee, session)
    booking = booking_create(user=employee, slot_id=slot_at(session, 1).pk)
    page_url = reverse("booking:booked", args=[booking.pk])
    page = employee_client.get(page_url).content.decode()
    assert OFFER in page
    assert "Bring “Får jag filma på jobbet?”" in page
    for part in bring_form(question, booking, page_url):
        assert part in page

    response = employee_client.post(
        reverse("questions:bring", args=[question.pk]),
        {"booking": booking.pk, "next": page_url},
    )

    assert (response.status_code, response.url) == (302, page_url)
    # Only back to a page of this site.
    response = employee_client.post(
        reverse("questions:bring", args=[question.pk]),
        {"booking": booking.pk, "next": "https://evil.example/"},
    )
    assert response.url == reverse("questions:detail", args=[question.pk])
    question.refresh_from_db()
    assert question.booking_id == booking.pk
    page = employee_client.get(page_url).content.decode()
    assert OFFER not in page  # brought: now listed among the booking's questions
    assert f'href="{reverse("questions:detail", args=[question.pk])}"' in page


def test_the_book_a_slot_page_offers_them_for_a_booking_of_that_slot(
    employee_client, employee, session
):
    question = unscheduled_question(employee, session)
    slot = slot_at(session, 1)
    page_url = reverse("booking:book_slot", args=[slot.pk])
    # Not booked yet: the questions are named, and the next page will bring them.
    page = employee_client.get(page_url).content.decode()
    assert OFFER in page and question.title in page
    assert reverse("questions:bring", args=[question.pk]) not in page
    booking = booking_create(user=employee, slot_id=slot.pk)
    page = employee_client.get(page_url).content.decode()
    for part in bring_form(question, booking, page_url):
        assert part in page
    response = employee_client.post(
        reverse("questions:bring", args=[question.pk]), {"booking": booking.pk, "next": page_url}
    )
    assert response.url == page_url
    assert Question.objects.get(pk=question.pk).booking_id == booking.pk


def test_no_offer_without_unscheduled_questions_or_for_a_cancelled_booking(
    employee_client, employee, session
):
    booking = booking_create(user=employee, slot_id=slot_at(session, 1).pk)
    page_url = reverse("booking:booked", args=[booking.pk])
    assert OFFER not in employee_client.get(page_url).content.decode()
    booking_cancel(booking=booking, actor=employee)
    unscheduled_question(employee, session)
    assert OFFER not in employee_client.get(page_url).content.decode()
    again = booking_create(user=employee, slot_id=slot_at(session, 2).pk)
    assert OFFER in employee_client.get(reverse("booking:booked", args=[again.pk])).content.decode()


def test_an_outsider_sees_no_offer_and_cannot_bring(
    other_client, employee, other_employee, session
):
    question = unscheduled_question(employee, session)
    theirs = booking_create(user=other_employee, slot_id=slot_at(session, 1).pk)
    mine = booking_create(user=employee, slot_id=slot_at(session, 2).pk)
    assert other_client.get(reverse("booking:booked", args=[mine.pk])).status_code == 404
    page = other_client.get(reverse("booking:booked", args=[theirs.pk])).content.decode()
    assert OFFER not in page and question.title not in page
    response = other_client.post(
        reverse("questions:bring", args=[question.pk]), {"booking": theirs.pk, "next": "/"}
    )
    assert response.status_code == 404
    assert Question.objects.get(pk=question.pk).booking_id is None
    # Their own unscheduled question is offered to them, not the other's.
    later = session.series.sessions.exclude(pk=session.pk).order_by("starts_at").first()
    own = unscheduled_question(other_employee, later, title="Min egen fråga")
    again = booking_create(user=other_employee, slot_id=slot_at(later, 0).pk)
    page = other_client.get(reverse("booking:booked", args=[again.pk])).content.decode()
    assert OFFER in page and own.title in page and question.title not in page


# b) a cancelled week shows no meeting link -----------------------------------------


def test_a_cancelled_week_shows_no_meeting_link(employee_client, employee, adviser, session):
    Session.objects.filter(series=session.series).update(meeting_url=LINK)
    assert LINK in employee_client.get(reverse("booking:book")).content.decode()
    session_cancel(session=session, reason="Personalmöte", actor=adviser)
    book = employee_client.get(reverse("booking:book")).content.decode()
    later = session.series.sessions.exclude(pk=session.pk).order_by("starts_at").first()
    cancelled_week = book.split(f'id="session-{session.pk}"')[1].split("</section>")[0]
    assert "No question hour this week." in cancelled_week
    assert LINK not in cancelled_week
    week_after = book.split(f'id="session-{later.pk}"')[1].split("</section>")[0]
    assert LINK in week_after


def test_a_booking_in_a_cancelled_week_shows_no_meeting_link(employee_client, employee, session):
    Session.objects.filter(pk=session.pk).update(meeting_url=LINK)
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    pages = [reverse("booking:mine"), reverse("home"), reverse("booking:booked", args=[booking.pk])]
    assert all(LINK in employee_client.get(url).content.decode() for url in pages)
    # As an adviser's cancellation is written, before its bookings are: the week is off.
    Session.objects.filter(pk=session.pk).update(status=Session.CANCELLED)
    for url in pages:
        assert LINK not in employee_client.get(url).content.decode(), url


# c) no ".ics" jargon in link text ---------------------------------------------------


def test_calendar_links_say_add_to_your_calendar(employee_client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    invite = reverse("booking:invite", args=[booking.pk])
    for url in (
        reverse("booking:mine"),
        reverse("home"),
        reverse("booking:booked", args=[booking.pk]),
    ):
        page = employee_client.get(url).content.decode()
        assert f'<a class="button" href="{invite}"' in page or f'<a href="{invite}"' in page
        assert 'title="Calendar file (.ics)">Add to your calendar</a>' in page, url
        assert "Download .ics" not in page and ".ics<" not in page
    employee.language = "sv"
    employee.save()
    page = employee_client.get(reverse("booking:mine")).content.decode()
    assert 'title="Kalenderfil (.ics)">Lägg till i kalendern</a>' in page


# d) refusals inside the page, with a 4xx ---------------------------------------------


def assert_in_layout(response, status, message):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<html" in page and 'role="alert"' in page and message in page
    assert 'href="/questions/"' in page or "<nav" in page  # the site's layout, not bare text
    return page


def test_cancelling_a_booking_that_is_no_longer_active_says_so_in_the_page(
    employee_client, employee, session
):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    booking_cancel(booking=booking, actor=employee)
    response = employee_client.post(reverse("booking:cancel", args=[booking.pk]))
    assert_in_layout(response, 409, "This booking is already cancelled.")


def test_leaving_a_waitlist_one_is_not_on_says_so_in_my_bookings(employee_client, session):
    response = employee_client.post(reverse("booking:waitlist_leave", args=[session.pk]))
    page = assert_in_layout(response, 404, "You are not on the waitlist")
    assert "Your bookings" in page


def test_bringing_without_a_booking_or_to_a_cancelled_one_says_so_in_the_page(
    employee_client, employee, session
):
    question = unscheduled_question(employee, session)
    question.refresh_from_db()
    cancelled = question.unscheduled_from
    url = reverse("questions:bring", args=[question.pk])
    page = assert_in_layout(employee_client.post(url, {}), 400, "Choose one of your bookings.")
    assert question.title in page
    response = employee_client.post(url, {"booking": cancelled.pk})
    assert_in_layout(response, 422, "Questions can be added to your own bookings")


def test_withdrawing_a_closed_question_says_so_in_the_page(employee_client, employee, session):
    question = unscheduled_question(employee, session)
    Question.objects.filter(pk=question.pk).update(state=Question.ANSWERED)
    response = employee_client.post(reverse("questions:withdraw", args=[question.pk]))
    assert_in_layout(
        response, 409, "Only a question that has not been answered yet can be changed."
    )


def test_me_too_on_ones_own_question_says_so_in_the_page(employee_client, employee, session):
    question = unscheduled_question(employee, session)
    Question.objects.filter(pk=question.pk).update(shared=True)
    response = employee_client.post(reverse("questions:me_too", args=[question.pk]))
    assert_in_layout(response, 409, "You cannot say “me too” to your own question.")
