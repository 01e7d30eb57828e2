"""Employees' question pages, and notes written while booking becoming questions."""

import pytest
from django.urls import reverse

from officehours.booking.services.bookings import booking_cancel, booking_create
from officehours.booking.services.waitlist import waitlist_join
from officehours.questions import services
from officehours.questions.models import MeToo, Question, Topic
from officehours.questions.services import question_from_note
from officehours.questions.topics import topics_seed
from tests.people import make_user

# Sessions and logins at one fixed moment.
pytestmark = pytest.mark.usefixtures("frozen_now", "english_employees")


def ask(user, **kwargs):
    return services.question_create(author=user, title=kwargs.pop("title", "Får jag?"), **kwargs)


@pytest.mark.django_db
def test_ask_in_writing_from_the_page(employee_client, employee):
    topics_seed()
    page = employee_client.get(reverse("questions:ask"), {"title": "policyn för TikTok"})
    assert 'value="policyn för TikTok"' in page.content.decode()
    response = employee_client.post(
        reverse("questions:ask"),
        {"title": "Policyn för TikTok?", "body": "Gäller den *alla*?", "topic": "guidelines"},
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("questions:detail", args=[question.pk])
    assert (question.author, question.topic.slug, question.shared) == (
        employee,
        "guidelines",
        False,
    )
    detail = employee_client.get(response.url).content.decode()
    assert "<em>alla</em>" in detail


@pytest.mark.django_db
def test_a_blank_question_is_a_400_that_keeps_the_text(employee_client):
    response = employee_client.post(
        reverse("questions:ask"), {"title": "  ", "body": "Mina detaljer"}
    )
    assert response.status_code == 400
    assert "Mina detaljer" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_my_questions_lists_only_mine(employee_client, employee, other_employee):
    ask(employee, title="Min fråga")
    ask(other_employee, title="Deras fråga", shared=True)
    body = employee_client.get(reverse("questions:mine")).content.decode()
    assert "Min fråga" in body and "Deras fråga" not in body


@pytest.mark.django_db
def test_colleagues_see_shared_questions_without_the_author(other_client, employee):
    question = ask(employee, title="Delad fråga", shared=True)
    listing = other_client.get(reverse("questions:shared")).content.decode()
    assert "Delad fråga" in listing
    page = other_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert "Delad fråga" in page
    assert "Anna" not in page and "anna@example.se" not in page
    other_client.post(reverse("questions:me_too", args=[question.pk]))
    assert MeToo.objects.filter(question=question).count() == 1
    other_client.post(reverse("questions:me_too", args=[question.pk]), {"action": "remove"})
    assert MeToo.objects.filter(question=question).count() == 0


@pytest.mark.django_db
def test_an_outsider_gets_404_for_a_private_question(other_client, employee):
    question = ask(employee, title="Privat")
    for name in ("questions:detail", "questions:edit"):
        assert other_client.get(reverse(name, args=[question.pk])).status_code == 404
    for name in ("questions:withdraw", "questions:me_too"):
        assert other_client.post(reverse(name, args=[question.pk])).status_code == 404
    assert "Privat" not in other_client.get(reverse("questions:shared")).content.decode()


@pytest.mark.django_db
def test_a_colleague_cannot_edit_or_withdraw_a_shared_question(other_client, employee):
    question = ask(employee, title="Delad", shared=True)
    assert other_client.get(reverse("questions:edit", args=[question.pk])).status_code == 404
    assert other_client.post(reverse("questions:withdraw", args=[question.pk])).status_code == 404
    question.refresh_from_db()
    assert question.state == "submitted"


@pytest.mark.django_db
def test_the_author_edits_and_withdraws(employee_client, employee):
    question = ask(employee)
    response = employee_client.post(
        reverse("questions:edit", args=[question.pk]), {"title": "Bättre titel", "body": ""}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "Bättre titel"
    employee_client.post(reverse("questions:withdraw", args=[question.pk]))
    question.refresh_from_db()
    assert question.state == "withdrawn"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["questions:mine", "questions:ask", "questions:shared"])
def test_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_user_text_is_escaped_on_the_pages(employee_client, employee):
    question = ask(employee, title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>")
    page = employee_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_a_note_written_while_booking_becomes_a_question(employee_client, employee, session):
    employee_client.force_login(employee)
    slot = session.slots.first()
    employee_client.post(
        reverse("booking:book_slot", args=[slot.pk]),
        {"note": "Får jag svara journalister?\nDe ringer ofta om projektet."},
    )
    question = Question.objects.get()
    assert question.title == "Får jag svara journalister?"
    assert "De ringer ofta" in question.body
    assert question.booking.slot_id == slot.pk
    assert question.author == employee


@pytest.mark.django_db
def test_a_one_line_note_makes_a_title_only_question(employee, session):
    booking = booking_create(user=employee, slot_id=session.slots.first().pk, note="Kort?")
    question = question_from_note(author=employee, note=booking.note, booking=booking)
    assert (question.title, question.body) == ("Kort?", "")
    assert question_from_note(author=employee, note="   ", booking=booking) is None


@pytest.mark.django_db
def test_booking_again_with_the_same_note_brings_the_open_question_along(employee, session):
    note = "Får jag svara journalister?\nDe ringer ofta."
    first, second = session.slots.order_by("position")[:2]
    booking = booking_create(user=employee, slot_id=first.pk, note=note)
    question = question_from_note(author=employee, note=note, booking=booking)
    booking_cancel(booking=booking, actor=employee)
    again = booking_create(user=employee, slot_id=second.pk, note=note)
    same = question_from_note(author=employee, note=note, booking=again)
    other = question_from_note(author=employee, note="Något annat?", booking=again)
    assert same.pk == question.pk
    assert Question.objects.get(pk=question.pk).booking_id == again.pk
    assert other.pk != question.pk
    assert Question.objects.filter(author=employee).count() == 2


@pytest.mark.django_db
def test_an_answered_question_is_not_reused_and_a_booked_one_not_taken(
    employee, adviser, series, session
):
    series.max_active_bookings = 2
    series.save()
    first, second = session.slots.order_by("position")[:2]
    answered = ask(employee, title="Kort?")
    services.question_answer(question=answered, adviser=adviser, body="Ja.")
    booking = booking_create(user=employee, slot_id=first.pk, note="Kort?")
    new = question_from_note(author=employee, note="Kort?", booking=booking)
    other_booking = booking_create(user=employee, slot_id=second.pk, note="Kort?")
    another = question_from_note(author=employee, note="Kort?", booking=other_booking)
    assert new.pk != answered.pk
    assert another.pk not in (new.pk, answered.pk)  # the first is on an active booking
    assert Question.objects.get(pk=new.pk).booking_id == booking.pk


@pytest.mark.django_db
def test_the_question_written_on_the_waitlist_follows_the_seat(employee, session):
    note = "Hur svarar vi på kritik?"
    slots = list(session.slots.order_by("position"))
    taken = [
        booking_create(user=make_user(f"full{i}@example.se"), slot_id=slot.pk)
        for i, slot in enumerate(slots)
    ]
    entry = waitlist_join(user=employee, session_id=session.pk, note=note)
    waiting = question_from_note(author=employee, note=note, waitlist_entry=entry)
    booking_cancel(booking=taken[0], actor=taken[0].user)  # the seat is offered
    booking = booking_create(user=employee, slot_id=slots[0].pk, note=note)
    booked = question_from_note(author=employee, note=note, booking=booking)
    assert booked.pk == waiting.pk
    assert Question.objects.filter(author=employee).count() == 1
    assert Question.objects.get(pk=waiting.pk).booking_id == booking.pk


@pytest.mark.django_db
def test_the_agenda_shows_each_bookings_questions(adviser_client, adviser, employee, session):
    booking = booking_create(user=employee, slot_id=session.slots.first().pk, note="x")
    ask(employee, title="Hur hanterar vi trollen?", booking=booking)
    adviser_client.force_login(adviser)
    page = adviser_client.get(reverse("advisers:agenda", args=[session.pk])).content.decode()
    assert "Hur hanterar vi trollen?" in page


@pytest.mark.django_db
def test_advisers_manage_topics(adviser_client, client, employee):
    url = reverse("advisers_topics:list")
    response = adviser_client.post(
        url,
        {"name_sv": "Video", "name_en": "Video", "slug": "video", "position": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="video")
    adviser_client.post(
        reverse("advisers_topics:edit", args=[topic.pk]),
        {"name_sv": "Film", "name_en": "Video", "slug": "video", "position": 1},
    )
    topic.refresh_from_db()
    assert (topic.name_sv, topic.is_active) == ("Film", False)
    bad = adviser_client.post(url, {"name_sv": "", "name_en": "", "slug": "video"})
    assert bad.status_code == 400
    client.force_login(employee)
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"name_sv": "X", "name_en": "X", "slug": "x", "position": 0}).status_code
        == 403
    )


@pytest.mark.django_db
def test_nothing_found_in_the_faq_offers_to_ask_with_the_text(employee_client):
    body = employee_client.get(reverse("faq:index"), {"q": "policyn & TikTok"}).content.decode()
    assert reverse("questions:ask") + "?title=policyn%20%26%20TikTok" in body


@pytest.mark.django_db
def test_the_question_comes_along_to_the_booking_form(employee_client, session):
    """Ask page → "Book the question hour" → a slot: the text typed in the search is kept."""
    carried = "?note=F%C3%A5r%20jag%20%26%20vill"
    slot = session.slots.first()
    ask_page = employee_client.get(reverse("questions:ask"), {"title": "Får jag & vill"})
    assert f'href="{reverse("booking:book")}{carried}"' in ask_page.content.decode()
    book_page = employee_client.get(reverse("booking:book") + carried).content.decode()
    slot_url = reverse("booking:book_slot", args=[slot.pk]) + carried
    assert f'href="{slot_url}"' in book_page
    form = employee_client.get(slot_url).content.decode()
    assert "Får jag &amp; vill</textarea>" in form
