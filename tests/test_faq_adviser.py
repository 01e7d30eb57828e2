"""Advisers curate the FAQ: write, publish, archive, history, tags, gaps, from questions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from faq.models import Entry, Revision, SearchLog, Tag
from faq.search import faq_search
from officehours.questions import services as question_services
from officehours.questions.models import Question, QuestionEvent
from tests.faq_factories import make_entry, topic
from tests.people import make_user

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "title": "Hur länge sparar vi kommentarer?",
        "answer": "Vi sparar dem i **två år**.",
        "topic": topic().pk,
        "tags": "Arkiv, gallring, arkiv",
        "language": "sv",
    }
    data.update(overrides)
    return data


def test_an_adviser_writes_a_draft_then_publishes_it(adviser_client, adviser):
    response = adviser_client.post(reverse("advisers_faq:new"), form())
    entry = Entry.objects.get()
    assert response.status_code == 302 and entry.state == Entry.DRAFT
    assert sorted(entry.tags.values_list("name", flat=True)) == ["arkiv", "gallring"]
    assert faq_search("gallring").total == 0
    adviser_client.post(reverse("advisers_faq:state", args=[entry.pk]), {"state": "published"})
    entry.refresh_from_db()
    assert entry.state == Entry.PUBLISHED and entry.published_at is not None
    assert faq_search("gallring").total == 1
    assert [r.summary for r in entry.revisions.order_by("number")] == ["Skapad", "Publicerad"]


def test_save_and_publish_in_one_step(adviser_client):
    adviser_client.post(reverse("advisers_faq:new"), {**form(), "publish": "1"})
    assert Entry.objects.get().state == Entry.PUBLISHED


def test_preview_saves_nothing(adviser_client):
    response = adviser_client.post(reverse("advisers_faq:new"), {**form(), "preview": "1"})
    assert response.status_code == 200
    assert "<strong>två år</strong>" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_bad_form_keeps_what_was_typed(adviser_client):
    response = adviser_client.post(reverse("advisers_faq:new"), form(title="", answer="Mitt svar"))
    assert response.status_code == 400 and "Mitt svar" in response.content.decode()


def test_a_second_entry_with_the_same_title_is_refused_clearly(adviser_client):
    make_entry("Hur länge sparar vi kommentarer?")
    response = adviser_client.post(reverse("advisers_faq:new"), form(answer="Annat svar"))
    assert response.status_code == 409
    assert "Annat svar" in response.content.decode()
    assert Entry.objects.count() == 1


def test_archiving_hides_an_entry_from_readers(adviser_client, client, employee):
    entry = make_entry("Om Mastodon", "Vi finns inte där.")
    adviser_client.post(reverse("advisers_faq:state", args=[entry.pk]), {"state": "archived"})
    assert faq_search("mastodon").total == 0
    client.force_login(employee)
    assert client.get(reverse("faq:detail", args=[entry.slug])).status_code == 404


def test_every_change_is_kept_and_can_be_compared_and_restored(adviser_client, adviser):
    entry = make_entry("Om Threads", "Första svaret.")
    edit = reverse("advisers_faq:edit", args=[entry.pk])
    adviser_client.post(edit, form(title="Om Threads", answer="Andra svaret.", tags="threads"))
    adviser_client.post(edit, form(title="Om Threads", answer="Tredje svaret.", tags="threads"))
    adviser_client.post(edit, form(title="Om Threads", answer="Tredje svaret.", tags="threads"))
    numbers = list(entry.revisions.order_by("number").values_list("number", "answer"))
    assert numbers == [(1, "Första svaret."), (2, "Andra svaret."), (3, "Tredje svaret.")]

    page = adviser_client.get(reverse("advisers_faq:revisions", args=[entry.pk]), {"a": 1, "b": 3})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="removed"' in html and "Första svaret." in html
    assert 'class="added"' in html and "Tredje svaret." in html

    adviser_client.post(reverse("advisers_faq:restore", args=[entry.pk, 1]))
    entry.refresh_from_db()
    assert entry.answer == "Första svaret."
    latest = entry.revisions.order_by("-number").first()
    assert latest.number == 4 and latest.author == adviser and "1" in latest.summary
    assert faq_search("första").total == 1


def test_revision_pages_ignore_unknown_numbers(adviser_client):
    entry = make_entry("Om Bluesky")
    url = reverse("advisers_faq:revisions", args=[entry.pk])
    assert adviser_client.get(url, {"a": "x", "b": "99999999999"}).status_code == 200
    other = make_entry("Om Reddit")
    assert (
        adviser_client.post(reverse("advisers_faq:restore", args=[other.pk, 7])).status_code == 404
    )


def answered_question(author, follower=None):
    question = question_services.question_create(
        author=author,
        title="Får jag gilla kunders inlägg?",
        body="Jag heter Anna och …",
        shared=True,
    )
    if follower:
        question_services.me_too_add(question=question, user=follower)
    return question


def test_an_answered_question_becomes_a_draft_without_the_asker(
    adviser_client, adviser, employee, other_employee
):
    question = answered_question(employee, follower=other_employee)
    question_services.question_answer(
        question=question, adviser=adviser, body="Ja, med **omdöme**."
    )
    response = adviser_client.post(reverse("advisers_faq:from_question", args=[question.pk]))
    entry = Entry.objects.get()
    assert response["Location"] == reverse("advisers_faq:edit", args=[entry.pk])
    assert entry.state == Entry.DRAFT and entry.title == question.title
    assert entry.answer == "Ja, med **omdöme**."
    assert list(entry.source_questions.all()) == [question]
    everything = " ".join([entry.title, entry.answer, entry.tags_text])
    assert "Anna" not in everything and employee.email not in everything
    # Asking again opens the same draft.
    adviser_client.post(reverse("advisers_faq:from_question", args=[question.pk]))
    assert Entry.objects.count() == 1
    # Publishing tells the asker and the follower, once.
    assert not QuestionEvent.objects.filter(kind=QuestionEvent.PUBLISHED).exists()
    adviser_client.post(reverse("advisers_faq:state", args=[entry.pk]), {"state": "published"})
    told = QuestionEvent.objects.filter(kind=QuestionEvent.PUBLISHED, question=question)
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [employee.pk, other_employee.pk]
    )
    question.refresh_from_db()
    assert question.published
    adviser_client.post(reverse("advisers_faq:state", args=[entry.pk]), {"state": "archived"})
    adviser_client.post(reverse("advisers_faq:state", args=[entry.pk]), {"state": "published"})
    assert told.count() == 2


def test_an_open_question_cannot_become_an_entry(adviser_client, employee):
    question = answered_question(employee)
    response = adviser_client.post(reverse("advisers_faq:from_question", args=[question.pk]))
    assert response.status_code == 302 and not Entry.objects.exists()


def test_the_question_page_offers_the_draft(adviser_client, adviser, employee):
    question = answered_question(employee)
    question_services.question_answer(question=question, adviser=adviser, body="Ja.")
    html = adviser_client.get(reverse("advisers_questions:detail", args=[question.pk])).content
    assert reverse("advisers_faq:from_question", args=[question.pk]).encode() in html


def test_renaming_and_merging_tags_keeps_search_in_step(adviser_client):
    entry = make_entry("Om sociala medier", tags=["fb"])
    other = make_entry("Om sidor", tags=["facebook"])
    fb = Tag.objects.get(name="fb")
    adviser_client.post(reverse("advisers_faq:tag_change", args=[fb.pk]), {"name": "Facebook"})
    assert list(Tag.objects.values_list("name", flat=True)) == ["facebook"]
    assert {hit.id for hit in faq_search("facebook").hits} == {entry.pk, other.pk}
    tag = Tag.objects.get()
    adviser_client.post(reverse("advisers_faq:tag_change", args=[tag.pk]), {"delete": "1"})
    assert faq_search("facebook").total == 0


def test_content_gaps_list_what_found_nothing_or_was_not_opened(adviser_client):
    now = timezone.now()
    for query, results, opened in [
        ("TikTok", 0, False),
        ("tiktok", 0, False),
        ("mastodon", 0, False),
        ("policy", 3, False),
        ("policy", 3, False),
        ("linkedin", 2, True),
        ("linkedin", 2, False),
    ]:
        SearchLog.objects.create(query=query, language="sv", result_count=results, opened=opened)
    SearchLog.objects.create(
        query="gammalt", language="sv", result_count=0, created_at=now - timedelta(days=60)
    )
    response = adviser_client.get(reverse("advisers_faq:gaps"), {"days": "30"})
    report = response.context["report"]
    assert [(row["key"], row["searches"]) for row in report["nothing_found"]] == [
        ("tiktok", 2),
        ("mastodon", 1),
    ]
    assert [row["key"] for row in report["never_opened"]] == ["policy"]
    assert report["totals"] == {"searches": 7, "empty": 3, "opened": 1}
    older = adviser_client.get(reverse("advisers_faq:gaps"), {"days": "90"}).context["report"]
    assert "gammalt" in [row["key"] for row in older["nothing_found"]]


def test_the_list_shows_every_state_and_filters(adviser_client):
    make_entry("Publicerad om X")
    make_entry("Utkast om X", state=Entry.DRAFT)
    make_entry("Arkiverad om X", state=Entry.ARCHIVED)
    html = adviser_client.get(reverse("advisers_faq:list")).content.decode()
    assert "Publicerad om X" in html and "Utkast om X" in html and "Arkiverad om X" in html
    html = adviser_client.get(reverse("advisers_faq:list"), {"state": "draft"}).content.decode()
    assert "Utkast om X" in html and "Publicerad om X" not in html
    html = adviser_client.get(reverse("advisers_faq:list"), {"q": "utkast"}).content.decode()
    assert "Utkast om X" in html and "Publicerad om X" not in html


def test_the_list_keeps_its_query_count(adviser_client, django_assert_max_num_queries):
    for number in range(40):
        make_entry(f"Fråga {number}", topic=topic(), tags=["a", "b"])
    with django_assert_max_num_queries(12):
        assert adviser_client.get(reverse("advisers_faq:list")).status_code == 200


def adviser_urls(entry, question, tag):
    return [
        ("get", reverse("advisers_faq:list")),
        ("get", reverse("advisers_faq:new")),
        ("post", reverse("advisers_faq:new")),
        ("get", reverse("advisers_faq:edit", args=[entry.pk])),
        ("post", reverse("advisers_faq:edit", args=[entry.pk])),
        ("post", reverse("advisers_faq:state", args=[entry.pk])),
        ("get", reverse("advisers_faq:revisions", args=[entry.pk])),
        ("post", reverse("advisers_faq:restore", args=[entry.pk, 1])),
        ("post", reverse("advisers_faq:from_question", args=[question.pk])),
        ("get", reverse("advisers_faq:gaps")),
        ("get", reverse("advisers_faq:tags")),
        ("post", reverse("advisers_faq:tag_change", args=[tag.pk])),
    ]


def test_employees_and_strangers_cannot_use_adviser_pages(client, employee, adviser):
    entry = make_entry("Om X", tags=["x"], state=Entry.DRAFT)
    question = answered_question(employee)
    question_services.question_answer(question=question, adviser=adviser, body="Ja.")
    tag = Tag.objects.get()
    unverified = make_user("ny@example.se", verified=False)
    for persona, expected in ((None, 302), (employee, 403), (unverified, 403)):
        client.logout()
        if persona:
            client.force_login(persona)
        for method, url in adviser_urls(entry, question, tag):
            response = getattr(client, method)(url, form(state="published", name="y"))
            assert response.status_code == expected, (persona, method, url)
    entry.refresh_from_db()
    assert entry.state == Entry.DRAFT and entry.revisions.count() == 1
    assert Entry.objects.count() == 1 and Tag.objects.get().name == "x"
    assert Revision.objects.count() == 1 and Question.objects.get().faq_entries.count() == 0


def test_content_gaps_between_chosen_dates(adviser_client):
    stockholm = ZoneInfo("Europe/Stockholm")
    for day, query in ((1, "före"), (10, "inom"), (20, "inom"), (28, "efter")):
        SearchLog.objects.create(
            query=query,
            language="sv",
            result_count=0,
            created_at=datetime(2026, 3, day, 12, tzinfo=stockholm),
        )
    # 29 March 2026 is the spring daylight-saving change: the period still ends at local midnight.
    SearchLog.objects.create(
        query="natt", language="sv", result_count=0,
        created_at=datetime(2026, 3, 29, 23, 30, tzinfo=stockholm),
    )  # fmt: skip
    response = adviser_client.get(
        reverse("advisers_faq:gaps"), {"start": "2026-03-05", "end": "2026-03-29"}
    )
    rows = {row["key"]: row["searches"] for row in response.context["report"]["nothing_found"]}
    assert rows == {"inom": 2, "efter": 1, "natt": 1}
    backwards = adviser_client.get(
        reverse("advisers_faq:gaps"), {"start": "2026-03-29", "end": "2026-03-05"}
    )
    assert backwards.status_code == 200 and "errors" in backwards.content.decode()
    odd = adviser_client.get(reverse("advisers_faq:gaps"), {"start": "2026-13-45", "days": "x"})
    assert odd.status_code == 200
