"""Booking journeys: the waitlist, without JavaScript, and by keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from faq.models import Entry
from officehours.booking.models import Booking, WaitlistEntry
from officehours.booking.services.bookings import booking_create
from tests.e2e.support import focused, question_hour, shown
from tests.faq_factories import make_entry
from tests.people import make_user

pytestmark = pytest.mark.e2e


def hhmm(slot) -> str:
    return shown(slot.starts_at, "H:i")


def test_a_cancellation_gives_the_seat_to_the_colleague_on_the_waitlist(open_page):
    anna = make_user("anna@example.se", name="Anna Andersson")
    bo = make_user("bo@example.se", name="Bo Berg", language="sv")
    # One 15-minute slot with one seat: Anna's booking fills the session.
    _series, session = question_hour(duration_minutes=15)
    [slot] = session.slots.all()
    booking_create(user=anna, slot_id=slot.pk, note="")

    bo_page = open_page(bo)
    bo_page.goto("/book/")
    card = bo_page.get_by_role("region", name=re.compile(shown(session.starts_at, "l j F")))
    expect(card.get_by_text("Fullbokad")).to_be_visible()
    card.get_by_role("link", name="Fullbokat: ställ dig på väntelistan").click()
    bo_page.get_by_label("Vad vill du fråga?").fill("Hur länge ska vi spara kommentarer?")
    bo_page.get_by_role("button", name="Ställ dig på väntelistan").click()
    expect(bo_page.get_by_role("status")).to_contain_text("Du står på väntelistan")
    expect(bo_page.get_by_text("Du väntar på en plats.")).to_be_visible()

    anna_page = open_page(anna)
    anna_page.goto("/bookings/")
    anna_page.get_by_role("link", name="Avboka").click()
    anna_page.get_by_role("button", name="Ja, avboka").click()
    expect(anna_page.get_by_role("status")).to_contain_text("Avbokat:")

    bo_page.reload()
    offer = f"En plats kl. {hhmm(slot)} är reserverad åt dig till"
    expect(bo_page.get_by_text(offer)).to_be_visible()
    bo_page.get_by_role("link", name="Ta platsen").click()
    bo_page.get_by_role("button", name="Boka", exact=True).click()
    expect(bo_page.get_by_role("status")).to_contain_text("Bokat:")
    expect(bo_page.get_by_text("Du väntar på en plats.")).to_have_count(0)
    assert Booking.objects.get(status=Booking.ACTIVE).user == bo
    assert not WaitlistEntry.objects.filter(user=bo, status=WaitlistEntry.WAITING).exists()


def test_booking_and_searching_work_without_javascript(open_page):
    anna = make_user("anna@example.se", name="Anna Andersson")
    _series, session = question_hour()
    slot = session.slots.order_by("position").first()
    page = open_page(anna, javascript=False)

    page.goto("/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    menu.get_by_role("link", name="Boka").click()
    week = page.get_by_role("region", name=re.compile(shown(slot.starts_at, "l j F")))
    week.get_by_role("link", name=f"Boka {hhmm(slot)}").click()
    page.get_by_label("Vad vill du fråga?").fill("Hur ofta ska vi publicera på Instagram?")
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page).to_have_url(re.compile(r"/bookings/\d+/booked/$"))
    expect(page.get_by_role("status")).to_contain_text("Bokat:")
    expect(page.get_by_text("Hur ofta ska vi publicera på Instagram?")).to_be_visible()

    # Published after the booking, so the booking form has no FAQ answers to suggest.
    make_entry("Hur modererar vi kommentarer på Facebook?", "Vänligt, snabbt och enligt policyn.")
    menu.get_by_role("link", name="Vanliga frågor").click()
    page.get_by_role("searchbox", name="Sök bland vanliga frågor").fill("kommentarer")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page).to_have_url(re.compile(r"/faq/\?q=kommentarer"))
    expect(page.get_by_text("1 svar")).to_be_visible()
    page.get_by_role("link", name="Hur modererar vi kommentarer på Facebook?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hur modererar vi kommentarer på Facebook?"
    )
    assert Entry.objects.get().view_count == 1


def test_booking_by_keyboard_alone_with_the_focus_always_visible(open_page):
    anna = make_user("anna@example.se", name="Anna Andersson")
    _series, session = question_hour()
    slot = session.slots.order_by("position")[1]
    page = open_page(anna)
    page.goto("/book/")
    seen = []

    def tab_to(name: str, href: str | None = None, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            now = focused(page)
            seen.append(now)
            assert now["visible"], f"focus does not show on {now['html']}"
            if now["name"] == name and href in (None, now["href"]):
                return
        pytest.fail(f"{name!r} not reached by Tab; focus went through {seen}")

    # The skip link comes first and jumps past the header.
    tab_to("Hoppa till innehållet", limit=1)
    page.keyboard.press("Enter")
    tab_to(f"Boka {hhmm(slot)}", href=f"/book/{slot.pk}/")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{hhmm(slot)}–")
    tab_to("Vad vill du fråga?")
    expect(page.get_by_label("Vad vill du fråga?")).to_be_focused()
    page.keyboard.type("Kan ni titta på vår LinkedIn-sida?")
    tab_to("Boka")
    page.keyboard.press("Space")

    expect(page.get_by_role("status")).to_contain_text("Bokat:")
    booking = Booking.objects.get(user=anna)
    assert (booking.slot, booking.note) == (slot, "Kan ni titta på vår LinkedIn-sida?")
    assert len(seen) > 5
