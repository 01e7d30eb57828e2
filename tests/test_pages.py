"""Base UI: pages, landmarks, language, profile and token pages, error pages."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from officehours import views
from officehours.accounts.models import ApiToken, User
from officehours.accounts.tokens import api_token_create
from officehours.booking.models import Booking, Series
from officehours.permissions import is_adviser
from officehours.tasks import record_heartbeat
from tests.people import make_user


@pytest.mark.django_db
def test_home_for_visitors_has_landmarks_and_no_cdn(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="sv")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in body
    for landmark in ("<header", "<nav", '<main id="main"', "<footer", 'class="skip-link"'):
        assert landmark in body
    assert "/static/django_htmx/htmx" in body
    assert "https://" not in body.split("<body")[0]  # nothing loaded from elsewhere


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accept,lang,text",
    [
        ("en-GB,en;q=0.9", "en", "Ask the comms team"),
        ("sv-SE,sv;q=0.9,en;q=0.5", "sv", "Fråga kommunikationsteamet"),
        ("de-DE,de;q=0.9", "sv", "Fråga kommunikationsteamet"),
        ("", "sv", "Fråga kommunikationsteamet"),
    ],
)
def test_visitors_get_their_browsers_language(client, accept, lang, text):
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{lang}">' in body
    assert text in body


@pytest.mark.django_db
def test_the_switcher_remembers_a_visitors_choice(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/faq/"})
    assert response.status_code == 302
    assert response.url == "/faq/"
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="en">' in body


@pytest.mark.django_db
def test_the_switcher_stores_the_choice_on_the_profile(client, employee):
    client.force_login(employee)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    employee.refresh_from_db()
    assert employee.language == "en"
    # Another browser, no cookie, Swedish Accept-Language: the profile wins.
    other = Client()
    other.force_login(employee)
    body = other.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="en">' in body


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com/"])
def test_the_switcher_does_not_redirect_elsewhere(client, next_url):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.url == "/"


@pytest.mark.django_db
def test_the_switcher_refuses_unknown_languages(client, employee):
    client.force_login(employee)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.language == "sv"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/profile/", "/faq/", "/advisers/"])
def test_pages_for_signed_in_users_send_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_unverified_users_cannot_use_employee_pages(client):
    client.force_login(make_user("new@example.se", verified=False))
    assert client.get("/profile/").status_code == 403
    assert client.get("/faq/").status_code == 403


@pytest.mark.django_db
def test_profile_saves_name_language_and_time_zone(employee_client, employee):
    response = employee_client.post(
        reverse("accounts:profile"),
        {"name": "Anna A.", "language": "en", "time_zone": "Europe/London"},
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.name, employee.language, employee.time_zone) == (
        "Anna A.",
        "en",
        "Europe/London",
    )


@pytest.mark.django_db
def test_profile_with_bad_input_is_a_400_that_keeps_what_was_typed(employee_client, employee):
    response = employee_client.post(
        reverse("accounts:profile"),
        {"name": "<b>Anna</b> ny", "language": "klingon", "time_zone": "Mars/Base"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "&lt;b&gt;Anna&lt;/b&gt; ny" in body
    assert "<b>Anna</b>" not in body
    employee.refresh_from_db()
    assert employee.language == "sv"


@pytest.mark.django_db
def test_creating_a_token_shows_it_once(employee_client, employee):
    response = employee_client.post(reverse("accounts:token_create"), {"name": "report"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    stored = ApiToken.objects.get(user=employee)
    start = body.index('id="new-token"')
    raw = body[start:].split('value="', 1)[1].split('"', 1)[0]
    assert raw.startswith(stored.prefix)
    assert raw not in employee_client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.django_db
def test_the_profile_and_token_name_fields_have_their_own_labels(employee_client):
    body = employee_client.get(reverse("accounts:profile")).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert sorted(ids) == sorted(set(ids))
    assert '<label for="id_token_name">' in body and 'id="id_token_name"' in body


@pytest.mark.django_db
def test_a_token_without_a_name_is_refused(employee_client, employee):
    response = employee_client.post(reverse("accounts:token_create"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=employee).exists()


@pytest.mark.django_db
def test_the_profile_lists_and_revokes_tokens(employee_client, employee):
    employee_client.post(reverse("accounts:token_create"), {"name": "report"})
    token = ApiToken.objects.get(user=employee)
    body = employee_client.get(reverse("accounts:profile")).content.decode()
    assert "report" in body
    response = employee_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_an_outsider_cannot_revoke_a_token_from_the_page(client, employee, other_employee):
    token, _raw = api_token_create(user=employee, name="anna's")
    client.force_login(other_employee)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "anna's" not in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.django_db
def test_revoking_needs_post(employee_client, employee):
    token, _raw = api_token_create(user=employee, name="x")
    assert employee_client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


@pytest.mark.django_db
def test_the_faq_page_escapes_the_query(employee_client):
    response = employee_client.get("/faq/", {"q": '<script>alert("x")</script>'})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang,text", [("sv", "Vi hittade inte sidan"), ("en", "We could not find that page")]
)
def test_404_page_in_both_languages(client, lang, text):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang,text", [("sv", "Du har inte åtkomst"), ("en", "You do not have access")]
)
def test_403_page_in_both_languages(client, employee, lang, text):
    employee.language = lang
    employee.save()
    client.force_login(employee)
    response = client.get("/advisers/")
    assert response.status_code == 403
    assert text in response.content.decode()


@pytest.mark.parametrize(
    "lang,text", [("sv", "Något gick fel hos oss"), ("en", "Something went wrong on our side")]
)
def test_500_page_in_both_languages(lang, text):
    with translation.override(lang):
        body = render_to_string("500.html")
    assert text in body
    assert f'<html lang="{lang}">' in body


@pytest.mark.django_db
def test_a_server_error_shows_the_500_page(client, monkeypatch):
    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", lambda *a, **k: boom(None))
    client.raise_request_exception = False
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_health_reports_database_and_worker(client):
    body = client.get("/health/").json()
    # The fields of old stay beside live/ready (tests/test_observability.py).
    old_fields = {key: body[key] for key in ("database", "worker_last_seen", "worker")}
    assert old_fields == {"database": "ok", "worker_last_seen": None, "worker": "unknown"}
    assert body["live"] is True
    record_heartbeat.delay()
    body = client.get("/health/").json()
    assert body["worker"] == "ok"


@pytest.mark.django_db
def test_home_page_query_count_is_constant(client, adviser, django_assert_max_num_queries):
    client.force_login(adviser)
    # 9: with the next hour, the next booking, the open questions (tests/test_start_page.py)
    # and the live hours open now.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo", "--force")
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert "radgivare@example.se" in out
    assert User.objects.count() == 4
    assert is_adviser(User.objects.get(email="radgivare@example.se"))
    assert [u.email for u in User.objects.filter(is_staff=True)] == ["admin@example.se"]
    series = Series.objects.get()
    assert (series.weekday, series.start_time.hour, series.slot_minutes) == (3, 10, 15)
    assert series.sessions.exists()
    assert Booking.objects.filter(status="active").count() == 2


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang,text", [("sv", "Formuläret har gått ut"), ("en", "The form has expired")]
)
def test_a_csrf_failure_is_explained_in_the_visitors_language(lang, text):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en"}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 403
    assert text in response.content.decode()


@pytest.mark.django_db
def test_a_bad_host_is_a_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_profile_offers_utc_and_keeps_the_saved_zone(employee_client, employee):
    employee.time_zone = "UTC"
    employee.save()
    body = employee_client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="UTC" selected>' in body


@pytest.mark.django_db
def test_profile_page_query_count_is_constant(
    employee_client, employee, django_assert_max_num_queries
):
    for n in range(5):
        api_token_create(user=employee, name=f"token {n}")
    with django_assert_max_num_queries(7):
        response = employee_client.get(reverse("accounts:profile"))
    assert response.status_code == 200 and response.content.decode().count("token ") >= 5
