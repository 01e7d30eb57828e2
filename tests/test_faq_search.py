"""The FAQ search service on the database under test (SQLite pass and PostgreSQL pass).

What only PostgreSQL can do (real stemming of irregular forms, trigram spelling)
is marked `postgres`; the rest must hold on both backends.
"""

from __future__ import annotations

import pytest
from django.db import connection

from faq import search_postgres
from faq.models import Entry
from faq.query import parse, to_tsquery
from faq.search import faq_search
from faq.services import entry_update
from tests.faq_factories import make_entry, topic

pytestmark = pytest.mark.django_db


def titles(query: str, **filters) -> list[str]:
    return [hit.title for hit in faq_search(query, **filters).hits]


@pytest.fixture
def entries():
    guidelines = topic("guidelines", "Riktlinjer")
    crisis = topic("crisis", "Kris")
    return {
        "policy": make_entry(
            "Var hittar jag vår policy för sociala medier?",
            "Policyn ligger på intranätet under Kommunikation.",
            topic=guidelines,
            tags=["riktlinjer"],
        ),
        "journalist": make_entry(
            "En journalist ringde mig. Vad gör jag?",
            "Du får alltid prata med media. Hänvisa gärna till presstjänsten.",
            topic=crisis,
        ),
        "crisis": make_entry(
            "Hur fungerar vår krishantering i sociala medier?",
            "Vid en kris pausar vi planerade inlägg och svarar med en gemensam text.",
            topic=crisis,
        ),
        "english": make_entry(
            "Can I delete comments on our Facebook page?",
            "Comments are official records. Hide rather than delete, and keep a copy.",
            language="en",
            topic=guidelines,
        ),
        "private": make_entry(
            "Gäller policyn mitt privata konto?",
            "Nej, men tänk på att du kan uppfattas som företrädare.",
            topic=guidelines,
        ),
    }


def test_inflected_forms_find_the_base_word(entries):
    # "journalister" (plural) finds "journalist"; "policyn" (definite) finds "policy".
    assert entries["journalist"].title in titles("journalister")
    assert entries["policy"].title in titles("policyn")


def test_a_phrase_must_match_in_order(entries):
    found = titles('"sociala medier"')
    assert entries["policy"].title in found and entries["crisis"].title in found
    assert titles('"medier sociala"') == []


def test_exclusion_removes_entries_with_the_word(entries):
    assert entries["private"].title in titles("policyn")
    found = titles("policyn -privata")
    assert entries["private"].title not in found
    assert entries["policy"].title in found


def test_or_finds_either(entries):
    found = titles("journalist or krishantering")
    assert entries["journalist"].title in found and entries["crisis"].title in found
    # No entry has both words: the search says so and falls back to either (faq.search).
    found = faq_search("journalist krishantering")
    assert found.match == "any" and found.all_total == 0


def test_half_typed_word_and_first_part_of_a_compound_match(entries):
    assert entries["journalist"].title in titles("journa")
    assert entries["crisis"].title in titles("kris")  # krishantering


def test_a_stop_word_is_the_start_of_a_longer_word_only_while_being_typed(db):
    # "om" before another word is the whole word: an English entry on omnichannel
    # publishing has every word of "om publishing" only if "om" may start "omnichannel".
    omni = make_entry("Omnichannel publishing", "Plan once, publish everywhere.", language="en")
    found = faq_search("om publishing")
    assert found.all_total == 0 and found.match == "any"
    assert [hit.title for hit in found.hits] == [omni.title]
    # As the last word it may still be half-typed ("om" on its way to "omnichannel").
    assert titles("publishing om") == [omni.title]


def test_misspelt_query_still_finds_the_entry_and_suggests_the_spelling(entries):
    results = faq_search("jornalist")
    assert results.suggestion == "journalist"
    assert entries["journalist"].title in [hit.title for hit in results.hits]


def test_no_suggestion_when_the_query_finds_something(entries):
    assert faq_search("journalist").suggestion is None


def test_no_suggestion_for_gibberish(entries):
    results = faq_search("qxzvw")
    assert results.hits == [] and results.total == 0 and results.suggestion is None


def test_language_filter(entries):
    assert titles("comments", language="sv") == []
    assert titles("comments", language="en") == [entries["english"].title]


def test_topic_filter(entries):
    assert titles("policyn", topic="crisis") == []
    assert entries["policy"].title in titles("policyn", topic="guidelines")
    assert titles("policyn", topic="no-such-topic") == []


def test_a_title_match_ranks_above_an_answer_match(db):
    body = make_entry("Får jag använda bilder?", "Fråga alltid om lov. Gäller även Instagram.")
    title = make_entry("Hur fungerar Instagram hos oss?", "Vi har ett konto som vi sköter.")
    assert titles("instagram") == [title.title, body.title]


def test_a_tag_match_ranks_above_an_answer_match(db):
    body = make_entry("Får jag filma?", "Tänk på upphovsrätt och på tiktok.")
    tagged = make_entry("Vilka plattformar finns?", "Se listan.", tags=["tiktok"])
    assert titles("tiktok") == [tagged.title, body.title]


def test_only_published_entries_are_found(db):
    make_entry("Utkast om mastodon", "Text.", state=Entry.DRAFT)
    make_entry("Arkiverat om mastodon", "Text.", state=Entry.ARCHIVED)
    assert titles("mastodon") == []
    assert len(titles("mastodon", states=(Entry.DRAFT, Entry.ARCHIVED))) == 2


def test_the_index_follows_edits(entries):
    entry = entries["journalist"]
    entry_update(
        entry=entry,
        title="En reporter ringde mig. Vad gör jag?",
        answer=entry.answer,
        language="sv",
    )
    assert entry.title not in titles("journalist")
    assert "En reporter ringde mig. Vad gör jag?" in titles("reporter")


def test_the_index_forgets_deleted_entries(entries):
    entries["journalist"].delete()
    assert titles("journalist") == []


def test_snippets_highlight_the_match_and_escape_the_text(db):
    make_entry("Om taggar", "Skriv aldrig <script>alert(1)</script> i ett **inlägg** om policy.")
    [hit] = faq_search("inlägg").hits
    assert "<mark>inlägg</mark>" in hit.snippet
    # Escaped (SQLite) or dropped as markup (PostgreSQL's ts_headline): never live.
    assert "<script" not in hit.snippet
    assert "**" not in hit.snippet


def test_total_counts_every_match_and_pages_follow(db):
    for number in range(7):
        make_entry(f"Fråga nummer {number} om bloggar", "Svar.")
    first = faq_search("bloggar", limit=3)
    assert first.total == 7 and len(first.hits) == 3
    rest = faq_search("bloggar", limit=3, offset=6)
    assert rest.total == 7 and len(rest.hits) == 1
    beyond = faq_search("bloggar", limit=3, offset=30)
    assert beyond.total == 7 and beyond.hits == []
    seen = {
        hit.id for offset in (0, 3, 6) for hit in faq_search("bloggar", limit=3, offset=offset).hits
    }
    assert len(seen) == 7


ODD_QUERIES = [
    "",
    "   ",
    '"',
    '"""',
    '"unclosed phrase',
    "-",
    "-policy",
    "or",
    "or or or",
    "AND OR NOT",
    "policy & | ! : * ( ) < > <-> '",
    "NEAR(policy kris)",
    "policy*",
    "^policy",
    "col:policy",
    "title:policy",
    "'; DROP TABLE faq_entry; --",
    "\x00policy\x00",
    "💥🙂",
    "ünïcödé ÅÄÖ",
    "a" * 5000,
    "policy " * 500,
    "_",
    "__init__",
    "1234567890",
    "https://example.se/?q=a&b=c",
    "\\",
    "%",
    "policy %s %(x)s",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_input_never_fails(entries, query):
    results = faq_search(query)
    assert results.total >= len(results.hits) >= 0
    faq_search(query, language="en", topic="crisis", limit=50, offset=40)


@pytest.mark.postgres
def test_postgres_searches_the_stored_vector_through_its_gin_index(entries):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM faq_entry WHERE id = %s", [entries["english"].pk]
        )
        # Indexed with the entry's own language: English stems, weights by field.
        assert "'comment':" in cursor.fetchone()[0]
        # Too few rows for the planner to prefer the index unaided.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM faq_entry e WHERE e.search_vector @@ {search_postgres._SV}",  # noqa: S608
            {"tsquery": to_tsquery(parse("policyn"))},
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "faq_entry_search_vector_gin" in plan


@pytest.mark.postgres
def test_a_broad_search_ranks_title_matches_first_and_says_there_are_more(db, monkeypatch):
    """Past the count cap (here 3) PostgreSQL ranks candidates from the title index and
    a sample of the rest: title matches still lead, and the total says "more than"."""
    monkeypatch.setattr(search_postgres, "COUNT_CAP", 3)
    monkeypatch.setattr(search_postgres, "BODY_SAMPLE", 2)
    body_only = [make_entry(f"Fråga {n}", f"Svar om bloggar nummer {n}.") for n in range(4)]
    in_title = make_entry("Hur bloggar vi?", "Kort svar.")
    tagged = make_entry("Om skrivande", "Svar.", tags=["bloggar"])
    excluded = make_entry("Bloggar och Facebook", "Facebook är inte en blogg.")
    results = faq_search("bloggar -facebook")
    assert (results.total, results.total_exact) == (3, False)
    ids = [hit.id for hit in results.hits]
    assert set(ids[:2]) == {in_title.pk, tagged.pk}
    assert excluded.pk not in ids
    assert set(ids[2:]) <= {entry.pk for entry in body_only}
    second = faq_search("bloggar -facebook", limit=2, offset=2)
    assert second.hits and second.hits[0].id not in (in_title.pk, tagged.pk)
    # Under the cap the total is exact.
    assert faq_search("kort").total_exact


def test_inflected_query_words_find_entries_that_only_use_another_form(db):
    """The stemmer alone misses these on PostgreSQL (it keeps "policyn" whole, and stems
    "kommentarer" and "kommentar" differently); SQLite has no stemmer at all."""
    policy = make_entry("Var finns reglerna?", "Läs vår policy för sociala medier.")
    comment = make_entry("Vad gör vi med en elak kommentar?", "Dölj den.")
    assert policy.title in titles("policyn")
    assert comment.title in titles("kommentarer")
    assert comment.title in titles("kommentaren")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_topic_filter_has_its_own_index_beside_the_words():
    """Migration faq/0008: one GIN index holds topic and words (btree_gin)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [["faq_entry_topic_vector", "faq_title_topic_vector"]],
        )
        found = dict(cursor.fetchall())
    assert "gin (topic_id, search_vector)" in found["faq_entry_topic_vector"]
    assert "gin (topic_id, vector)" in found["faq_title_topic_vector"]


@pytest.mark.postgres
def test_the_word_statistics_are_fine_enough_to_tell_a_rare_word(db):
    # At the default target (100) the planner estimated any word outside the thousand
    # commonest at 0.5 % of the entries: at a million entries a misspelt word that
    # matched nothing read the whole table (faq migration 0012).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute"
            " WHERE (attrelid, attname) IN (('faq_entry'::regclass, 'search_vector'),"
            " ('faq_entry_title_index'::regclass, 'vector'))"
        )
        targets = dict(cursor.fetchall())
    assert targets == {"faq_entry": 1000, "faq_entry_title_index": 1000}


def test_only_the_last_word_is_read_as_a_prefix_on_postgres():
    # A word followed by another is complete: its forms (the stemmer's, and the lightly
    # stemmed one) match whole, so the index looks up exact words (issue 21).
    assert to_tsquery(parse("policyn kris")) == "(('policyn' | 'policy') & 'kris':*)"
    assert to_tsquery(parse("kris SoMe")) == "('kris' & 'some')"
    assert to_tsquery(parse("kris -facebook")) == "('kris':* & !'facebook')"


@pytest.mark.postgres
def test_a_complete_word_finds_its_forms_but_not_longer_words(db):
    compound = make_entry("Krishantering på Facebook", "Pausa planerade inlägg.")
    whole = make_entry("Kris på Facebook", "Svara med en gemensam text.")
    reporter = make_entry("En journalist ringde", "Hänvisa till presstjänsten.")
    # "kris" before another word is the whole word: only the any-word reading, shown
    # after, finds the compound.
    found = faq_search("kris facebook")
    assert found.all_total == 1 and found.match == "any"
    assert [hit.title for hit in found.hits][:1] == [whole.title]
    assert compound.title in [hit.title for hit in found.hits]
    # A complete word still finds its other forms: the stemmer's, and the lightly
    # stemmed one.
    assert titles("journalister ringde") == [reporter.title]
