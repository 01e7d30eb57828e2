"""End-to-end fixtures: Debian's Chromium, driven by Playwright, against the live server.

One browser for the whole package and a fresh context (cookies, storage, downloads)
per person in each test. The e2e tests run in the SQLite pass of `make test` only
(see `pytest_runtest_setup` in tests/conftest.py); without Chromium they skip, or fail
under REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from tests.services import service_unavailable

FAILURES = Path(settings.BASE_DIR) / "var" / "e2e-failures"
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = shutil.which("chromium")
    if path is None:
        service_unavailable(
            "Chromium is not installed (`apt-get install chromium`): end-to-end tests need it"
        )
    return path


@pytest.fixture(scope="package")
def browser(chromium_executable):
    """One headless Chromium for the e2e package.

    While Playwright's sync API runs, its asyncio loop counts as running on this
    thread. Django then refuses ORM calls here unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set, and its per-thread connections turn per-context, which would hand the tests
    a second connection: they keep the one the test database was set up with (the
    one the live server shares, which holds the serialized rollback data). Package
    scope, not session: all this ends with the last e2e test.
    """
    expect.set_options(timeout=TIMEOUT_MS)
    ours = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, connection in ours.items():
                connections[alias] = connection
            # Chromium's sandbox refuses to start as root (CI containers).
            args = ["--no-sandbox"] if os.geteuid() == 0 else []
            browser = playwright.chromium.launch(executable_path=chromium_executable, args=args)
            yield browser
            browser.close()


@pytest.fixture(autouse=True)
def _clock(ticking_now):
    """Every e2e test starts at NOW, with time passing.

    The live server is a thread of this process, so it shares the moved clock; the
    browser keeps its own, and the pages ask it nothing (cookies carry Max-Age)."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def open_page(
    request, browser, live_server, transactional_db, django_db_serialized_rollback
) -> Iterator[Callable]:
    """`open_page(user=None, *, javascript=True)`: a new page in its own browser context.

    With a user, their session cookie is made here (`force_login`) and handed to the
    browser, which saves a trip through the sign-in form; one test signs in for real.
    The database is emptied after each test; serialized rollback brings back what the
    migrations put there (the advisers' group and its permission).
    """
    pages = []

    def open_page(user=None, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=DESKTOP,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page
    if getattr(request.node, "e2e_failed", False):
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"\W+", "-", request.node.name)
        for number, page in enumerate(pages):
            with contextlib.suppress(Exception):  # a crashed page has no picture to give
                page.screenshot(path=FAILURES / f"{name}-{number}.png", full_page=True)
    for page in pages:
        page.context.close()
