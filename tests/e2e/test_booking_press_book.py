"""Pressing "Boka" books (issue 17, point 2): the FAQ's suggestions never stand in the way.

With JavaScript they load beside the form as the note is typed; without it they
come as a step that says plainly that nothing is booked yet.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from officehours.booking.models import Booking
from tests.e2e.support import question_hour
from tests.faq_factories import make_entry
from tests.people import make_user

pytestmark = pytest.mark.e2e

NOTE = "Får jag dela chefens LinkedIn-inlägg från mitt privata konto?"


def _faq_entry():
    make_entry(NOTE, "Ja, gärna. Tänk på att du syns som medarbetare.", tags=["linkedin"])


def test_with_javascript_book_before_the_suggestions_have_loaded(open_page):
    anna = make_user("anna@example.se", name="Anna Andersson")
    _faq_entry()
    _series, session = question_hour()
    slot = session.slots.get(position=0)
    page = open_page(anna)
    # The suggestions never arrive: as if the note were pasted and "Boka" pressed at once.
    page.route("**/faq/suggest/**", lambda route: None)
    page.goto(f"/book/{slot.pk}/")
    page.get_by_label("Vad vill du fråga?").fill(NOTE)
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bokat:")
    expect(page).not_to_have_url(re.compile(rf"/book/{slot.pk}/$"))
    booking = Booking.objects.get(user=anna)
    assert booking.slot_id == slot.pk and booking.note == NOTE


def test_without_javascript_the_suggestions_step_says_nothing_is_booked_yet(open_page):
    anna = make_user("anna@example.se", name="Anna Andersson")
    _faq_entry()
    _series, session = question_hour()
    slot = session.slots.get(position=0)
    page = open_page(anna, javascript=False)
    page.goto(f"/book/{slot.pk}/")
    page.get_by_label("Vad vill du fråga?").fill(NOTE)
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Inget är bokat än.")
    expect(page.get_by_role("link", name=re.compile("LinkedIn-inlägg"))).to_be_visible()
    assert not Booking.objects.exists()
    expect(page.get_by_label("Vad vill du fråga?")).to_have_value(NOTE)
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bokat:")
    assert Booking.objects.get(user=anna).note == NOTE
