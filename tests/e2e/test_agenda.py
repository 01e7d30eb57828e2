"""The advisers' agenda in a browser: a booking's form loaded into its row (htmx), the
same form as a page of its own without JavaScript, and cancelling a booking."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from officehours.booking.models import Booking
from officehours.booking.services.bookings import booking_create
from tests.e2e.support import question_hour
from tests.e2e.test_accessibility import blocking_violations
from tests.people import make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def hour():
    rut = make_user("rut@example.se", name="Rut Rådgivare", adviser=True)
    _series, session = question_hour(advisers=[rut])
    slots = list(session.slots.order_by("position"))
    anna, bo = (
        booking_create(user=make_user(email, name=name), slot_id=slot.pk, note=note)
        for email, name, slot, note in (
            ("anna@example.se", "Anna Andersson", slots[0], "Hur svarar jag på kritik?"),
            ("bo@example.se", "Bo Berg", slots[1], ""),
        )
    )
    return {"rut": rut, "session": session, "anna": anna, "bo": bo}


def test_attendance_and_note_in_the_row_then_cancelling_a_booking(open_page, hour):
    anna, bo = hour["anna"], hour["bo"]
    agenda = reverse("advisers:agenda", args=[hour["session"].pk])
    page = open_page(hour["rut"])
    page.goto(agenda)

    row = page.locator(f"#booking-{anna.pk}")
    row.get_by_role("link", name="Anna Andersson").click()
    attendance = row.get_by_label("Närvaro")
    expect(attendance).to_be_focused()  # in place of the link that was followed
    assert not blocking_violations(Axe(), page, "agenda with a row's form")
    attendance.select_option("attended")
    row.get_by_label("Intern anteckning").fill("Kom i tid")
    row.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(re.compile(rf"{agenda}#booking-{anna.pk}$"))
    expect(page.get_by_role("status")).to_contain_text("Närvaro sparad för Anna Andersson.")
    expect(page.locator(f"#booking-{anna.pk}")).to_contain_text("närvarade")
    expect(page.locator(f"#booking-{anna.pk}")).to_contain_text("Kom i tid")

    row = page.locator(f"#booking-{bo.pk}")
    row.get_by_role("link", name="Bo Berg").click()
    row.get_by_role("link", name="Avboka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avboka tiden för Bo Berg")
    assert not blocking_violations(Axe(), page, "cancel a booking")
    page.get_by_label("Orsak, som visas för Bo Berg").fill("Rådgivaren är sjuk")
    page.get_by_role("button", name="Avboka").click()

    expect(page.get_by_role("status")).to_contain_text("Bokningen för Bo Berg är avbokad.")
    expect(page.locator("#cancelled-heading + table")).to_contain_text("Rådgivaren är sjuk")
    bo.refresh_from_db()
    assert (bo.status, bo.cancel_reason) == (Booking.CANCELLED, "Rådgivaren är sjuk")

    page.goto(reverse("advisers:booking_edit", args=[anna.pk]))  # the form as a page
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Närvaro och anteckning: Anna Andersson"
    )
    assert not blocking_violations(Axe(), page, "a booking's form")


def test_without_javascript_the_form_is_a_page(open_page, hour):
    # (axe needs JavaScript: the first test checks this page.)
    anna = hour["anna"]
    page = open_page(hour["rut"], javascript=False)
    page.goto(reverse("advisers:agenda", args=[hour["session"].pk]))

    page.get_by_role("link", name="Anna Andersson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Närvaro och anteckning: Anna Andersson"
    )
    expect(page.get_by_text("Hur svarar jag på kritik?")).to_be_visible()
    page.get_by_label("Närvaro").select_option("no_show")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("status")).to_contain_text("Närvaro sparad för Anna Andersson.")
    anna.refresh_from_db()
    assert (anna.attendance, anna.adviser_note) == (Booking.NO_SHOW, "")
