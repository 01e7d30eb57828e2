"""A search typed as a question: any of the words when too few entries have all of
them, abbreviations that match whole words, demo synonyms, the reader's language
first. Both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from faq import search_postgres, search_sqlite
from faq.models import SynonymGroup
from faq.search import faq_search
from faq.seed import faq_seed
from faq.services import synonym_group_save
from officehours.accounts.tokens import api_token_create
from tests.faq_factories import make_entry

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/faq/search"


def titles(query, **options):
    return [hit.title for hit in faq_search(query, **options).hits]


@pytest.fixture
def entries(db):
    return {
        "like": make_entry(
            "Gilla politiska inlägg", "Tänk efter innan du gillar något i tjänsten."
        ),
        "hate": make_entry("Hot och hat i kommentarerna", "Spara det någon skriver och anmäl det."),
        "headline": make_entry("Hur gör jag en bra rubrik?", "Kort och konkret."),
    }


def test_a_question_finds_entries_with_some_of_its_words(entries):
    found = faq_search("får jag gilla")
    assert found.match == "any" and found.all_total == 0
    assert [hit.title for hit in found.hits] == [entries["like"].title]
    found = faq_search("hur gör jag om någon skriver hat")
    assert found.match == "any"
    # "hur gör jag" are stop words: the headline entry shares only those.
    assert [hit.title for hit in found.hits] == [entries["hate"].title]


def test_enough_entries_with_every_word_need_no_fallback(db):
    for n in range(3):
        make_entry(f"Gilla inlägg {n}", "Gilla och dela.")
    make_entry("Gilla bara", "Inget mer.")
    found = faq_search("gilla dela")
    assert found.match == "all" and found.total == 3


def test_few_entries_with_every_word_are_joined_by_those_with_some(db):
    both = make_entry("Dela och gilla", "Båda.")
    one = make_entry("Gilla bara", "Inget mer.")
    found = faq_search("gilla dela")
    assert found.match == "any" and found.all_total == 1
    assert [hit.title for hit in found.hits] == [both.title, one.title]


def test_more_words_and_title_words_rank_higher(db):
    body_one = make_entry("Om kanaler", "Här står ordet moderering en gång.")
    title_one = make_entry("Moderering av sidan", "Ett svar.")
    title_two = make_entry("Moderering av kommentarer", "Ett svar.")
    assert titles("moderering kommentarer arkivering") == [
        title_two.title,
        title_one.title,
        body_one.title,
    ]


def test_exclusions_still_apply_to_the_fallback(entries):
    assert titles("får jag gilla -politiska") == []


def test_an_abbreviation_matches_whole_words_only(db):
    make_entry("Someone wrote to me", "Something odd.", language="en")
    make_entry("Kampanjen Someone", "Den pågår i maj.")
    make_entry("Vår SoMe-strategi", "Vi prioriterar få kanaler.")
    assert titles("SoMe") == ["Vår SoMe-strategi"]
    assert titles('"SoMe"') == ["Vår SoMe-strategi"]
    # A lower-case word is still the start of longer ones ("some" alone is an
    # English stop word on PostgreSQL, so the Swedish entry shows it on both).
    assert "Kampanjen Someone" in titles("some")


def test_demo_synonyms_are_seeded_once_and_work(db):
    social = make_entry("Vår policy för sociala medier", "Läs den på intranätet.")
    someone = make_entry("Someone wrote to me", "Something odd.", language="en")
    left = make_entry("Vi har lämnat Twitter", "Kontot finns kvar.")
    other = make_entry("Kontot på X", "Slå på tvåstegsverifiering.")
    xylo = make_entry("Xylofon i studion", "Ett instrument.")
    faq_seed()  # the demo entries too: those about social media are found as well
    faq_seed()
    assert SynonymGroup.objects.count() == 2
    assert social.title in titles("SoMe", limit=50)
    assert someone.title not in titles("SoMe", limit=50)
    # A synonym member: "some" is SoMe, no longer the start of "someone".
    assert social.title in titles("some", limit=50)
    assert someone.title not in titles("some", limit=50)
    assert {left.title, other.title} <= set(titles("twitter", limit=50))
    assert xylo.title not in titles("twitter", limit=50)
    assert left.title in titles("X", limit=50)


def test_the_readers_language_comes_first(db):
    swedish = make_entry("Ett svar om policy", "Ett svar.")
    english = make_entry("Policy, policy", "The policy, policy and policy.", language="en")
    assert titles("policy") == [english.title, swedish.title]  # by score alone
    assert titles("policy", prefer_language="sv") == [swedish.title, english.title]
    assert titles("policy", prefer_language="en") == [english.title, swedish.title]


def test_the_page_says_some_words_and_marks_the_other_language(client, employee, entries):
    make_entry("Liking posts at work", "Think before you like.", language="en")
    client.force_login(employee)
    html = client.get(reverse("faq:index"), {"q": "får jag gilla like"}).content.decode()
    assert "Inga svar innehöll alla orden; visar svar med några av dem." in html
    assert html.index(entries["like"].title) < html.index("Liking posts at work")
    assert '<span lang="en">In English</span>' in html
    assert "På svenska" not in html
    html = client.get(reverse("faq:index"), {"q": "gilla"}).content.decode()
    assert "Inga svar innehöll alla orden" not in html


def test_the_page_in_english(client, employee, english_employees, entries):
    client.force_login(employee)
    html = client.get(reverse("faq:index"), {"q": "får jag gilla"}).content.decode()
    assert "No answer contained all the words; showing answers with some of them." in html
    assert '<span lang="sv">På svenska</span>' in html


def test_the_api_says_how_the_results_match(client, employee, entries):
    _stored, raw = api_token_create(user=employee, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.get(SEARCH, {"q": "får jag gilla"}, **auth).json()
    assert body["match"] == "any"
    assert [hit["title"] for hit in body["results"]] == [entries["like"].title]
    assert client.get(SEARCH, {"q": "gilla"}, **auth).json()["match"] == "all"
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["SearchOut"]
    assert schema["properties"]["match"]["enum"] == ["all", "any"]


def test_a_synonym_group_written_by_an_adviser_keeps_working(db):
    entry = make_entry("Ska vi lämna Twitter?", "Vi publicerar inte längre där.")
    synonym_group_save(terms="X, Twitter")
    assert titles("x") == [entry.title]


@pytest.fixture
def plain_words(db):
    """Entries that use "har", "hur", "vilja" and "skriva", but not "hat", "vilka" or
    "skriver": the nearest real words to those are stop words, or misspellings of them."""
    return make_entry("Vilja skriva", "Hur du har skrivit det spelar roll.")


def test_did_you_mean_never_turns_a_word_into_a_stop_word(plain_words):
    # Before: PostgreSQL offered "… skriva har"; both databases "hurr" → "hur".
    assert _corrections(["skriver", "hat", "hurr"]) == {"skriver": "skriva"}
    found = faq_search("hur gör jag om någon skriver hat")
    assert found.suggestion is None or found.suggestion.split()[-1] == "hat"


def test_did_you_mean_leaves_stop_words_alone(plain_words):
    # "vilka" is a stop word: not a misspelling of "vilja", however close.
    assert _corrections(["vilka", "skriver"]) == {"skriver": "skriva"}
    assert "vilja" not in (faq_search("vilka skriver").suggestion or "")


def _corrections(words):
    backend = search_postgres if connection.vendor == "postgresql" else search_sqlite
    return backend.corrections(words)
