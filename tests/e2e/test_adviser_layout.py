"""The advisers' pages on a phone (390 px) and a desktop: nothing wider than the screen,
nothing cut off, and selects wide enough for their options."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.support import demo_site

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MEETING_URL = (
    "https://teams.example.se/l/meetup-join/19%3ameeting_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
)

# Elements of <main> that reach past the screen's edges or whose content is wider than
# their box while it is hidden (clipped); what is visually hidden (clip) is meant so.
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const hidden = [...document.querySelectorAll("main *")].filter(
    el => getComputedStyle(el).clip.startsWith("rect"));
  const cut = [];
  for (const el of document.querySelectorAll("main *")) {
    if (hidden.some(outer => outer.contains(el))) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const clips = style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1;
    if (box.left < -0.5 || box.right > width + 0.5 || clips) {
      cut.push(el.outerHTML.slice(0, 120));
    }
  }
  return cut;
}"""


@pytest.fixture
def site():
    site = demo_site()
    session = site["session"]
    session.meeting_url = MEETING_URL
    session.location = "Huvudkontoret, konferensrum Storsjön (plan 4, ingång från gården)"
    session.save(update_fields=["meeting_url", "location"])
    series = site["series"]
    series.meeting_url = MEETING_URL
    series.save(update_fields=["meeting_url"])
    return site


def adviser_pages(site) -> dict[str, str]:
    return {
        "agenda": reverse("advisers:agenda", args=[site["session"].pk]),
        "sessions": reverse("advisers:sessions"),
        "questions": reverse("advisers_questions:queue"),
        "series": reverse("advisers:series_list"),
    }


SELECT_WIDTHS = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const longest = Math.max(
    ...[...select.options].map(option => context.measureText(option.text).width));
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  return {name: select.name, scroll: select.scrollWidth, client: select.clientWidth,
          text: Math.ceil(longest + padding)};
}"""


def assert_options_fit(select) -> None:
    widths = select.evaluate(SELECT_WIDTHS)
    assert widths["scroll"] <= widths["client"], widths
    # Beside the text, the box holds the arrow (about 20 px).
    assert widths["text"] + 12 <= widths["client"], widths


def open_attendance_form(page, booking):
    row = page.locator(f"#booking-{booking.pk}")
    row.get_by_role("link", name=booking.user.name).click()
    attendance = row.get_by_label("Närvaro")
    expect(attendance).to_be_focused()  # htmx put the form in the row
    return attendance


def test_adviser_pages_fit_a_phone_and_a_desktop(open_page, site):
    page = open_page(site["adviser"])
    page.set_viewport_size(PHONE)
    for name, url in adviser_pages(site).items():
        page.goto(url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= PHONE["width"], f"{name} is {scroll_width} px wide"
        assert page.evaluate(CUT_OFF) == [], f"cut off on {name}"

    page.goto(adviser_pages(site)["agenda"])
    link = page.get_by_role("link", name=MEETING_URL)
    expect(link).to_be_in_viewport()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    expect(page.get_by_text(site["session"].location)).to_be_in_viewport()

    attendance = open_attendance_form(page, site["booking"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(CUT_OFF) == [], "cut off in the booking's form"
    assert_options_fit(attendance)

    # On a desktop the same form's select shows its options whole, and so do the
    # question queue's filters and bulk actions.
    page.set_viewport_size(DESKTOP)
    page.goto(adviser_pages(site)["agenda"])
    assert_options_fit(open_attendance_form(page, site["booking"]))
    page.goto(adviser_pages(site)["questions"])
    for select in page.locator("main select").all():
        assert_options_fit(select)
