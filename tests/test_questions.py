"""Questions: the state machine, visibility and anonymity, me-too, merge, limits, the API."""

from datetime import timedelta

import pytest

from officehours.booking.services.bookings import booking_create
from officehours.questions import services
from officehours.questions.models import MeToo, Question, QuestionEvent, StateChange
from officehours.questions.topics import topics_seed
from tests.people import make_user

# Sessions and logins at one fixed moment.
pytestmark = pytest.mark.usefixtures("frozen_now")


def ask(user, title="Får jag dela jobbinlägg privat?", **kwargs):
    return services.question_create(author=user, title=title, **kwargs)


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def refused(code, call):
    with pytest.raises(services.QuestionRefused) as info:
        call()
    assert info.value.code == code
    return info.value


# The state machine


@pytest.mark.django_db
def test_answer_records_the_change_and_tells_author_and_followers(
    employee, other_employee, adviser
):
    question = ask(employee, shared=True)
    services.me_too_add(question=question, user=other_employee)
    services.question_answer(question=question, adviser=adviser, body="Ja, men **märk** det.")
    question.refresh_from_db()
    assert (question.state, question.answered_by) == ("answered", adviser)
    changes = list(
        StateChange.objects.filter(question=question).values_list("from_state", "to_state", "actor")
    )
    assert changes == [("", "submitted", employee.pk), ("submitted", "answered", adviser.pk)]
    told = set(QuestionEvent.objects.filter(kind="answered").values_list("user_id", flat=True))
    assert told == {employee.pk, other_employee.pk}


@pytest.mark.django_db
def test_only_a_submitted_question_changes_state(employee, adviser):
    question = ask(employee)
    services.question_decline(question=question, adviser=adviser, reason="Utanför vårt område")
    refused(
        "not_open", lambda: services.question_answer(question=question, adviser=adviser, body="x")
    )
    refused(
        "not_open",
        lambda: services.question_decline(question=question, adviser=adviser, reason="x"),
    )
    refused("not_editable", lambda: services.question_withdraw(question=question, actor=employee))
    refused(
        "not_editable",
        lambda: services.question_update(
            question=question, title="n", body="", topic=None, shared=False
        ),
    )


@pytest.mark.django_db
def test_the_author_edits_and_withdraws_until_answered(employee):
    question = ask(employee)
    services.question_update(
        question=question, title="Ny titel", body="Mer", topic=None, shared=True
    )
    question.refresh_from_db()
    assert (question.title, question.shared) == ("Ny titel", True)
    services.question_withdraw(question=question, actor=employee)
    question.refresh_from_db()
    assert question.state == Question.WITHDRAWN


@pytest.mark.django_db
def test_merge_moves_followers_and_points_to_the_kept_question(employee, other_employee, adviser):
    third = make_user("cilla@example.se")
    kept = ask(employee, title="Policy för TikTok?", shared=True)
    duplicate = ask(other_employee, title="Får vi använda TikTok?", shared=True)
    services.me_too_add(question=duplicate, user=third)
    services.me_too_add(question=kept, user=third)  # already follows both: counted once
    services.question_merge(question=duplicate, into=kept, adviser=adviser)
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into_id) == ("merged", kept.pk)
    assert set(MeToo.objects.filter(question=kept).values_list("user_id", flat=True)) == {
        other_employee.pk,
        third.pk,
    }
    assert kept.me_too_count == 2
    refused(
        "merge_into_self",
        lambda: services.question_merge(question=kept, into=kept, adviser=adviser),
    )
    refused(
        "not_open", lambda: services.question_merge(question=duplicate, into=kept, adviser=adviser)
    )


@pytest.mark.django_db
def test_me_too_is_one_per_person_and_can_be_withdrawn(employee, other_employee):
    question = ask(employee, shared=True)
    assert services.me_too_add(question=question, user=other_employee) == 1
    assert services.me_too_add(question=question, user=other_employee) == 1
    refused("own_question", lambda: services.me_too_add(question=question, user=employee))
    assert services.me_too_remove(question=question, user=other_employee) == 0
    assert services.me_too_remove(question=question, user=other_employee) == 0
    private = ask(employee, title="Privat")
    refused("not_shared", lambda: services.me_too_add(question=private, user=other_employee))


@pytest.mark.django_db
def test_asking_is_rate_limited(employee, settings):
    settings.QUESTION_RATE_PER_HOUR = 3
    for n in range(3):
        ask(employee, title=f"Fråga {n}")
    error = refused("rate_limited", lambda: ask(employee, title="En till"))
    assert error.status == 429
    assert Question.objects.count() == 3


@pytest.mark.django_db
def test_a_question_joins_only_your_own_upcoming_booking(
    employee, other_employee, session, frozen_now
):
    mine = booking_create(user=employee, slot_id=session.slots.get(position=0).pk)
    theirs = booking_create(user=other_employee, slot_id=session.slots.get(position=1).pk)
    assert ask(employee, booking=mine).booking_id == mine.pk
    refused("booking_not_usable", lambda: ask(employee, booking=theirs))
    # After the session has started, no more questions on it.
    frozen_now.move_to(session.starts_at + timedelta(minutes=1))
    refused("booking_not_usable", lambda: ask(employee, booking=mine))


# The API


@pytest.mark.django_db
def test_ask_through_the_api(employee_client, employee):
    topics_seed()
    response = post(
        employee_client,
        "/api/v1/questions",
        {
            "title": "Journalist ringde",
            "body": "Vad *säger* jag?",
            "topic": "crisis",
            "shared": True,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "submitted"
    assert body["topic"]["slug"] == "crisis"
    assert body["body_html"] == "<p>Vad <em>säger</em> jag?</p>"
    assert (body["mine"], body["author_email"]) == (True, "anna@example.se")
    assert [q["id"] for q in employee_client.get("/api/v1/questions").json()] == [body["id"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 201},
        {"title": "a", "body": "x" * 10001},
        {"title": "a", "topic": "nope"},
        {"title": "a", "booking_id": 999},
    ],
)
def test_bad_questions_are_422(employee_client, payload):
    response = post(employee_client, "/api/v1/questions", payload)
    assert response.status_code == 422
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_a_shared_question_never_shows_its_author_to_colleagues(employee, other_client):
    question = ask(employee, shared=True)
    body = other_client.get(f"/api/v1/questions/{question.pk}").json()
    assert body["author_name"] is None and body["author_email"] is None
    assert body["booking_id"] is None
    assert "anna" not in str(body).lower()
    assert post(other_client, f"/api/v1/questions/{question.pk}/me-too").json() == {
        "me_too": True,
        "me_too_count": 1,
    }


@pytest.mark.django_db
def test_a_private_question_is_404_for_colleagues(employee, other_client):
    question = ask(employee)
    assert other_client.get(f"/api/v1/questions/{question.pk}").status_code == 404
    assert post(other_client, f"/api/v1/questions/{question.pk}/me-too").status_code == 404
    assert other_client.get("/api/v1/questions").json() == []


@pytest.mark.django_db
def test_advisers_see_the_author_and_answer(employee, adviser_client):
    question = ask(employee)
    body = adviser_client.get(f"/api/v1/questions/{question.pk}").json()
    assert body["author_email"] == "anna@example.se"
    answered = post(adviser_client, f"/api/v1/questions/{question.pk}/answer", {"body": "Ja."})
    assert (answered.status_code, answered.json()["state"]) == (200, "answered")
    again = post(adviser_client, f"/api/v1/questions/{question.pk}/answer", {"body": "Nej."})
    assert (again.status_code, again.json()["code"]) == (409, "not_open")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action,body",
    [("answer", {"body": "x"}), ("decline", {"reason": "x"}), ("merge", {"into_id": 1})],
)
def test_employees_cannot_use_adviser_endpoints(employee, employee_client, action, body):
    question = ask(employee)
    response = post(employee_client, f"/api/v1/questions/{question.pk}/{action}", body)
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    question.refresh_from_db()
    assert question.state == "submitted"


@pytest.mark.django_db
def test_decline_and_merge_through_the_api(employee, other_employee, adviser_client):
    one, two = ask(employee, title="A"), ask(other_employee, title="B")
    declined = post(adviser_client, f"/api/v1/questions/{one.pk}/decline", {"reason": "Fel forum"})
    assert declined.json()["decline_reason"] == "Fel forum"
    bad = post(adviser_client, f"/api/v1/questions/{two.pk}/merge", {"into_id": one.pk})
    assert (bad.status_code, bad.json()["code"]) == (422, "merge_target_closed")
    missing = post(adviser_client, f"/api/v1/questions/{two.pk}/merge", {"into_id": 999999})
    assert missing.status_code == 404


@pytest.mark.django_db
def test_topics_in_the_callers_language(employee_client, employee):
    topics_seed()
    names = {t["slug"]: t["name"] for t in employee_client.get("/api/v1/topics").json()}
    assert names["crisis"] == "Kris"
    employee.language = "en"
    employee.save()
    names = {t["slug"]: t["name"] for t in employee_client.get("/api/v1/topics").json()}
    assert names["crisis"] == "Crisis"


@pytest.mark.django_db
def test_user_text_is_sanitised_in_the_api(employee_client):
    response = post(
        employee_client,
        "/api/v1/questions",
        {
            "title": "<script>x</script>",
            "body": "[klick](javascript:alert(1)) <img src=x onerror=alert(1)>",
        },
    )
    body = response.json()
    assert "<script" not in body["body_html"]
    assert "javascript:" not in body["body_html"]
    assert "<img" not in body["body_html"]
    assert body["title"] == "<script>x</script>"  # plain text: templates escape it


@pytest.mark.django_db
def test_visitors_and_unverified_users_are_refused(client, employee):
    question = ask(employee, shared=True)
    assert client.get(f"/api/v1/questions/{question.pk}").status_code == 401
    client.force_login(make_user("new@example.se", verified=False))
    assert client.get(f"/api/v1/questions/{question.pk}").status_code == 403
    assert post(client, "/api/v1/questions", {"title": "x"}).status_code == 403
