"""Search synonyms: both directions, phrases, at once after an edit, on both databases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from faq.models import SynonymGroup
from faq.search import faq_search
from faq.services import synonym_group_save
from tests.faq_factories import make_entry

pytestmark = pytest.mark.django_db


def titles(query):
    return {hit.title for hit in faq_search(query).hits}


@pytest.fixture
def entries(db):
    return {
        "twitter": make_entry("Ska vi lämna Twitter?", "Vi publicerar inte längre där."),
        "x": make_entry("Hur skyddar jag kontot på X?", "Slå på tvåstegsverifiering."),
        "some": make_entry("Vad är vår policy för sociala medier?", "Läs den på intranätet."),
    }


def test_a_group_works_in_both_directions(entries):
    assert titles("twitter") == {entries["twitter"].title}
    synonym_group_save(terms="X, Twitter")
    assert titles("twitter") == {entries["twitter"].title, entries["x"].title}
    assert entries["twitter"].title in titles("x")


def test_a_phrase_can_be_a_synonym(entries):
    synonym_group_save(terms="SoMe, sociala medier")
    assert entries["some"].title in titles("some")
    assert entries["some"].title in titles('"sociala medier"')


def test_edits_apply_to_the_next_search(entries, adviser_client):
    response = adviser_client.post(reverse("advisers_faq:synonyms"), {"terms": "X, Twitter"})
    assert response.status_code == 302
    assert entries["x"].title in titles("twitter")
    group = SynonymGroup.objects.get()
    adviser_client.post(reverse("advisers_faq:synonym", args=[group.pk]), {"terms": "X, Mastodon"})
    assert entries["x"].title not in titles("twitter")
    adviser_client.post(reverse("advisers_faq:synonym", args=[group.pk]), {"delete": "1"})
    assert not SynonymGroup.objects.exists()
    assert entries["twitter"].title not in titles("x")


def test_synonyms_with_other_syntax(entries):
    synonym_group_save(terms="X, Twitter")
    assert titles("twitter -lämna") == {entries["x"].title}
    found = faq_search("twitter tvåstegsverifiering")  # one entry has both; others have some
    assert found.all_total == 1 and found.hits[0].title == entries["x"].title


@pytest.mark.parametrize("terms", ["", "ensam", ",,,", "!!!, ???", "x, x"])
def test_a_group_needs_two_different_members(adviser_client, terms):
    response = adviser_client.post(reverse("advisers_faq:synonyms"), {"terms": terms})
    assert response.status_code == 422
    assert not SynonymGroup.objects.exists()
    assert f'value="{terms}"' in response.content.decode() or not terms


@pytest.mark.parametrize("terms", ["a' OR 1=1 --, b", '"quoted", (paren)', "a" * 400 + ", b"])
def test_odd_synonyms_never_break_search(entries, terms):
    synonym_group_save(terms=terms)
    for query in ("a", "b", "quoted", "paren"):
        assert titles(query) == set()  # the group's words are in no entry
    assert titles("twitter") == {entries["twitter"].title}


def test_only_advisers_manage_synonyms(client, employee):
    group = synonym_group_save(terms="X, Twitter")
    urls = [reverse("advisers_faq:synonyms"), reverse("advisers_faq:synonym", args=[group.pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(employee)
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"terms": "a, b", "delete": "1"}).status_code == 403
    assert SynonymGroup.objects.get().terms == "x, twitter"
