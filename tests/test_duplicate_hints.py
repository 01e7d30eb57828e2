"""Duplicate hints for advisers: similar open questions and FAQ entries, one click away."""

from __future__ import annotations

import pytest
from django.urls import reverse

from officehours.questions import services as questions
from officehours.questions.models import Question
from officehours.questions.similar import best_duplicates, similar_questions
from tests.faq_factories import make_entry

pytestmark = pytest.mark.django_db


def ask(author, title, body=""):
    return questions.question_create(author=author, title=title, body=body)


@pytest.fixture
def asked(employee, other_employee):
    return {
        "mine": ask(employee, "Får jag dela chefens LinkedIn-inlägg från mitt privata konto?"),
        "twin": ask(other_employee, "Får jag dela chefens LinkedIn-inlägg från mitt privata konto"),
        "near": ask(other_employee, "Får jag gilla chefens inlägg på LinkedIn?"),
        "other": ask(other_employee, "När är nästa utbildning i krishantering?"),
    }


def test_a_near_identical_question_ranks_first(asked):
    found = similar_questions(asked["mine"])
    assert found and found[0] == asked["twin"]
    assert asked["other"] not in found and asked["mine"] not in found


def test_closed_questions_are_not_hinted(asked, adviser):
    questions.question_decline(question=asked["twin"], adviser=adviser, reason="Dubblett")
    assert asked["twin"] not in similar_questions(asked["mine"])


def hints(client, *questions_):
    ids = ",".join(str(q.pk) for q in questions_)
    return client.get(reverse("advisers_questions:hints"), {"ids": ids}).content.decode()


def test_the_queue_marks_likely_duplicates(adviser_client, asked):
    page = adviser_client.get(reverse("advisers_questions:queue")).content.decode()
    assert reverse("advisers_questions:hints") in page and 'hx-trigger="load"' in page
    assert f'id="hints-{asked["mine"].pk}"' in page
    html = hints(adviser_client, *asked.values())
    mine = html.split(f'id="hints-{asked["mine"].pk}"', 1)[1].split("</div>", 1)[0]
    assert reverse("advisers_questions:detail", args=[asked["twin"].pk]) in mine
    assert 'hx-swap-oob="true"' in html
    assert best_duplicates([asked["mine"]]) == {asked["mine"].pk: asked["twin"].pk}
    assert asked["other"].pk not in best_duplicates([asked["other"]])


@pytest.mark.parametrize("ids", ["", "x,y", "-1", "9" * 40, ",".join(["1"] * 500)])
def test_odd_hint_requests_answer_200(adviser_client, asked, ids):
    response = adviser_client.get(reverse("advisers_questions:hints"), {"ids": ids})
    assert response.status_code == 200


def test_only_advisers_get_hints(client, employee, asked):
    url = reverse("advisers_questions:hints")
    assert client.get(url, {"ids": asked["mine"].pk}).status_code == 302
    client.force_login(employee)
    assert client.get(url, {"ids": asked["mine"].pk}).status_code == 403


def test_merging_into_a_hint_is_one_click(adviser_client, asked):
    page = adviser_client.get(reverse("advisers_questions:detail", args=[asked["mine"].pk]))
    html = page.content.decode()
    assert f'name="into" value="{asked["twin"].pk}"' in html
    # The twin is private: the one click says that it shares it, and sends that choice.
    assert f"och dela #{asked['twin'].pk} med kollegor" in html
    adviser_client.post(
        reverse("advisers_questions:merge", args=[asked["mine"].pk]),
        {"into": asked["twin"].pk, "share_kept": "on"},
    )
    asked["mine"].refresh_from_db()
    assert asked["mine"].state == Question.MERGED and asked["mine"].merged_into == asked["twin"]
    assert Question.objects.get(pk=asked["twin"].pk).shared


def test_an_faq_entry_is_hinted_and_can_be_the_answer(adviser_client, adviser, asked, settings):
    entry = make_entry(
        "Får jag dela chefens LinkedIn-inlägg privat?", "Ja.", tags=["linkedin", "dela"]
    )
    url = reverse("advisers_questions:detail", args=[asked["mine"].pk])
    html = adviser_client.get(url).content.decode()
    assert entry.title in html and f"?link_entry={entry.pk}" in html
    page = adviser_client.get(url, {"link_entry": entry.pk})
    initial = page.context["answer_form"]["body"].value()
    assert initial == (
        f"Svaret finns i FAQ:n: [{entry.title}]({settings.SITE_URL}/faq/{entry.slug}/)"
    )
    adviser_client.post(
        reverse("advisers_questions:answer", args=[asked["mine"].pk]), {"body": initial}
    )
    asked["mine"].refresh_from_db()
    assert asked["mine"].state == Question.ANSWERED and entry.slug in asked["mine"].answer


@pytest.mark.parametrize("value", ["", "x", "0", "99999999", "9" * 40, "-1"])
def test_odd_link_entry_values_are_ignored(adviser_client, asked, value):
    url = reverse("advisers_questions:detail", args=[asked["mine"].pk])
    page = adviser_client.get(url, {"link_entry": value})
    assert page.status_code == 200 and not page.context["answer_form"]["body"].value()


def test_hints_keep_the_query_counts(
    adviser_client, employee, asked, django_assert_max_num_queries, settings
):
    settings.QUESTION_RATE_PER_HOUR = 1000
    for number in range(30):
        ask(employee, f"Får jag dela inlägg nummer {number} på LinkedIn?")
        make_entry(f"Om LinkedIn {number}", "Dela klokt.", tags=["linkedin"])
    with django_assert_max_num_queries(14):
        assert adviser_client.get(reverse("advisers_questions:queue")).status_code == 200
    every = Question.objects.filter(state=Question.SUBMITTED)
    with django_assert_max_num_queries(12):
        hints(adviser_client, *every)
    with django_assert_max_num_queries(26):
        url = reverse("advisers_questions:detail", args=[asked["mine"].pk])
        assert adviser_client.get(url).status_code == 200


def test_the_queue_points_to_an_faq_entry_that_may_answer(adviser_client, asked):
    entry = make_entry("Får jag dela chefens LinkedIn-inlägg privat?", "Ja.", tags=["linkedin"])
    html = hints(adviser_client, *asked.values())
    assert f"?link_entry={entry.pk}" in html
    other = html.split(f'id="hints-{asked["other"].pk}"', 1)[1].split("</div>", 1)[0]
    assert entry.title not in other  # the crisis training question is not about LinkedIn
