"""Deleting the account asks for the password again (issue 18, point 8a).

A session left open on a shared computer, or a stolen session cookie, must not be
enough to delete someone's account: allauth's reauthentication asks for the password
(or, without one, a code sent to the verified address) within the last
ACCOUNT_REAUTHENTICATION_TIMEOUT seconds.
"""

import re
from datetime import timedelta

import pytest
from allauth.account import app_settings as account_settings
from django.core import mail
from django.urls import reverse

from officehours.accounts.models import User
from tests.people import make_user

PASSWORD = "correct horse battery"
DELETE = reverse("privacy:delete")
REAUTHENTICATE = reverse("account_reauthenticate")


def _sign_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def _asks_to_reauthenticate(response, url=REAUTHENTICATE) -> bool:
    return response.status_code == 302 and response.url.startswith(f"{url}?next=")


@pytest.mark.django_db
def test_a_session_signed_in_long_ago_must_give_the_password_again(frozen_now, client):
    dave = make_user("dave@example.se")
    _sign_in(client, dave)
    frozen_now.shift(timedelta(hours=3))
    assert _asks_to_reauthenticate(client.get(DELETE))
    response = client.post(DELETE, {"email": "dave@example.se"})
    assert _asks_to_reauthenticate(response)
    assert User.objects.filter(pk=dave.pk).exists()
    # A wrong password leaves the account as it was.
    wrong = client.post(response.url, {"password": "not my password"})
    assert wrong.status_code == 200
    assert User.objects.filter(pk=dave.pk).exists()
    # The right one carries out the deletion that was asked for.
    right = client.post(response.url, {"password": PASSWORD})
    assert right.status_code == 302 and right.url == reverse("home")
    assert not User.objects.filter(pk=dave.pk).exists()
    assert "_auth_user_id" not in client.session
    # The page's own message, in Dave's language.
    assert "Ditt konto är borttaget." in client.get(right.url).content.decode()


@pytest.mark.django_db
def test_after_giving_the_password_the_page_deletes(frozen_now, client):
    dave = make_user("dave@example.se")
    _sign_in(client, dave)
    response = client.get(DELETE)
    assert _asks_to_reauthenticate(response)
    back = client.post(response.url, {"password": PASSWORD})
    assert back.status_code == 302 and back.url == DELETE
    assert client.get(DELETE).status_code == 200
    # The form still wants the address typed.
    assert client.post(DELETE, {"email": "someone@example.se"}).status_code == 400
    assert client.post(DELETE, {"email": "DAVE@example.se"}).status_code == 302
    assert not User.objects.filter(pk=dave.pk).exists()


@pytest.mark.django_db
def test_the_password_given_again_counts_for_a_few_minutes_only(frozen_now, client):
    dave = make_user("dave@example.se")
    _sign_in(client, dave)
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert client.get(DELETE).status_code == 200
    frozen_now.shift(timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT + 1))
    assert _asks_to_reauthenticate(client.post(DELETE, {"email": dave.email}))
    assert User.objects.filter(pk=dave.pk).exists()


@pytest.mark.django_db
def test_without_a_password_a_code_to_the_address_confirms(frozen_now, client):
    """Someone who signs in only through single sign-on has no password to give:
    allauth sends a code to the verified address instead."""
    dave = make_user("dave@example.se")
    dave.set_unusable_password()
    dave.save(update_fields=["password"])
    client.force_login(dave)
    response = client.post(DELETE, {"email": dave.email})
    assert _asks_to_reauthenticate(response, reverse("account_request_reauthentication_code"))
    assert User.objects.filter(pk=dave.pk).exists()
    sent = client.post(response.url, {"recipient": dave.email})
    assert sent.status_code == 302
    assert User.objects.filter(pk=dave.pk).exists()
    assert mail.outbox[-1].to == [dave.email]
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    confirmed = client.post(sent.url, {"code": code})
    assert confirmed.status_code == 302 and confirmed.url == reverse("home")
    assert not User.objects.filter(pk=dave.pk).exists()


@pytest.mark.django_db
def test_visitors_are_sent_to_sign_in_not_to_reauthenticate(client):
    response = client.post(DELETE, {"email": "dave@example.se"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_giving_ones_password_again_does_not_delete_someone_else(frozen_now, client):
    """Bo, reauthenticated in his own session, deletes only himself."""
    dave = make_user("dave@example.se")
    bo = make_user("bo@example.se")
    _sign_in(client, bo)
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert client.post(DELETE, {"email": dave.email}).status_code == 400
    assert User.objects.filter(pk=dave.pk).exists()
