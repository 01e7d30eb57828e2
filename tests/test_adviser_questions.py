"""The advisers' question workspace: queue, filters, bulk actions, one question's actions."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officehours.booking.services.bookings import booking_create
from officehours.questions import services
from officehours.questions.models import (
    InternalNote,
    MeToo,
    Question,
    QuestionEvent,
    StateChange,
    Topic,
)
from tests.booking_factories import make_series
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("frozen_now", "english_adviser")

QUEUE = reverse("advisers_questions:queue")
ACTIONS = ("assign", "answer", "decline", "merge", "note")


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.QUESTION_RATE_PER_HOUR = 1000


def ask(user, title="Får jag dela jobbinlägg privat?", **kwargs):
    return services.question_create(author=user, title=title, **kwargs)


def detail_url(question):
    return reverse("advisers_questions:detail", args=[question.pk])


def action_url(question, action):
    return reverse(f"advisers_questions:{action}", args=[question.pk])


def listed(response):
    return [question.title for question in response.context["questions"]]


def refresh(question):
    question.refresh_from_db()
    return question


# Who may see and do what


@pytest.mark.django_db
def test_anonymous_visitors_go_to_login(client, employee):
    question = ask(employee)
    for url in (QUEUE, detail_url(question)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for action in ACTIONS:
        response = client.post(action_url(question, action), {})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(QUEUE, {}).status_code == 302


@pytest.mark.django_db
def test_employees_are_refused(employee_client, employee):
    question = ask(employee)
    assert employee_client.get(QUEUE).status_code == 403
    assert (
        employee_client.post(QUEUE, {"ids": [question.pk], "action": "assign_me"}).status_code
        == 403
    )
    assert employee_client.get(detail_url(question)).status_code == 403
    for action in ACTIONS:
        assert employee_client.post(action_url(question, action), {"body": "x"}).status_code == 403
    assert refresh(question).assigned_to is None


@pytest.mark.django_db
def test_advisers_see_the_pages_and_get_405_and_404(adviser_client, employee):
    question = ask(employee)
    assert adviser_client.get(QUEUE).status_code == 200
    assert adviser_client.get(detail_url(question)).status_code == 200
    for action in ACTIONS:
        assert adviser_client.get(action_url(question, action)).status_code == 405
    missing = Question(pk=question.pk + 1000)
    assert adviser_client.get(detail_url(missing)).status_code == 404
    for action in ACTIONS:
        response = adviser_client.post(
            action_url(missing, action), {"body": "x", "reason": "x", "into": question.pk}
        )
        assert response.status_code == 404
    assert adviser_client.put(detail_url(question)).status_code == 405


@pytest.mark.django_db
def test_forms_need_the_csrf_token(adviser, employee):
    question = ask(employee)
    client = Client(enforce_csrf_checks=True)
    client.force_login(adviser)
    page = client.get(detail_url(question))
    assert b"csrfmiddlewaretoken" in page.content
    assert client.post(action_url(question, "note"), {"body": "x"}).status_code == 403
    assert client.post(QUEUE, {"ids": [question.pk], "action": "assign_me"}).status_code == 403
    assert not InternalNote.objects.exists()


# The queue: filters and sorting


@pytest.fixture
def world(employee, other_employee, adviser, other_adviser):
    """A hand-built set of questions, in order of asking (a minute apart)."""
    series = make_series(weeks_ahead=2)
    first, second = series.sessions.order_by("starts_at")[:2]
    third = make_user("cilla@example.se", name="Cilla", language="en")
    pr = Topic.objects.create(slug="press", name_sv="Press", name_en="Press")
    web = Topic.objects.create(slug="web", name_sv="Webb", name_en="Web")
    booking_late_slot = booking_create(user=employee, slot_id=first.slots.get(position=2).pk)
    booking_early_slot = booking_create(user=other_employee, slot_id=first.slots.get(position=0).pk)
    booking_next_week = booking_create(user=third, slot_id=second.slots.get(position=0).pk)
    made = {}

    def make(name, minutes, **kwargs):
        with time_machine.travel(datetime(2026, 2, 1, 8, minutes, tzinfo=UTC), tick=False):
            made[name] = ask(kwargs.pop("author", employee), title=name, **kwargs)

    make("press-sv-late", 1, topic=pr, language="sv", booking=booking_late_slot)
    make(
        "press-en-early",
        2,
        author=other_employee,
        topic=pr,
        language="en",
        booking=booking_early_slot,
        shared=True,
    )
    make("web-en-next", 3, author=third, topic=web, language="en", booking=booking_next_week)
    make("web-sv-none", 4, topic=web, language="sv", shared=True)
    make("none-sv-answered", 5, language="sv")
    services.question_answer(question=made["none-sv-answered"], adviser=adviser, body="Svar")
    services.question_assign(question=made["press-sv-late"], assignee=adviser)
    services.question_assign(question=made["web-en-next"], assignee=other_adviser)
    for user in (third, adviser):
        services.me_too_add(question=made["web-sv-none"], user=user)
    services.me_too_add(question=made["press-en-early"], user=third)
    return {"questions": made, "first": first, "second": second}


@pytest.mark.django_db
def test_the_queue_shows_open_questions_oldest_first_by_default(adviser_client, world):
    response = adviser_client.get(QUEUE)
    assert listed(response) == ["press-sv-late", "press-en-early", "web-en-next", "web-sv-none"]
    assert b"Rut R\xc3\xa5dgivare" in response.content  # the assignee


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "press"}, ["press-sv-late", "press-en-early"]),
        ({"topic": "web"}, ["web-en-next", "web-sv-none"]),
        ({"state": "answered"}, ["none-sv-answered"]),
        ({"state": "declined"}, []),
        (
            {"state": "all"},
            ["press-sv-late", "press-en-early", "web-en-next", "web-sv-none", "none-sv-answered"],
        ),
        ({"language": "en"}, ["press-en-early", "web-en-next"]),
        ({"language": "sv"}, ["press-sv-late", "web-sv-none"]),
        ({"assigned": "unassigned"}, ["press-en-early", "web-sv-none"]),
        ({"assigned": "mine"}, ["press-sv-late"]),
        ({"topic": "web", "language": "sv"}, ["web-sv-none"]),
        ({"topic": "press", "assigned": "unassigned", "language": "en"}, ["press-en-early"]),
        (
            {"state": "all", "language": "sv", "sort": "newest"},
            ["none-sv-answered", "web-sv-none", "press-sv-late"],
        ),
        ({"sort": "newest"}, ["web-sv-none", "web-en-next", "press-en-early", "press-sv-late"]),
        ({"sort": "age"}, ["press-sv-late", "press-en-early", "web-en-next", "web-sv-none"]),
        ({"sort": "me_too"}, ["web-sv-none", "press-en-early", "press-sv-late", "web-en-next"]),
        ({"sort": "session"}, ["press-en-early", "press-sv-late", "web-en-next", "web-sv-none"]),
        (
            {"sort": "bogus", "topic": "nope"},
            ["press-sv-late", "press-en-early", "web-en-next", "web-sv-none"],
        ),
    ],
)
@pytest.mark.django_db
def test_filters_and_sorting(adviser_client, world, params, expected):
    response = adviser_client.get(QUEUE, params)
    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.django_db
def test_session_filter(adviser_client, world):
    first, second = world["first"], world["second"]
    response = adviser_client.get(QUEUE, {"session": first.pk, "sort": "session"})
    assert listed(response) == ["press-en-early", "press-sv-late"]
    response = adviser_client.get(QUEUE, {"session": second.pk, "topic": "press"})
    assert listed(response) == []
    response = adviser_client.get(QUEUE, {"session": second.pk})
    assert listed(response) == ["web-en-next"]


@pytest.mark.django_db
def test_the_queue_paginates(adviser_client, employee):
    for n in range(51):
        ask(employee, title=f"Fråga {n:02}")
    response = adviser_client.get(QUEUE, {"sort": "age", "language": "sv"})
    assert len(response.context["questions"]) == 50
    assert b"sort=age&amp;language=sv&amp;page=2" in response.content
    response = adviser_client.get(QUEUE, {"sort": "age", "language": "sv", "page": 2})
    assert listed(response) == ["Fråga 50"]


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"state": "all", "sort": "session"})
    assert response.status_code == 200
    return len(queries), len(response.context["questions"])


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_questions(adviser_client, employee, adviser):
    series = make_series(weeks_ahead=1, seats_per_slot=60)
    booking = booking_create(
        user=employee, slot_id=series.sessions.order_by("starts_at").first().slots.first().pk
    )
    topic = Topic.objects.create(slug="press", name_sv="Press", name_en="Press")

    def add(count):
        for n in range(count):
            question = ask(employee, title=f"Q{n}", topic=topic, booking=booking)
            services.question_assign(question=question, assignee=adviser)

    add(2)
    few, shown = _queue_queries(adviser_client)
    assert shown == 2
    add(48)
    many, shown = _queue_queries(adviser_client)
    assert shown == 50
    assert few == many


# Bulk actions


@pytest.mark.django_db
def test_bulk_assign_to_me_skips_closed_questions_and_keeps_the_filters(
    adviser_client, adviser, employee
):
    open_one, open_two, closed = ask(employee, title="a"), ask(employee, title="b"), ask(employee)
    services.question_withdraw(question=closed, actor=employee)
    url = f"{QUEUE}?state=all&sort=newest"
    response = adviser_client.post(
        url, {"ids": [open_one.pk, open_two.pk, closed.pk], "action": "assign_me"}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert refresh(open_one).assigned_to == adviser
    assert refresh(open_two).assigned_to == adviser
    assert refresh(closed).assigned_to is None
    page = adviser_client.get(response["Location"])
    text = page.content.decode()
    assert "2 questions assigned." in text
    assert "1 question was skipped: it is already closed." in text


@pytest.mark.django_db
def test_bulk_assign_to_another_adviser(adviser_client, other_adviser, employee):
    question = ask(employee)
    response = adviser_client.post(
        QUEUE, {"ids": [question.pk], "action": "assign", "assignee": other_adviser.pk}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert refresh(question).assigned_to == other_adviser


@pytest.mark.django_db
def test_bulk_assign_needs_an_adviser(adviser_client, employee, other_employee):
    question = ask(employee)
    for assignee in ("", other_employee.pk):
        response = adviser_client.post(
            QUEUE, {"ids": [question.pk], "action": "assign", "assignee": assignee}
        )
        assert response.status_code == 400
        assert "checked" in response.content.decode()
    assert refresh(question).assigned_to is None


@pytest.mark.django_db
def test_bulk_decline_needs_a_reason_and_skips_closed_ones(adviser_client, adviser, employee):
    first, second, answered = ask(employee, title="a"), ask(employee, title="b"), ask(employee)
    services.question_answer(question=answered, adviser=adviser, body="Svar")
    ids = [first.pk, second.pk, answered.pk]
    response = adviser_client.post(QUEUE, {"ids": ids, "action": "decline", "reason": "  "})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert refresh(first).state == Question.SUBMITTED
    response = adviser_client.post(
        f"{QUEUE}?topic=x", {"ids": ids, "action": "decline", "reason": "Utanför vårt område"}
    )
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?topic=x"
    assert refresh(first).state == refresh(second).state == Question.DECLINED
    assert refresh(first).decline_reason == "Utanför vårt område"
    assert refresh(answered).state == Question.ANSWERED
    text = adviser_client.get(QUEUE).content.decode()
    assert "2 questions declined." in text and "1 question was skipped" in text


@pytest.mark.django_db
def test_bulk_needs_a_selection_and_known_ids(adviser_client, employee):
    question = ask(employee)
    assert adviser_client.post(QUEUE, {"action": "assign_me"}).status_code == 400
    response = adviser_client.post(QUEUE, {"ids": [question.pk + 99], "action": "assign_me"})
    assert response.status_code == 400
    assert adviser_client.post(QUEUE, {"ids": [question.pk], "action": "x"}).status_code == 400


# One question


@pytest.mark.django_db
def test_the_detail_page_shows_everything(adviser_client, adviser, employee, other_employee):
    series = make_series(weeks_ahead=1)
    booking = booking_create(
        user=employee, slot_id=series.sessions.order_by("starts_at").first().slots.first().pk
    )
    topic = Topic.objects.create(slug="press", name_sv="Press", name_en="Press")
    question = ask(
        employee,
        title="Pressmeddelande?",
        body="Hur **gör** jag?",
        topic=topic,
        booking=booking,
        shared=True,
        language="en",
    )
    services.me_too_add(question=question, user=other_employee)
    services.note_add(question=question, adviser=adviser, body="Jag tar den")
    response = adviser_client.get(detail_url(question))
    text = response.content.decode()
    for expected in (
        "Pressmeddelande?",
        "Hur <strong>gör</strong> jag?",
        "Anna Andersson",
        "anna@example.se",
        "Press",
        "Bo Berg",
        "Jag tar den",
        "Rut Rådgivare",
        reverse("advisers:agenda", args=[booking.session_id]),
    ):
        assert expected in text, expected
    assert len(response.context["state_log"]) == 1
    assert response.context["state_log"][0].to_state == Question.SUBMITTED


@pytest.mark.django_db
def test_assign_to_self_and_to_another_adviser(adviser_client, adviser, other_adviser, employee):
    question = ask(employee)
    response = adviser_client.post(action_url(question, "assign"), {"assignee": adviser.pk})
    assert response.status_code == 302 and response["Location"] == detail_url(question)
    assert refresh(question).assigned_to == adviser
    adviser_client.post(action_url(question, "assign"), {"assignee": other_adviser.pk})
    assert refresh(question).assigned_to == other_adviser
    response = adviser_client.post(action_url(question, "assign"), {"assignee": employee.pk})
    assert response.status_code == 400
    services.question_withdraw(question=question, actor=employee)
    response = adviser_client.post(action_url(question, "assign"), {"assignee": adviser.pk})
    assert response.status_code == 409
    assert "already closed" in response.content.decode()


@pytest.mark.django_db
def test_preview_then_answer(adviser_client, adviser, employee, other_employee):
    question = ask(employee, shared=True)
    services.me_too_add(question=question, user=other_employee)
    url = action_url(question, "answer")
    response = adviser_client.post(url, {"body": "Ja, **märk** det.", "preview": "1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ja, <strong>märk</strong> det." in text  # the preview
    assert "Ja, **märk** det.</textarea>" in text  # the text is kept
    assert refresh(question).state == Question.SUBMITTED
    assert not QuestionEvent.objects.exists()

    response = adviser_client.post(url, {"body": "Ja, **märk** det.", "answer": "1"})
    assert response.status_code == 302 and response["Location"] == detail_url(question)
    question = refresh(question)
    assert (question.state, question.answer, question.answered_by) == (
        Question.ANSWERED,
        "Ja, **märk** det.",
        adviser,
    )
    assert StateChange.objects.filter(
        question=question, from_state="submitted", to_state="answered", actor=adviser
    ).exists()
    told = set(QuestionEvent.objects.filter(kind="answered").values_list("user_id", flat=True))
    assert told == {employee.pk, other_employee.pk}
    page = adviser_client.get(detail_url(question)).content.decode()
    assert "The question is answered." in page
    assert "Ja, <strong>märk</strong> det." in page

    response = adviser_client.post(url, {"body": "Igen", "answer": "1"})
    assert response.status_code == 409
    assert "already closed" in response.content.decode()


@pytest.mark.django_db
def test_an_empty_answer_is_400_and_changes_nothing(adviser_client, employee):
    question = ask(employee)
    for extra in ({"answer": "1"}, {"preview": "1"}):
        response = adviser_client.post(action_url(question, "answer"), {"body": "  ", **extra})
        assert response.status_code == 400
        assert "Write the answer first." in response.content.decode()
    assert refresh(question).state == Question.SUBMITTED


@pytest.mark.django_db
def test_decline_requires_a_reason(adviser_client, adviser, employee):
    question = ask(employee)
    url = action_url(question, "decline")
    response = adviser_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert refresh(question).state == Question.SUBMITTED
    response = adviser_client.post(url, {"reason": "Utanför vårt område"})
    assert response.status_code == 302
    question = refresh(question)
    assert (question.state, question.decline_reason) == (Question.DECLINED, "Utanför vårt område")
    assert StateChange.objects.filter(question=question, to_state="declined").exists()
    assert QuestionEvent.objects.filter(question=question, kind="declined").exists()


@pytest.mark.django_db
def test_merge_and_its_refusals(adviser_client, adviser, employee, other_employee):
    kept = ask(employee, title="Policy för TikTok?", shared=True)
    duplicate = ask(other_employee, title="Får vi använda TikTok?")
    withdrawn = ask(employee, title="Tillbakadragen")
    services.question_withdraw(question=withdrawn, actor=employee)
    url = action_url(duplicate, "merge")

    response = adviser_client.post(url, {"into": duplicate.pk})
    assert response.status_code == 422
    assert "cannot be merged into itself" in response.content.decode()
    response = adviser_client.post(url, {"into": withdrawn.pk})
    assert response.status_code == 422
    assert "Merge into a question that is open or answered." in response.content.decode()
    response = adviser_client.post(url, {"into": kept.pk + 999})
    assert response.status_code == 400
    assert "There is no question with that number." in response.content.decode()
    response = adviser_client.post(url, {"into": "abc"})
    assert response.status_code == 400
    assert 'value="abc"' in response.content.decode()
    assert refresh(duplicate).state == Question.SUBMITTED

    response = adviser_client.post(url, {"into": kept.pk})
    assert response.status_code == 302 and response["Location"] == detail_url(duplicate)
    duplicate = refresh(duplicate)
    assert (duplicate.state, duplicate.merged_into) == (Question.MERGED, kept)
    assert MeToo.objects.filter(question=kept, user=other_employee).exists()

    response = adviser_client.post(url, {"into": kept.pk})
    assert response.status_code == 409
    assert "already closed" in response.content.decode()


@pytest.mark.django_db
def test_notes(adviser_client, adviser, employee):
    question = ask(employee)
    url = action_url(question, "note")
    response = adviser_client.post(url, {"body": "  "})
    assert response.status_code == 400
    assert "Write the note first." in response.content.decode()
    response = adviser_client.post(url, {"body": "x" * 4001})
    assert response.status_code == 400
    assert not InternalNote.objects.exists()
    response = adviser_client.post(url, {"body": "Ring presschefen först."})
    assert response.status_code == 302 and response["Location"] == detail_url(question)
    note = InternalNote.objects.get()
    assert (note.question, note.author, note.body) == (question, adviser, "Ring presschefen först.")
    page = adviser_client.get(detail_url(question)).content.decode()
    assert "Ring presschefen först." in page and "The internal note is saved." in page
    # Notes can be added to closed questions too.
    services.question_withdraw(question=question, actor=employee)
    assert adviser_client.post(url, {"body": "Stängd"}).status_code == 302


@pytest.mark.django_db
def test_user_text_is_escaped(adviser_client, adviser, employee):
    evil = "<script>alert(1)</script>"
    question = ask(employee, title=f"Titel {evil}", body=f"Text {evil}")
    services.note_add(question=question, adviser=adviser, body=f"Not {evil}")
    for page in (adviser_client.get(QUEUE), adviser_client.get(detail_url(question))):
        text = page.content.decode()
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    response = adviser_client.post(
        action_url(question, "answer"), {"body": f"Svar {evil}", "preview": "1"}
    )
    assert "<script>alert" not in response.content.decode()
    response = adviser_client.post(action_url(question, "decline"), {"reason": ""})
    assert "<script>alert" not in response.content.decode()
