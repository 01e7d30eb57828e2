"""The FAQ in the reader's language: their entries first, the others after, marked.

Bo reads in English (his profile): a search lists the English entries first and the
Swedish ones after them, each marked "På svenska", none hidden. Anna reads in
Swedish and sees the reverse, marked "In English"; she switches the site to English
and the same search turns round. A question typed as a sentence ("får jag gilla")
finds entries with some of its words, and the page says so.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

from tests.faq_factories import make_entry
from tests.people import make_user

pytestmark = pytest.mark.e2e

# By score alone these do not come grouped by language (without the reader's preference
# every test below but the last fails), so "one language first" is the preference at work.
SWEDISH = ["LinkedIn och LinkedIn för chefer", "Vårt konto på LinkedIn"]
ENGLISH = ["LinkedIn and LinkedIn at work", "Posting on LinkedIn as a team"]


@pytest.fixture
def entries(db):
    make_entry(SWEDISH[0], "LinkedIn är bra för rekrytering.")
    make_entry(ENGLISH[0], "LinkedIn is where recruiters look.", language="en")
    make_entry(SWEDISH[1], "Fråga kommunikationsavdelningen först.")
    make_entry(ENGLISH[1], "Ask the comms team first.", language="en")
    make_entry("Gilla politiska inlägg", "Tänk efter innan du gillar något i tjänsten.")


def test_an_english_reader_sees_english_entries_first_and_swedish_ones_marked(open_page, entries):
    bo = make_user("bo@example.se", name="Bo Berg", language="en")
    page = open_page(bo)
    results = search(page, "linkedin", field="Search the FAQ")
    assert results == [(title, None) for title in ENGLISH] + [
        (title, "På svenska") for title in SWEDISH
    ]


def test_a_swedish_reader_sees_the_reverse_and_the_switch_turns_it_round(open_page, entries):
    anna = make_user("anna@example.se", name="Anna Andersson")
    page = open_page(anna)
    results = search(page, "linkedin", field="Sök bland vanliga frågor")
    assert results == [(title, None) for title in SWEDISH] + [
        (title, "In English") for title in ENGLISH
    ]

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Svenska")).to_be_visible()
    assert page.get_by_role("searchbox").input_value() == "linkedin"  # the same search
    assert listed(page) == [(title, None) for title in ENGLISH] + [
        (title, "På svenska") for title in SWEDISH
    ]


def test_a_question_as_a_sentence_finds_entries_with_some_of_its_words(open_page, entries):
    anna = make_user("anna@example.se", name="Anna Andersson")
    page = open_page(anna)
    assert search(page, "får jag gilla", field="Sök bland vanliga frågor") == [
        ("Gilla politiska inlägg", None)
    ]
    expect(page.get_by_role("status").filter(has_text="några av dem")).to_have_text(
        "Inga svar innehöll alla orden; visar svar med några av dem."
    )


def search(page, query: str, *, field: str) -> list[tuple[str, str | None]]:
    page.goto("/faq/")
    box = page.get_by_label(field)
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/faq/\?q=" + re.escape(quote_plus(query))))
    return listed(page)


def listed(page) -> list[tuple[str, str | None]]:
    """Each result's title and its language mark, if any, in the order shown."""
    page.wait_for_load_state()
    items = page.locator("#faq-results ol.faq-results > li")
    expect(items.first).to_be_visible()
    rows = []
    for item in items.all():
        mark = item.locator(".language-label")
        rows.append(
            (item.get_by_role("heading").inner_text(), mark.inner_text() if mark.count() else None)
        )
    return rows
