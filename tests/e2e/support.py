"""Helpers for the e2e tests: data to start from, screenshots, focus checks."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import formats, timezone, translation

from faq.models import Entry
from faq.searchlog import search_logged
from faq.services import entry_from_question
from officehours.accounts.models import User
from officehours.booking.models import Booking, Series, Session
from officehours.booking.services.bookings import booking_create
from officehours.questions.models import Topic
from officehours.questions.services import (
    me_too_add,
    question_answer,
    question_create,
    question_from_note,
)
from tests.booking_factories import make_series
from tests.people import make_user

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def question_hour(**overrides) -> tuple[Series, Session]:
    """A weekly hour that began last week, and its next session that is open for booking
    (the e2e tests run at tests/clock.py's NOW: Thursday 5 February 2026)."""
    fields = {
        "title": "Frågestund om sociala medier",
        "starts_on": timezone.localdate() - timedelta(weeks=1),
        "weeks_ahead": 4,
        "location": "Rum 2.14",
    }
    series = make_series(**(fields | overrides))
    session = (
        series.sessions.filter(
            status=Session.SCHEDULED, starts_at__gt=timezone.now() + timedelta(hours=3)
        )
        .order_by("starts_at")
        .first()
    )
    assert session is not None, "no bookable session in the next four weeks"
    return series, session


def shown(when, format_name: str, language: str = "sv") -> str:
    """A time as the pages show it: Django's format in the language, local time."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(when), format_name)


def screenshot(page, name: str) -> None:
    """Writes the visible part of the page (1280×800) to var/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def focused(page) -> dict:
    """The element with keyboard focus, its name (its label's text, or its own), and
    whether the focus shows: it matches :focus-visible and draws an outline or a shadow.
    """
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
          return {
            html: el.outerHTML.slice(0, 160),
            name: ((el.labels && el.labels[0]) || el).innerText.trim(),
            href: el.getAttribute("href"),
            visible: el !== document.body && el.matches(":focus-visible")
              && (outline || style.boxShadow !== "none"),
          };
        }"""
    )


def demo_site() -> dict:
    """`seed_demo`'s site, lived in a little: a fuller agenda, a question queue, an FAQ
    entry drafted from an answer, and searches that found nothing (content gaps)."""
    call_command("seed_demo", force=True, stdout=StringIO())
    adviser = User.objects.get(email="radgivare@example.se")
    anna = User.objects.get(email="anna@example.se")
    booking = Booking.objects.get(user=anna, status=Booking.ACTIVE)
    session = booking.session
    colleagues = [
        make_user(f"{name.split()[0].lower()}@example.se", name=name)
        for name in ("Maria Lind", "Johan Ek", "Sara Holm", "Omar Said")
    ]
    notes = [
        "Hur svarar jag på en arg kommentar under vårt inlägg?",
        "Vi vill starta ett konto på TikTok för rekryteringen. Hur gör vi?",
    ]
    free = [slot for slot in session.slots.order_by("position") if not slot.bookings.exists()]
    for person, slot, note in zip(colleagues, free, notes, strict=False):
        made = booking_create(user=person, slot_id=slot.pk, note=note)
        question_from_note(author=person, note=note, booking=made)

    topics = {topic.slug: topic for topic in Topic.objects.all()}
    shared = question_create(
        author=colleagues[2],
        title="Får jag gilla och dela konkurrenters inlägg?",
        body="Jag följer flera leverantörer på LinkedIn och undrar var gränsen går.",
        topic=topics.get("private-professional"),
        shared=True,
    )
    me_too_add(question=shared, user=colleagues[3])
    answered = question_create(
        author=colleagues[3],
        title="Vem får svara på frågor från journalister i sociala medier?",
        topic=topics.get("crisis"),
    )
    answered = question_answer(
        question=answered,
        adviser=adviser,
        body="Hänvisa journalister till pressjouren. Du får gärna svara om ditt eget arbete.",
    )
    entry = entry_from_question(question=answered, adviser=adviser)

    for query, times in [("deepfake", 5), ("mastodon", 3), ("AI-bilder", 2), ("threads", 1)]:
        for _ in range(times):
            search_logged(query=query, language="sv", result_count=0)
    return {
        "published": Entry.objects.get(title__startswith="En journalist kontaktade mig"),
        "own_question": anna.questions.first(),
        "adviser": adviser,
        "employee": anna,
        "booking": booking,
        "session": session,
        "question": answered,
        "entry": entry,
        "series": session.series,
    }
