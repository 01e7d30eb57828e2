"""The README's screenshots of the start page and the booking confirmation page.

    .venv/bin/python docs/screenshots.py

Builds a throwaway SQLite database with `seed_demo`'s data, serves the site from a
thread of this process on 127.0.0.1 (Django's live server), and drives Debian's
Chromium through Playwright, in Swedish, 1280 wide: Anna (the demo employee) signs
in, books a time of the next question hour from the start page with a question in
the note, and the script saves

    docs/screenshots/booking-confirmed.png   the confirmation page (booking:booked),
                                             1280×900
    docs/screenshots/start-page.png          her start page, the whole of it: the
                                             next hour, her booking, open questions

Her seeded booking is cancelled first (the demo allows one active booking), so the
question it carried stays open and unscheduled. Celery runs eagerly and e-mail goes
to memory: nothing is queued under var/ and nothing leaves the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
NOTE = "Hur svarar vi på en arg kommentar under ett inlägg från vår chef?"


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Chromium is not installed (apt-get install chromium).")
    with tempfile.TemporaryDirectory(prefix="fragestund-screenshots-") as tmp:
        setup_django(Path(tmp) / "demo.sqlite3")
        demo_data()
        server = start_server()
        try:
            take_screenshots(chromium, f"http://127.0.0.1:{server.port}")
        finally:
            server.terminate()
            server.join()
    for name in ("booking-confirmed", "start-page"):
        path = OUT / f"{name}.png"
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def setup_django(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL", "LANGUAGE_CODE"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="officehours.settings",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{database}",
        EMAIL_URL="memorymail://",
        ALLOWED_HOSTS="127.0.0.1",
    )
    import django

    django.setup()
    from officehours.celery import app

    app.conf.task_always_eager = True


def demo_data() -> None:
    from django.core.management import call_command

    from officehours.accounts.models import User
    from officehours.booking.models import Booking
    from officehours.booking.services.bookings import booking_cancel

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    anna = User.objects.get(email="anna@example.se")
    for booking in Booking.objects.filter(user=anna, status=Booking.ACTIVE):
        booking_cancel(booking=booking, actor=anna)


def start_server():
    """Django's live server (as LiveServerTestCase runs it), static files included."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


def take_screenshots(chromium: str, base_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        context = browser.new_context(
            base_url=base_url,
            viewport=VIEWPORT,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
        )
        # Only the site itself: a stray request elsewhere fails instead of leaving.
        context.route(
            re.compile(r"^(?!" + re.escape(base_url) + r"/).*"), lambda route: route.abort()
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("E-post").fill("anna@example.se")
        page.get_by_label("Lösenord").fill("demo-employee-2026")
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

        page.goto("/")
        page.get_by_role("link", name=re.compile(r"^Boka \d\d:\d\d$")).first.click()
        page.locator("#id_note").fill(NOTE)
        page.wait_for_load_state("networkidle")  # the suggestions beside the form
        page.get_by_role("button", name="Boka", exact=True).click()
        expect(page).to_have_url(re.compile(r"/bookings/\d+/booked/$"))
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / "booking-confirmed.png")

        page.goto("/")
        expect(page.get_by_role("heading", name="Din nästa bokning")).to_be_visible()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / "start-page.png", full_page=True)  # down to the questions
        browser.close()


if __name__ == "__main__":
    main()
