"""Sign-up does the same work whether or not the address has an account (issue 18, point 7).

allauth's enumeration prevention makes the answers alike; the time must be alike too. A new
address costs a password hash and one e-mail, so a taken one must cost the same: these
tests count the hashes and the e-mails instead of timing anything (bench/signup_timing.py
measures the time).
"""

from collections import Counter

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from officehours.accounts.adapters import AccountAdapter
from officehours.accounts.models import User
from tests.people import make_user

PASSWORD = "a long passphrase 42"


@pytest.fixture
def work(monkeypatch):
    """Counts the password hashes computed and the e-mails handed to the mail sender."""
    counts: Counter[str] = Counter()
    encode = MD5PasswordHasher.encode
    send_mail = AccountAdapter.send_mail

    def counted_encode(self, password, salt):
        counts["hashes"] += 1
        return encode(self, password, salt)

    def counted_send_mail(self, template_prefix, email, context):
        counts["mails"] += 1
        return send_mail(self, template_prefix, email, context)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counted_encode)
    monkeypatch.setattr(AccountAdapter, "send_mail", counted_send_mail)
    return counts


def _sign_up(work: Counter[str], email: str):
    """One sign-up from a fresh browser: its response and the work it did."""
    work.clear()
    sent_before = len(mail.outbox)
    response = Client().post(
        reverse("account_signup"),
        {"name": "Dave", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    done = {**work, "sent": len(mail.outbox) - sent_before}
    return (response.status_code, response["Location"]), done


def _existing(kind: str) -> None:
    if kind == "password":
        make_user("dave@example.se")
    elif kind == "capitalised":
        make_user("Dave@Example.se")
    elif kind == "sso-only":
        user = make_user("dave@example.se")
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif kind == "unverified":
        make_user("dave@example.se", verified=False)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["password", "capitalised", "sso-only", "unverified"])
@pytest.mark.parametrize("typed", ["dave@example.se", "DAVE@example.SE"])
def test_a_taken_address_costs_what_a_new_one_does(work, kind, typed):
    _existing(kind)
    new_response, new_work = _sign_up(work, "erik@example.se")
    taken_response, taken_work = _sign_up(work, typed)
    assert taken_response == new_response
    assert new_work == {"hashes": 1, "mails": 1, "sent": 1}
    assert taken_work == new_work
    # Still one account for the address, and its password untouched.
    assert User.objects.filter(email__iexact="dave@example.se").count() == 1


@pytest.mark.django_db
def test_a_refused_sign_up_hashes_nothing(work):
    """A form with errors stops before either path: nothing to even out."""
    make_user("dave@example.se")
    work.clear()
    response = Client().post(
        reverse("account_signup"),
        {"email": "dave@example.se", "password1": PASSWORD, "password2": "other"},
    )
    assert response.status_code == 200
    assert work["hashes"] == 0 and work["mails"] == 0
