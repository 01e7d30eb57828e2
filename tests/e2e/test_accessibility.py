"""axe-core on every main page, in Swedish and in English; screenshots on the way.

No violation of impact serious or critical is allowed. The Swedish walk also writes
a 1280×800 screenshot of each page to var/screenshots/ (see README, Screenshots).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from officehours.accounts.models import User
from officehours.booking.models import Slot
from tests.e2e.support import demo_site, screenshot

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
SWITCH_TO = {"en": "English", "sv": "Svenska"}


def employee_pages(demo) -> list[tuple[str, str]]:
    booking = demo["booking"]
    free_slot = (
        Slot.objects.filter(session__series=booking.session.series, bookings__isnull=True)
        .exclude(session=booking.session)
        .order_by("starts_at")
        .first()
    )
    return [
        ("home", reverse("home")),
        ("faq", reverse("faq:index")),
        ("faq-search", reverse("faq:index") + "?q=journalist"),
        ("faq-search-nothing", reverse("faq:index") + "?q=deepfake"),
        ("faq-entry", reverse("faq:detail", args=[demo["published"].slug])),
        ("book", reverse("booking:book")),
        ("book-slot", reverse("booking:book_slot", args=[free_slot.pk])),
        ("my-bookings", reverse("booking:mine")),
        ("booked", reverse("booking:booked", args=[booking.pk])),
        ("cancel-booking", reverse("booking:cancel", args=[booking.pk])),
        ("reschedule", reverse("booking:reschedule", args=[booking.pk])),
        ("waitlist", reverse("booking:waitlist", args=[booking.session_id])),
        ("my-questions", reverse("questions:mine")),
        ("my-question", reverse("questions:detail", args=[demo["own_question"].pk])),
        ("ask", reverse("questions:ask")),
        ("shared-questions", reverse("questions:shared")),
        ("live-hour", reverse("live:hour", args=[booking.session_id])),
        ("live-presenter", reverse("live:present", args=[booking.session_id])),
        ("profile", reverse("accounts:profile")),
        ("not-found", "/faq/no-such-entry/"),
    ]


def adviser_pages(demo) -> list[tuple[str, str]]:
    entry = demo["entry"]
    return [
        ("adviser-home", reverse("adviser_home")),
        ("sessions", reverse("advisers:sessions")),
        ("agenda", reverse("advisers:agenda", args=[demo["session"].pk])),
        ("live-hour-adviser", reverse("live:hour", args=[demo["session"].pk])),
        ("series", reverse("advisers:series_list")),
        ("session-move", reverse("advisers:session_move", args=[demo["session"].pk])),
        ("series-form", reverse("advisers:series_edit", args=[demo["series"].pk])),
        ("series-new", reverse("advisers:series_create")),
        ("question-queue", reverse("advisers_questions:queue")),
        ("question", reverse("advisers_questions:detail", args=[demo["question"].pk])),
        ("faq-entries", reverse("advisers_faq:list")),
        ("faq-editor", reverse("advisers_faq:edit", args=[entry.pk])),
        ("faq-revisions", reverse("advisers_faq:revisions", args=[entry.pk])),
        ("faq-new", reverse("advisers_faq:new")),
        ("content-gaps", reverse("advisers_faq:gaps")),
        ("faq-tags", reverse("advisers_faq:tags")),
        ("topics", reverse("advisers_topics:list")),
        ("email-delivery", reverse("advisers_notifications:failures")),
        ("synonyms", reverse("advisers_faq:synonyms")),
        ("insights", reverse("insights:page") + "?period=year"),
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_main_pages_have_no_serious_accessibility_problems(open_page, language):
    demo = demo_site()
    # Signed-in people see their profile's language; visitors use the switcher.
    User.objects.filter(pk__in=[demo["employee"].pk, demo["adviser"].pk]).update(language=language)
    axe = Axe()
    problems: list[str] = []

    def check(page, name, path):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems.extend(blocking_violations(axe, page, name))
        if language == "sv":
            screenshot(page, name)

    visitor = open_page()
    visitor.goto(reverse("account_login"))
    if language != "sv":
        visitor.get_by_role("button", name=SWITCH_TO[language]).click()
    check(visitor, "sign-in", reverse("account_login"))
    check(visitor, "sign-up", reverse("account_signup"))
    check(visitor, "home-visitor", reverse("home"))

    employee = open_page(demo["employee"])
    for name, path in employee_pages(demo):
        check(employee, name, path)

    adviser = open_page(demo["adviser"])
    for name, path in adviser_pages(demo):
        check(adviser, name, path)

    assert not problems, f"{len(problems)} serious or critical axe findings:\n\n" + "\n\n".join(
        problems
    )


def _chart_text(rule, node) -> bool:
    """Insights charts: axe cannot see the page's white through an SVG, so it asks for a
    review of every label's contrast; they are near-black on white (checked by eye), and
    the same numbers are in the table beside each chart."""
    return rule["id"] == "color-contrast" and node["html"].startswith("<text ")


def blocking_violations(axe, page, name) -> list[str]:
    """Serious and critical violations, and what axe could not decide at those levels
    ("needs review": e.g. two fields with one id, where a label may name the wrong one)."""
    results = axe.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    found = []
    for kind, key in (("violation", "violations"), ("needs review", "incomplete")):
        for rule in results[key]:
            if rule["impact"] not in BLOCKING:
                continue
            for node in rule["nodes"]:
                if kind == "needs review" and _chart_text(rule, node):
                    continue
                found.append(
                    f"[{name}] {page.url}\n"
                    f"  {rule['id']} ({rule['impact']}, {kind}): {rule['help']}\n"
                    f"  at {' '.join(map(str, node['target']))}: {node['html'][:200]}\n"
                    f"  {node.get('failureSummary', '').replace(chr(10), ' ')}"
                )
    return found
