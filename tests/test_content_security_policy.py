"""A strict Content-Security-Policy (issue 18, point 8b).

Every page is sent with a policy that runs only scripts and styles from our own
origin: no inline `<script>` or `<style>`, no `style="…"` attributes, no `on…=`
handlers and nothing htmx would have to `eval`. Two checks here: the header on
every page, and pages that need nothing the header forbids (served HTML parsed
with html.parser). tests/e2e/test_content_security_policy.py asks a browser.
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from officehours import views
from officehours.accounts.models import User
from tests.e2e.support import demo_site
from tests.e2e.test_accessibility import adviser_pages, employee_pages
from tests.people import make_user
from tests.test_settings_env import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
# <script type="application/json"> (Django's json_script, allauth's onload data) is data
# that no browser runs, so the policy has nothing to say about it.
DATA_BLOCKS = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


class InlineCode(HTMLParser):
    """Collects what a strict policy would refuse: inline scripts and styles, style
    attributes, event-handler attributes, javascript: URLs, htmx's eval'd attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        script_type = (named.get("type") or "").strip().lower()
        if tag == "script" and not named.get("src") and script_type not in DATA_BLOCKS:
            self.found.append(f"<script> without src: {self.get_starttag_text()}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name == "style":
                self.found.append(f"style attribute: {self.get_starttag_text()}")
            elif name.startswith("on"):
                self.found.append(f"{name} handler: {self.get_starttag_text()}")
            elif name.startswith(("hx-on", "data-hx-on")) or name in ("hx-vars", "data-hx-vars"):
                self.found.append(f"{name} (htmx evaluates it): {self.get_starttag_text()}")
            elif name in ("hx-vals", "data-hx-vals") and text.startswith(("js:", "javascript:")):
                self.found.append(f"{name} with script: {self.get_starttag_text()}")
            elif name in URL_ATTRIBUTES and text.startswith("javascript:"):
                self.found.append(f"javascript: URL: {self.get_starttag_text()}")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def reauthenticated(user: User) -> Client:
    """A browser that has just given its password again, so that the pages which ask
    for it (setting up two-factor sign-in) show themselves."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def forced(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pages(frozen_now) -> list[tuple[str, Client, str, int, dict]]:
    """(name, browser, path, status, headers) for every kind of page a browser is sent."""
    demo = demo_site()
    employee = User.objects.get(pk=demo["employee"].pk)
    employee.set_password(PASSWORD)
    employee.save()
    administrator = make_user(
        "it@example.se", name="It", password=PASSWORD, is_staff=True, is_superuser=True
    )
    visitor, anna, rut = Client(), reauthenticated(employee), forced(demo["adviser"])
    admin = forced(administrator)
    booking = demo["booking"]
    htmx = {"HTTP_HX_REQUEST": "true"}
    found = [
        ("home-visitor", visitor, reverse("home"), 200, {}),
        ("sign-in", visitor, reverse("account_login"), 200, {}),
        ("sign-up", visitor, reverse("account_signup"), 200, {}),
        ("password-reset", visitor, reverse("account_reset_password"), 200, {}),
        ("login-code", visitor, reverse("account_request_login_code"), 200, {}),
        ("not-found-visitor", visitor, "/no-such-page/", 404, {}),
    ]
    found += [
        (name, anna, path, 404 if name == "not-found" else 200, {})
        for name, path in employee_pages(demo)
    ]
    found += [
        ("faq-suggestions", anna, reverse("faq:suggest") + "?note=LinkedIn", 200, htmx),
        ("emails", anna, reverse("account_email"), 200, {}),
        ("password-change", anna, reverse("account_change_password"), 200, {}),
        ("reauthenticate", anna, reverse("account_reauthenticate"), 200, {}),
        ("mfa", anna, reverse("mfa_index"), 200, {}),
        ("mfa-totp", anna, reverse("mfa_activate_totp"), 200, {}),
        ("forbidden", anna, reverse("adviser_home"), 403, {}),
        ("api-docs", anna, "/api/v1/docs", 200, {}),
    ]
    found += [(name, rut, path, 200, {}) for name, path in adviser_pages(demo)]
    found += [
        ("booking-edit", rut, reverse("advisers:booking_edit", args=[booking.pk]), 200, {}),
        ("booking-row", rut, reverse("advisers:booking_edit", args=[booking.pk]), 200, htmx),
        ("booking-cancel", rut, reverse("advisers:booking_cancel", args=[booking.pk]), 200, {}),
        ("admin", admin, reverse("admin:index"), 200, {}),
        ("admin-users", admin, reverse("admin:accounts_user_changelist"), 200, {}),
        ("admin-user", admin, reverse("admin:accounts_user_change", args=[employee.pk]), 200, {}),
        ("admin-series", admin, reverse("admin:booking_series_changelist"), 200, {}),
        ("bad-host", visitor, "/", 400, {"HTTP_HOST": "evil.example.com"}),
    ]
    return found


def test_every_page_is_sent_with_a_strict_policy(pages):
    problems = []
    for name, client, path, status, headers in pages:
        response = client.get(path, **headers)
        assert response.status_code == status, (name, path, response.status_code)
        header = response.get("Content-Security-Policy")
        if header is None:
            problems.append(f"{name} {path}: no Content-Security-Policy header")
            continue
        policy = directives(header)
        for directive in ("script-src", "style-src"):
            allowed = policy.get(directive, policy.get("default-src", []))
            if {"'unsafe-inline'", "'unsafe-eval'"} & set(allowed) or "*" in allowed:
                problems.append(f"{name} {path}: {directive} {' '.join(allowed)}")
        expected = {
            "default-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "frame-ancestors": ["'none'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
        }
        for directive, sources in expected.items():
            if policy.get(directive) != sources:
                problems.append(f"{name} {path}: {directive} {policy.get(directive)}")
    assert not problems, "\n".join(problems)


def test_no_page_needs_inline_script_or_style(pages):
    problems = []
    for name, client, path, status, headers in pages:
        response = client.get(path, **headers)
        assert response.status_code == status, (name, path, response.status_code)
        problems += [f"{name} {path}: {found}" for found in inline_code(response.content.decode())]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_error_pages_without_a_request_context_need_no_inline_style(client, monkeypatch, lang):
    csrf = Client(enforce_csrf_checks=True)
    expired = csrf.post(reverse("set_language"), {"language": "en"}, HTTP_ACCEPT_LANGUAGE=lang)
    monkeypatch.setattr(views, "render", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    broken = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=lang)
    assert (expired.status_code, broken.status_code) == (403, 500)
    for response in (expired, broken):
        assert "style-src 'self'" in response["Content-Security-Policy"]
        assert inline_code(response.content.decode()) == []
        assert "/static/css/" in response.content.decode()  # still a styled page


def test_the_checker_finds_what_the_policy_refuses():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{}</script><style>p{}</style>'
        '<p style="color: red" onclick="x()"></p><form hx-on:submit="x()"></form>'
        "<a href=\"javascript:x()\">x</a><div hx-vals='js:{a: 1}'></div>"
    )
    found = inline_code(html)
    assert len(found) == 7, found


def test_sso_may_take_the_sign_in_form_on_to_the_identity_provider():
    """allauth's SSO button posts to our own URL, which redirects to the identity
    provider: browsers hold a form's redirects to form-action too. The settings are
    read in a fresh process, as they are only at start-up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        PRODUCTION,
        DJANGO_SETTINGS_MODULE="officehours.settings",
        OIDC_SERVER_URL="https://login.example-idp.test/tenant/v2.0",
        OIDC_CLIENT_ID="client",
        CSP_REPORT_URI="https://reports.example.se/csp",
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.CONTENT_SECURITY_POLICY['DIRECTIVES']; "
        "print(' '.join(d['form-action'])); print(' '.join(d['report-uri']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    form_action, report_uri = result.stdout.splitlines()
    assert form_action == "'self' https://login.example-idp.test"
    assert report_uri == "https://reports.example.se/csp"
