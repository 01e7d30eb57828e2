"""The Content-Security-Policy in a browser (issue 18, point 8b): the main pages load
without Chromium refusing anything, and what htmx does on them still works.

Chromium reports each refusal twice: as a "Refused to …" console error, and as a
`securitypolicyviolation` event on the document, which a script added before the
page's own (Playwright's init script, outside the policy) writes down.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from officehours.booking.models import Booking, Slot
from tests.e2e.support import demo_site
from tests.e2e.test_accessibility import adviser_pages, employee_pages
from tests.people import make_user

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "demo-employee-2026"  # seed_demo's

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sample}`.trim());
});
"""


class Watched:
    """A page whose policy refusals, from the console and the events, are collected."""

    def __init__(self, page) -> None:
        self.page = page
        self.refused: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.refused.append(f"{self.page.url}: console: {message.text}")

    def collect(self) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        self.refused += [f"{self.page.url}: event: {event}" for event in events]
        # htmx told not to add its indicator <style> (base.html's htmx-config).
        if self.page.evaluate("document.querySelectorAll('style').length"):
            self.refused.append(f"{self.page.url}: a <style> element was added")

    def visit(self, path: str) -> None:
        self.page.goto(path)
        self.page.wait_for_load_state("networkidle")
        self.collect()


def test_the_main_pages_load_without_the_policy_refusing_anything(open_page):
    demo = demo_site()
    administrator = make_user("it@example.se", name="It", is_staff=True, is_superuser=True)
    refused: list[str] = []

    visitor = Watched(open_page())
    for path in (reverse("home"), reverse("account_login"), reverse("account_signup")):
        visitor.visit(path)
    employee = Watched(open_page(demo["employee"]))
    for _name, path in employee_pages(demo):
        employee.visit(path)
    # allauth's pages: its scripts are files (their data in JSON blocks); the QR code
    # for setting up two-factor sign-in is a data: image, after the password again.
    employee.visit("/api/v1/docs")  # django-ninja's Swagger UI
    expect(employee.page.locator("#swagger-ui .swagger-ui")).to_be_visible()  # it ran
    employee.visit(reverse("account_email"))
    employee.visit(reverse("mfa_index"))
    employee.visit(reverse("account_reauthenticate"))
    employee.page.locator("input[type=password]").fill(DEMO_PASSWORD)
    employee.page.locator("input[type=password]").press("Enter")
    employee.page.wait_for_load_state("networkidle")
    employee.visit(reverse("mfa_activate_totp"))
    expect(employee.page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    adviser = Watched(open_page(demo["adviser"]))
    for _name, path in adviser_pages(demo):
        adviser.visit(path)
    admin = Watched(open_page(administrator))
    for path in (
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[demo["employee"].pk]),
        reverse("admin:booking_session_change", args=[demo["session"].pk]),
    ):
        admin.visit(path)

    for watched in (visitor, employee, adviser, admin):
        refused += watched.refused
    assert not refused, "\n".join(refused)


def test_htmx_still_works_under_the_policy(open_page):
    demo = demo_site()
    booking = demo["booking"]

    # The adviser's agenda: a booking's form loads into its row.
    adviser = Watched(open_page(demo["adviser"]))
    adviser.visit(reverse("advisers:agenda", args=[booking.session_id]))
    row = adviser.page.locator(f"#booking-{booking.pk}")
    row.get_by_role("link", name=booking.user.name).click()
    expect(row.get_by_label("Närvaro")).to_be_focused()
    adviser.collect()

    # The FAQ's search: results replaced as one types, the address kept up to date.
    employee = Watched(open_page(demo["employee"]))
    employee.visit(reverse("faq:index"))
    employee.page.get_by_label("Sök bland vanliga frågor").fill("journalist")
    expect(employee.page).to_have_url(re.compile(r"/faq/\?q=journalist"))
    expect(employee.page.locator("#faq-results")).to_contain_text("journalist")
    employee.collect()

    # Booking: the FAQ's suggestions load beside the note, and with JavaScript "Boka"
    # books at once (static/js/book-form.js, where an hx-on attribute used to be).
    slot = (
        Slot.objects.filter(session__series=booking.session.series, bookings__isnull=True)
        .exclude(session=booking.session)
        .order_by("starts_at")
        .first()
    )
    employee.visit(reverse("booking:book_slot", args=[slot.pk]))
    employee.page.get_by_label("Vad vill du fråga?").fill("En journalist kontaktade mig")
    expect(employee.page.locator("#faq-suggestions")).to_contain_text("journalist")
    employee.page.get_by_role("button", name="Boka", exact=True).click()
    expect(employee.page.get_by_role("status")).to_contain_text("Bokat:")
    employee.collect()
    assert Booking.objects.filter(user=demo["employee"], slot=slot).exists()

    refused = adviser.refused + employee.refused
    assert not refused, "\n".join(refused)
