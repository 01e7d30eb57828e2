"""Issue 17: the sign-in page says why the visitor was sent there, links to sign-up
in words that fit, and the Swedish spells "e-postadress" one way throughout."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from officehours.accounts.allauth_words import ALLAUTH_WORDS

pytestmark = pytest.mark.django_db


def sign_in_page(client, query=""):
    response = client.get(reverse("account_login") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_sent_from_booking_is_told_to_sign_in_to_book(client):
    response = client.get(reverse("booking:book"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "Logga in för att boka en tid." in response.content.decode()


def test_a_visitor_sent_from_elsewhere_is_told_to_sign_in_to_continue(client):
    page = sign_in_page(client, "?next=/faq/")
    assert "Logga in för att fortsätta." in page
    assert "boka en tid." not in page
    assert "Logga in för att" not in sign_in_page(client)  # nobody sent them: no reason


def test_the_sign_in_page_offers_sign_up_in_words_that_fit(client):
    page = sign_in_page(client)
    assert "Har du redan ett konto" not in page
    assert "Har du inget konto än?" in page
    assert f'href="{reverse("account_signup")}"' in page


def test_the_sign_in_page_in_english(client):
    page = sign_in_page(client.__class__(HTTP_ACCEPT_LANGUAGE="en"), "?next=/book/")
    assert "Sign in to book a time." in page and "No account yet?" in page


def test_swedish_spells_e_postadress_one_way():
    with translation.override("sv"):
        spelt = [translation.gettext(msgid) for msgid in ALLAUTH_WORDS]
        assert translation.gettext("Email address") == "E-postadress"
    assert [s for s in spelt if re.search(r"\b[Ee]post", s)] == []
