"""Questions: odd input and the corners a review found."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from officehours.privacy.services import retention_apply, user_delete
from officehours.questions import services
from officehours.questions.models import Question, StateChange


def ask(user, **kwargs):
    return services.question_create(author=user, title=kwargs.pop("title", "Får jag?"), **kwargs)


@pytest.mark.django_db
def test_odd_booking_prefill_is_ignored(employee_client):
    for value in ["²", "9" * 40, "-1", "x"]:
        assert employee_client.get(reverse("questions:ask"), {"booking": value}).status_code == 200


@pytest.mark.django_db
def test_odd_queue_input_is_never_a_500(adviser_client, employee):
    question = ask(employee)
    url = reverse("advisers_questions:queue")
    assert adviser_client.get(url, {"session": "9" * 30}).status_code in (200, 400)
    response = adviser_client.post(
        url, {"ids": ["9" * 30, str(question.pk)], "action": "assign_me"}
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.assigned_to is None


@pytest.mark.django_db
def test_colleagues_do_not_get_the_decline_reason(employee, adviser, other_client):
    question = ask(employee, shared=True)
    services.question_decline(question=question, adviser=adviser, reason="Anna, ring mig")
    response = other_client.get(f"/api/v1/questions/{question.pk}")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response.json()["decline_reason"] == ""


@pytest.mark.django_db
def test_followers_moved_by_a_merge_can_read_the_kept_question_anonymously(
    employee, other_employee, adviser, other_client
):
    kept = ask(employee, title="Privat men samma")
    duplicate = ask(other_employee, title="Samma fråga")
    # Private until the adviser chooses to share it (tests/test_deletion_keeps_others.py).
    services.question_merge(question=duplicate, into=kept, adviser=adviser, share_kept=True)
    body = other_client.get(f"/api/v1/questions/{kept.pk}").json()
    assert body["title"] == "Privat men samma"
    assert body["author_email"] is None


@pytest.mark.django_db
def test_advisers_answers_with_nul_bytes_are_400(employee, adviser_client):
    question = ask(employee)
    response = adviser_client.post(
        f"/api/v1/questions/{question.pk}/answer",
        {"body": "a\x00b"},
        content_type="application/json",
    )
    assert response.status_code == 400  # refused before the API (tests/test_odd_input.py)


@pytest.mark.django_db
def test_deleting_an_account_withdraws_open_questions_and_fixes_counts(employee, other_employee):
    open_question = ask(employee, title="Öppen", shared=True)
    theirs = ask(other_employee, title="Deras", shared=True)
    services.me_too_add(question=theirs, user=employee)
    user_delete(user=employee)
    open_question.refresh_from_db()
    theirs.refresh_from_db()
    assert (open_question.state, open_question.title, open_question.shared) == (
        "withdrawn",
        "",
        False,
    )
    assert theirs.me_too_count == 0


@pytest.mark.django_db
def test_retention_removes_the_author_from_the_state_log(employee, adviser):
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False):
        question = ask(employee)
        services.question_answer(question=question, adviser=adviser, body="Svar")
    with time_machine.travel(datetime(2027, 6, 1, tzinfo=UTC), tick=False):
        retention_apply(days=365)
    actors = set(StateChange.objects.filter(question=question).values_list("actor_id", flat=True))
    assert actors == {None, adviser.pk}
    assert Question.objects.get(pk=question.pk).author_id is None
