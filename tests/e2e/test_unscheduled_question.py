"""A cancelled booking's question is unscheduled, not lost (issue 17, point 1): the
question page says so, and the next booking's confirmation brings it along."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from officehours.booking.models import Booking
from officehours.questions.models import Question
from tests.e2e.support import question_hour, shown
from tests.people import make_user

pytestmark = pytest.mark.e2e

NOTE = "Får jag filma på kontoret till Instagram?"


def test_cancel_then_bring_the_question_to_another_time(open_page):
    anna = make_user("anna@example.se", name="Anna Andersson")
    _series, session = question_hour()
    first, second = session.slots.order_by("position")[:2]
    page = open_page(anna)

    # Book with a note: the note becomes a question on that booking.
    page.goto(f"/book/{first.pk}/")
    page.get_by_label("Vad vill du fråga?").fill(NOTE)
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bokat:")
    question = Question.objects.get(author=anna)

    # Cancel the booking.
    page.get_by_role("link", name="Avboka", exact=True).click()
    page.get_by_role("button", name="Ja, avboka").click()
    expect(page.get_by_role("status")).to_contain_text("Avbokat:")
    assert not Booking.objects.filter(user=anna, status=Booking.ACTIVE).exists()

    # The question page: no longer tied to a time, and a way to book one.
    page.goto(f"/questions/{question.pk}/")
    expect(page.get_by_text("avbokades. Frågan är fortfarande öppen")).to_be_visible()
    expect(page.get_by_text("Tas upp på frågestunden")).to_have_count(0)
    page.get_by_role("link", name="Boka frågestunden").click()

    # Book another time, without a note.
    page.get_by_role("link", name=f"Boka {shown(second.starts_at, 'H:i')}").first.click()
    expect(page.get_by_text(NOTE)).to_be_visible()  # offered already, before booking
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bokat:")

    # The confirmation offers the open question: bring it.
    expect(page.get_by_text("Du har öppna frågor som inte hör till någon bokning")).to_be_visible()
    page.get_by_role("button", name=f"Ta med ”{NOTE}”").click()
    expect(page.get_by_role("status")).to_contain_text("Din fråga")
    expect(page).to_have_url(re.compile(r"/bookings/\d+/booked/$"))
    expect(page.get_by_role("button", name=re.compile("Ta med"))).to_have_count(0)

    # The question shows the new time.
    page.get_by_role("link", name=NOTE).click()
    when = shown(second.starts_at, "l j F H:i")
    expect(page.get_by_text(f"Tas upp på frågestunden {when}.")).to_be_visible()
    question.refresh_from_db()
    assert question.booking.slot_id == second.pk
