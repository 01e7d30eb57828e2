"""Sign-up and sign-in with allauth: the e-mail domain rule, verification, no enumeration."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from officehours.accounts.models import User
from tests.people import make_user

SIGNUP = {
    "name": "Cecilia Carlsson",
    "email": "cecilia@example.se",
    "password1": "a long passphrase 42",
    "password2": "a long passphrase 42",
}


@pytest.mark.django_db
def test_it_signs_up_an_allowed_domain_and_asks_to_verify(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="cecilia@example.se")
    assert user.name == "Cecilia Carlsson"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cecilia@example.se"]
    # Mandatory verification: not signed in until the address is confirmed.
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_matches_the_domain_case_insensitively(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "Cecilia@EXAMPLE.SE"})
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="cecilia@example.se").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email", ["cecilia@gmail.com", "cecilia@example.se.evil.com", "c@sub.example.se"]
)
def test_it_refuses_other_domains_with_a_clear_message_keeping_what_was_typed(client, email):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Endast adresser på example.se" in body
    assert 'value="Cecilia Carlsson"' in body
    assert f'value="{email}"' in body
    assert not User.objects.filter(email__iexact=email).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_domain_message_is_in_english_for_english_visitors(client):
    response = client.post(
        reverse("account_signup"),
        {**SIGNUP, "email": "x@gmail.com"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Only addresses at example.se can be used here" in response.content.decode()


@pytest.mark.django_db
def test_any_domain_may_sign_up_when_no_domains_are_configured(client, settings):
    settings.ALLOWED_EMAIL_DOMAINS = []
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "c@gmail.com"})
    assert response.status_code == 302
    assert User.objects.filter(email="c@gmail.com").exists()


@pytest.mark.django_db
def test_signing_up_with_a_taken_address_does_not_reveal_it(client, employee):
    new = client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    taken = client.post(reverse("account_signup"), {**SIGNUP, "email": employee.email})
    assert (new.status_code, new.url) == (taken.status_code, taken.url)
    assert User.objects.filter(email__iexact=employee.email).count() == 1
    # The owner is told someone tried, rather than the visitor being told the address exists.
    assert mail.outbox[-1].to == [employee.email]


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_unknown_addresses(client, employee):
    known = client.post(reverse("account_reset_password"), {"email": employee.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.se"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


@pytest.mark.django_db
def test_password_reset_mail_is_in_the_users_language(client, other_employee):
    # Bo's profile says English; the visitor's browser says Swedish.
    client.post(
        reverse("account_reset_password"),
        {"email": other_employee.email},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert len(mail.outbox) == 1
    assert "Password Reset" in mail.outbox[0].subject


@pytest.mark.django_db
def test_unverified_users_cannot_sign_in_with_a_password(client):
    make_user("new@example.se", verified=False, password="a long passphrase 42")
    response = client.post(
        reverse("account_login"), {"login": "new@example.se", "password": "a long passphrase 42"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


@pytest.mark.django_db
def test_it_signs_in_with_a_password(client, employee):
    response = client.post(
        reverse("account_login"), {"login": employee.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == employee.pk


@pytest.mark.django_db
def test_it_signs_in_with_a_code_sent_by_email(client, employee):
    response = client.post(reverse("account_request_login_code"), {"email": employee.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.MULTILINE).group(
        1
    )
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == employee.pk


@pytest.mark.django_db
def test_a_wrong_login_code_does_not_sign_in(client, employee):
    client.post(reverse("account_request_login_code"), {"email": employee.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "XXXXXX"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_two_factor_setup_page_is_offered(employee_client):
    response = employee_client.get(reverse("mfa_activate_totp"))
    # allauth asks to re-authenticate first, or shows the QR code page.
    assert response.status_code in (200, 302)
    response = employee_client.get(reverse("mfa_index"))
    assert response.status_code == 200


def _totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.mark.django_db
def test_two_factor_with_an_authenticator_app(client, employee):
    client.post(
        reverse("account_login"), {"login": employee.email, "password": "correct horse battery"}
    )
    # Adding an authenticator is sensitive: allauth asks for the password again first.
    assert client.get(reverse("mfa_activate_totp")).url.startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=employee, type="totp").exists()

    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": employee.email, "password": "correct horse battery"}
    )
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert int(client.session["_auth_user_id"]) == employee.pk
