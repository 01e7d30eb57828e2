"""The FAQ API: search, one entry, feedback; who may call what."""

from __future__ import annotations

import pytest
from django.db import connection

from faq.models import Entry, Feedback, SearchLog
from faq.searchlog import search_logged
from officehours.accounts.tokens import api_token_create
from tests.faq_factories import make_entry, topic
from tests.people import make_user

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/faq/search"


def bearer(user):
    _stored, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def entries(db):
    return [
        make_entry(
            "Får jag svara en journalist?",
            "Ja, du har meddelarfrihet. Berätta gärna för presstjänsten.",
            topic=topic("crisis", "Kris"),
            tags=["media"],
        ),
        make_entry("Can I talk to a journalist?", "Yes. Tell the press office.", language="en"),
        make_entry("Utkast om journalister", state=Entry.DRAFT),
    ]


def test_search_returns_the_promised_shape(client, employee, entries, settings):
    response = client.get(SEARCH, {"q": "journalist"}, **bearer(employee))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "total", "total_exact", "suggestion", "match"}
    assert body["total"] == 2 and body["suggestion"] is None and body["total_exact"]
    first = body["results"][0]
    assert set(first) == {"id", "title", "url", "snippet", "topic", "language", "score"}
    by_id = {result["id"]: result for result in body["results"]}
    swedish = by_id[entries[0].pk]
    assert swedish["url"] == f"{settings.SITE_URL}/faq/{entries[0].slug}/"
    assert swedish["topic"] == "crisis" and swedish["language"] == "sv"
    assert isinstance(swedish["score"], float)


def test_search_filters_by_language_and_topic(client, employee, entries):
    headers = bearer(employee)
    english = client.get(SEARCH, {"q": "journalist", "language": "en"}, **headers).json()
    assert [result["language"] for result in english["results"]] == ["en"]
    crisis = client.get(SEARCH, {"q": "journalist", "topic": "crisis"}, **headers).json()
    assert [result["id"] for result in crisis["results"]] == [entries[0].pk]


def test_search_limit_defaults_to_ten_and_stops_at_fifty(client, employee):
    for number in range(12):
        make_entry(f"Fråga {number} om poddar", "Svar.")
    headers = bearer(employee)
    body = client.get(SEARCH, {"q": "poddar"}, **headers).json()
    assert len(body["results"]) == 10 and body["total"] == 12
    assert len(client.get(SEARCH, {"q": "poddar", "limit": 50}, **headers).json()["results"]) == 12
    for bad in ("51", "0", "-1", "ten"):
        response = client.get(SEARCH, {"q": "poddar", "limit": bad}, **headers)
        assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_a_misspelt_search_answers_with_a_suggestion(client, employee, entries):
    body = client.get(SEARCH, {"q": "jurnalist"}, **bearer(employee)).json()
    assert body["suggestion"] == "journalist" and body["total"] == 2


@pytest.mark.parametrize(
    "q", ["", '"', "-", "or", "a" * 20_000, "'; DROP TABLE faq_entry; --", "(&|!:*)"]
)
def test_odd_queries_answer_200(client, employee, entries, q):
    response = client.get(SEARCH, {"q": q}, **bearer(employee))
    assert response.status_code == 200
    assert response.json()["total"] >= 0


def test_a_bad_language_filter_is_a_clear_422(client, employee):
    response = client.get(SEARCH, {"q": "x", "language": "de"}, **bearer(employee))
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_api_searches_are_logged(client, employee, entries):
    client.get(SEARCH, {"q": "journalist"}, **bearer(employee))
    row = SearchLog.objects.get()
    assert (row.query, row.result_count) == ("journalist", 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_search_is_logged_and_later_commits_stay_durable(
    client, employee, entries
):
    client.get(SEARCH, {"q": "journalist", "language": "en"}, **bearer(employee))
    row = SearchLog.objects.get()
    assert (row.query, row.language, row.result_count, row.opened) == ("journalist", "en", 1, False)
    assert row.created_at is not None
    assert search_logged(query="policy", language="sv", result_count=0) > row.pk
    with connection.cursor() as cursor:  # whatever the log's own write did has ended
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_one_entry(client, employee, entries):
    entry = entries[0]
    response = client.get(f"/api/v1/faq/{entry.pk}", **bearer(employee))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == entry.pk and body["title"] == entry.title
    assert body["answer"] == entry.answer and "<p>" in body["answer_html"]
    assert body["tags"] == ["media"] and body["topic"] == "crisis"
    assert body["state"] == "published" and body["view_count"] == 1
    assert body["updated_at"].endswith(("Z", "+00:00"))


def test_drafts_are_404_for_employees_and_visible_to_advisers(client, employee, adviser, entries):
    draft = entries[2]
    assert client.get(f"/api/v1/faq/{draft.pk}", **bearer(employee)).status_code == 404
    response = client.get(f"/api/v1/faq/{draft.pk}", **bearer(adviser))
    assert response.status_code == 200 and response.json()["state"] == "draft"


@pytest.mark.parametrize("entry_id", ["0", "999999", "9" * 30, "abc"])
def test_unknown_or_odd_ids(client, employee, entries, entry_id):
    response = client.get(f"/api/v1/faq/{entry_id}", **bearer(employee))
    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("not_found", "invalid")


def test_feedback_one_vote_per_person_changeable(client, employee, other_employee, entries):
    url = f"/api/v1/faq/{entries[0].pk}/feedback"
    first = client.post(url, {"helpful": True}, content_type="application/json", **bearer(employee))
    assert first.status_code == 200
    assert first.json() == {
        "entry_id": entries[0].pk,
        "helpful": True,
        "comment": "",
        "helpful_count": 1,
        "unhelpful_count": 0,
    }
    changed = client.post(
        url,
        {"helpful": False, "comment": "För kort"},
        content_type="application/json",
        **bearer(employee),
    )
    assert changed.json()["helpful_count"] == 0 and changed.json()["unhelpful_count"] == 1
    client.post(url, {"helpful": True}, content_type="application/json", **bearer(other_employee))
    assert Feedback.objects.filter(entry=entries[0]).count() == 2


@pytest.mark.parametrize(
    "payload", [{}, {"helpful": "perhaps"}, {"helpful": True, "comment": "x" * 2001}]
)
def test_bad_feedback_is_422(client, employee, entries, payload):
    url = f"/api/v1/faq/{entries[0].pk}/feedback"
    response = client.post(url, payload, content_type="application/json", **bearer(employee))
    assert response.status_code == 422
    assert not Feedback.objects.exists()


def test_feedback_on_a_draft_is_404(client, adviser, employee, entries):
    url = f"/api/v1/faq/{entries[2].pk}/feedback"
    for user in (employee, adviser):
        response = client.post(
            url, {"helpful": True}, content_type="application/json", **bearer(user)
        )
        assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_strangers_get_401_and_unverified_accounts_403(client, entries):
    entry = entries[0]
    for method, url in (
        ("get", SEARCH),
        ("get", f"/api/v1/faq/{entry.pk}"),
        ("post", f"/api/v1/faq/{entry.pk}/feedback"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"
    unverified = make_user("ny@example.se", verified=False)
    response = client.get(SEARCH, {"q": "journalist"}, **bearer(unverified))
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/faq/{entry.pk}/feedback",
        {"helpful": True},
        content_type="application/json",
        **bearer(unverified),
    )
    assert response.status_code == 403


def test_faq_public_opens_reading_but_not_voting(client, entries, settings):
    settings.FAQ_PUBLIC = True
    assert client.get(SEARCH, {"q": "journalist"}).json()["total"] == 2
    assert client.get(f"/api/v1/faq/{entries[0].pk}").status_code == 200
    assert client.get(f"/api/v1/faq/{entries[2].pk}").status_code == 404
    response = client.post(
        f"/api/v1/faq/{entries[0].pk}/feedback", {"helpful": True}, content_type="application/json"
    )
    assert response.status_code == 401


def test_the_schema_lists_the_faq_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/faq/search",
        "/api/v1/faq/{entry_id}",
        "/api/v1/faq/{entry_id}/feedback",
    } <= set(paths)


def test_search_query_count_does_not_grow(client, employee, django_assert_max_num_queries):
    for number in range(30):
        make_entry(f"Fråga {number} om poddar", "Svar.", topic=topic())
    headers = bearer(employee)
    with django_assert_max_num_queries(8):
        assert client.get(SEARCH, {"q": "poddar", "limit": 50}, **headers).status_code == 200
