"""The FAQ pages readers use: search (with and without htmx), entries, votes, the log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from faq.models import Entry, Feedback, SearchLog
from tests.faq_factories import make_entry, topic
from tests.people import make_user

pytestmark = pytest.mark.django_db

INDEX = reverse("faq:index")


def detail_url(entry):
    return reverse("faq:detail", args=[entry.slug])


@pytest.fixture
def entry(db):
    return make_entry(
        "Får jag dela chefens inlägg på LinkedIn?",
        "Ja, från ditt **privata** konto, om du vill.",
        topic=topic(),
        tags=["linkedin"],
    )


def test_search_shows_highlighted_results(employee_client, entry):
    response = employee_client.get(INDEX, {"q": "konto"})
    assert response.status_code == 200
    html = response.content.decode()
    assert entry.title in html and detail_url(entry) in html
    assert "<mark>konto</mark>" in html
    assert "<html" in html  # the whole page without JavaScript


def test_htmx_search_returns_only_the_results(employee_client, entry):
    response = employee_client.get(INDEX, {"q": "linkedin"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert entry.title in html and "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_going_back_after_typing_gets_the_whole_page(employee_client, entry):
    response = employee_client.get(
        INDEX, {"q": "linkedin"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_the_page_searches_as_you_type_with_htmx(employee_client, entry):
    html = employee_client.get(INDEX).content.decode()
    assert 'hx-get="/faq/"' in html and "delay:300ms" in html and 'hx-target="#faq-results"' in html


def test_nothing_found_offers_to_ask_with_the_text(employee_client, entry):
    response = employee_client.get(INDEX, {"q": "tiktok & <b>dans</b>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("questions:ask") + "?title=tiktok%20%26%20%3Cb%3Edans%3C/b%3E" in html
    assert "<b>dans</b>" not in html


def test_the_ask_page_takes_the_search_text(employee_client):
    response = employee_client.get(reverse("questions:ask"), {"title": "tiktok-dans"})
    assert 'value="tiktok-dans"' in response.content.decode()


def test_browsing_lists_published_entries_only(employee_client, entry):
    make_entry("Ett utkast om bloggar", state=Entry.DRAFT)
    make_entry("Ett arkiverat om bloggar", state=Entry.ARCHIVED)
    html = employee_client.get(INDEX).content.decode()
    assert entry.title in html
    assert "utkast" not in html and "arkiverat" not in html


def test_a_search_by_topic_and_language(employee_client, entry):
    english = make_entry("Can I share my manager's LinkedIn post?", "Yes.", language="en")
    html = employee_client.get(INDEX, {"q": "linkedin", "language": "en"}).content.decode()
    assert english.title.replace("'", "&#x27;") in html and entry.title not in html
    html = employee_client.get(INDEX, {"q": "linkedin", "topic": "guidelines"}).content.decode()
    assert entry.title in html and "manager" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 50_000},
        {"q": "linkedin", "page": "-1"},
        {"q": "linkedin", "page": "abc"},
        {"q": "linkedin", "page": "99999999999999999999"},
        {"topic": "<script>", "language": "de"},
        {"q": '"-or -"'},
    ],
)
def test_odd_search_parameters_never_fail(employee_client, entry, params):
    assert employee_client.get(INDEX, params).status_code == 200


def test_a_misspelt_search_says_what_it_searched_for(employee_client, entry):
    html = employee_client.get(INDEX, {"q": "linkdin"}).content.decode()
    assert entry.title in html and "<strong>linkedin</strong>" in html


# Who may read


def test_anonymous_readers_are_sent_to_sign_in(client, entry):
    for url in (INDEX, detail_url(entry)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_with_faq_public_anyone_reads_published_entries(client, entry, settings):
    settings.FAQ_PUBLIC = True
    assert entry.title in client.get(INDEX, {"q": "linkedin"}).content.decode()
    assert client.get(detail_url(entry)).status_code == 200
    draft = make_entry("Utkast", state=Entry.DRAFT)
    assert client.get(detail_url(draft)).status_code == 404


def test_an_unverified_account_may_not_read(client, entry):
    outsider = make_user("ny@example.se", verified=False)
    client.force_login(outsider)
    assert client.get(INDEX).status_code == 403
    assert client.get(detail_url(entry)).status_code == 403


def test_drafts_and_archived_entries_are_for_advisers_only(employee_client, adviser, db):
    draft = make_entry("Ett utkast", state=Entry.DRAFT)
    archived = make_entry("Ett arkiverat", state=Entry.ARCHIVED)
    for hidden in (draft, archived):
        assert employee_client.get(detail_url(hidden)).status_code == 404
    employee_client.force_login(adviser)
    for hidden in (draft, archived):
        response = employee_client.get(detail_url(hidden))
        assert response.status_code == 200 and hidden.title in response.content.decode()


# The entry page


def test_an_entry_shows_its_answer_and_when_it_was_updated(employee_client, entry):
    html = employee_client.get(detail_url(entry)).content.decode()
    assert "<strong>privata</strong>" in html
    assert "Senast uppdaterad" in html
    assert "linkedin" in html


def test_the_answer_is_sanitised(employee_client, db):
    evil = make_entry("Skript?", "<script>alert(1)</script> [x](javascript:alert(1))")
    html = employee_client.get(detail_url(evil)).content.decode()
    assert "<script>alert(1)" not in html and "javascript:alert" not in html


def test_a_reader_is_counted_once_a_day(frozen_now, employee_client, entry):
    employee_client.get(detail_url(entry))
    employee_client.get(detail_url(entry))
    entry.refresh_from_db()
    assert entry.view_count == 1  # the rest: tests/test_faq_counts.py


def test_related_entries_share_topic_or_tags(employee_client, entry):
    same_tag = make_entry("Ska jag ha LinkedIn i tjänsten?", tags=["linkedin"])
    unrelated = make_entry("Hur gör vi med TikTok?", topic=topic("platforms", "Plattformar"))
    html = employee_client.get(detail_url(entry)).content.decode()
    assert same_tag.title in html and unrelated.title not in html


# Was this helpful?


def vote(client, entry, helpful: str, comment: str = "", **headers):
    return client.post(
        reverse("faq:feedback", args=[entry.slug]),
        {"helpful": helpful, "comment": comment},
        **headers,
    )


def test_one_vote_per_person_which_can_change(employee_client, employee, entry):
    assert vote(employee_client, entry, "yes").status_code == 302
    assert vote(employee_client, entry, "no", "Saknar exempel").status_code == 302
    [feedback] = Feedback.objects.filter(entry=entry)
    assert feedback.user == employee and not feedback.helpful
    assert feedback.comment == "Saknar exempel"
    entry.refresh_from_db()
    assert (entry.helpful_count, entry.unhelpful_count) == (0, 1)


def test_votes_from_two_people_both_count(client, employee, other_employee, entry):
    client.force_login(employee)
    vote(client, entry, "yes")
    client.force_login(other_employee)
    vote(client, entry, "yes")
    entry.refresh_from_db()
    assert entry.helpful_count == 2


def test_voting_with_htmx_swaps_the_box(employee_client, entry):
    response = vote(employee_client, entry, "yes", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="feedback"' in html and "<html" not in html
    # The box counts the vote just given.
    assert "1 person tyckte att det här hjälpte." in html


def test_a_bad_vote_keeps_the_comment_and_says_why(employee_client, entry):
    response = vote(employee_client, entry, "maybe", "min kommentar")
    assert response.status_code == 400
    assert "min kommentar" in response.content.decode()
    assert not Feedback.objects.exists()


def test_anonymous_readers_of_a_public_faq_cannot_vote(client, entry, settings):
    settings.FAQ_PUBLIC = True
    response = vote(client, entry, "yes")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Feedback.objects.exists()


def test_nobody_votes_on_a_draft(client, adviser, db):
    draft = make_entry("Utkast", state=Entry.DRAFT)
    client.force_login(adviser)
    assert vote(client, draft, "yes").status_code == 404
    assert not Feedback.objects.exists()


def test_voting_needs_post(employee_client, entry):
    assert employee_client.get(reverse("faq:feedback", args=[entry.slug])).status_code == 405


# The search log


def test_searches_are_logged_without_who_searched(employee_client, entry):
    employee_client.get(INDEX, {"q": "linkedin"})
    employee_client.get(INDEX, {"q": "tiktok"}, HTTP_ACCEPT_LANGUAGE="sv")
    rows = {row.query: row for row in SearchLog.objects.all()}
    assert rows["linkedin"].result_count == 1 and rows["tiktok"].result_count == 0
    assert rows["linkedin"].language == "sv"
    field_names = {field.name for field in SearchLog._meta.get_fields()}
    assert not field_names & {"user", "session", "ip", "user_agent"}


def test_typing_updates_one_log_row_instead_of_adding_one_per_letter(employee_client, entry):
    for partial in ("l", "li", "link", "linkedin"):
        employee_client.get(INDEX, {"q": partial}, HTTP_HX_REQUEST="true")
    employee_client.get(INDEX, {"q": "tiktok"}, HTTP_HX_REQUEST="true")
    assert sorted(SearchLog.objects.values_list("query", flat=True)) == ["linkedin", "tiktok"]


def test_opening_a_result_marks_the_search(employee_client, entry):
    html = employee_client.get(INDEX, {"q": "linkedin"}).content.decode()
    link = html.split(detail_url(entry), 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link.startswith("?s=")
    employee_client.get(detail_url(entry) + link)
    assert SearchLog.objects.get().opened


def test_a_forged_opened_token_changes_nothing(employee_client, entry):
    employee_client.get(INDEX, {"q": "linkedin"})
    employee_client.get(detail_url(entry), {"s": "1"})
    employee_client.get(detail_url(entry), {"s": "x" * 1000})
    assert not SearchLog.objects.get().opened


# Query counts stay flat


def test_search_and_browse_pages_keep_their_query_count(
    employee_client, django_assert_max_num_queries
):
    for number in range(30):
        make_entry(f"Fråga {number} om bloggar", "Svar om bloggar.", topic=topic(), tags=["b"])
    with django_assert_max_num_queries(13):
        assert employee_client.get(INDEX, {"q": "bloggar"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert employee_client.get(INDEX).status_code == 200


def test_the_entry_page_keeps_its_query_count(
    employee_client, entry, django_assert_max_num_queries
):
    for number in range(20):
        make_entry(f"Mer om LinkedIn {number}", tags=["linkedin"], topic=topic())
    with django_assert_max_num_queries(14):
        assert employee_client.get(detail_url(entry)).status_code == 200
