"""From a search that finds nothing to a published answer a colleague finds.

Anna searches the FAQ, finds nothing, asks the comms team at the question hour,
downloads the invitation, cancels and books again; Rut answers her question from
the session agenda and publishes it to the FAQ; Bo searches with an inflected word,
finds the new entry and says it helped.
"""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from faq.models import Entry
from officehours.booking.models import Booking
from tests.e2e.support import question_hour, shown
from tests.faq_factories import make_entry
from tests.people import make_user

pytestmark = pytest.mark.e2e

QUESTION = "Får jag citera en journalist i vårt nyhetsbrev?"
ANSWER = "Ja, om du citerar kort och anger källa. Fråga journalisten om citatet är längre."


def test_a_question_from_a_fruitless_search_becomes_a_faq_entry(open_page):
    anna = make_user("anna@example.se", name="Anna Andersson", password="anna-password-2026")
    rut = make_user("rut@example.se", name="Rut Rådgivare", adviser=True)
    bo = make_user("bo@example.se", name="Bo Berg", language="en")
    make_entry("Hur modererar vi kommentarer på Facebook?", "Vänligt, snabbt och enligt policyn.")
    _series, session = question_hour(advisers=[rut])
    first_slot, second_slot = session.slots.order_by("position")[:2]

    page = open_page()
    sign_in(page, "anna@example.se", "anna-password-2026")
    employee_asks_at_the_question_hour(page, first_slot)
    employee_downloads_the_invitation(page, anna)
    employee_cancels_and_books_again(page, second_slot)

    adviser_answers_and_publishes(open_page(rut), session)

    colleague_finds_it_and_says_it_helped(open_page(bo))
    entry = Entry.objects.get(title=QUESTION)
    assert (entry.state, entry.helpful_count) == (Entry.PUBLISHED, 1)


def sign_in(page, email, password):
    page.goto("/faq/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/faq/$"))
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/faq/$"))
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def employee_asks_at_the_question_hour(page, slot):
    search = page.get_by_role("searchbox", name="Sök bland vanliga frågor")
    search.press_sequentially(QUESTION, delay=5)
    # htmx searches as she types (300 ms after the last key) and rewrites the address.
    expect(page.get_by_text(f"Inga träffar för ”{QUESTION}”.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=F%C3%A5r"))
    page.get_by_role("link", name="Fråga kommunikationsteamet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fråga kommunikationsteamet")
    expect(page.get_by_label("Din fråga")).to_have_value(QUESTION)
    page.get_by_role("link", name="Boka frågestunden").click()

    book_on_the_book_page(page, slot)
    note = page.get_by_label("Vad vill du fråga?")
    expect(note).to_have_value(QUESTION)
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bokat:")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du är bokad")
    expect(page.get_by_text(QUESTION)).to_be_visible()


def employee_downloads_the_invitation(page, user):
    booking = Booking.objects.get(user=user, status=Booking.ACTIVE)
    with page.expect_download() as info:
        page.get_by_role("link", name="Lägg till i kalendern", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == booking.slot.starts_at
    assert event.decoded("DTEND") == booking.slot.ends_at
    assert QUESTION in str(event["DESCRIPTION"])


def employee_cancels_and_books_again(page, slot):
    page.get_by_role("link", name="Avboka").click()
    page.get_by_role("button", name="Ja, avboka").click()
    expect(page.get_by_role("status")).to_contain_text("Avbokat:")
    expect(page.get_by_text("Du har inga kommande bokningar.")).to_be_visible()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Boka").click()
    book_on_the_book_page(page, slot)
    page.get_by_label("Vad vill du fråga?").fill(QUESTION)
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Bokat: {shown(slot.starts_at, 'l j F')}")


def adviser_answers_and_publishes(page, session):
    page.goto("/")
    page.get_by_role("link", name="Rådgivare", exact=True).click()
    page.get_by_role("link", name="Tillfällen och agendor").click()
    when = shown(session.starts_at, "SHORT_DATE_FORMAT")
    page.get_by_role("link", name=re.compile(when)).click()
    row = page.get_by_role("row").filter(has_text="Anna Andersson")
    row.get_by_role("link", name=QUESTION).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(QUESTION)
    page.get_by_label("Svar (Markdown)").fill(ANSWER)
    page.get_by_role("button", name="Svara", exact=True).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()

    page.get_by_role("button", name="Gör ett FAQ-utkast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera FAQ-svaret")
    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Svaret är publicerat.")


def colleague_finds_it_and_says_it_helped(page):
    page.goto("/faq/")
    # "journalister" (plural) finds the entry that says "journalist".
    page.get_by_role("searchbox", name="Search the FAQ").fill("journalister")
    results = page.locator("#faq-results")
    expect(results.get_by_role("link", name=QUESTION)).to_be_visible()
    results.get_by_role("link", name=QUESTION).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.get_by_text(ANSWER)).to_be_visible()
    page.get_by_role("button", name="Yes, it helped").click()
    expect(page.get_by_text("Thank you for telling us.")).to_be_visible()
    expect(page.get_by_text("1 person found this helpful.")).to_be_visible()


def book_on_the_book_page(page, slot):
    """Clicks "Boka HH:MM" in the card of the slot's week."""
    card = page.get_by_role("region", name=re.compile(shown(slot.starts_at, "l j F")))
    card.get_by_role("link", name=f"Boka {shown(slot.starts_at, 'H:i')}").click()
