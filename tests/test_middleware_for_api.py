"""The pages' middleware that the JSON API has no use for passes API requests by."""

import pytest
from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from officehours import middleware
from officehours.accounts.tokens import api_token_create
from tests.people import make_user


def _seen_by(middleware_class, path):
    seen = {}

    def view(request):
        seen["messages"] = hasattr(request, "_messages")
        seen["htmx"] = hasattr(request, "htmx")
        return HttpResponse("ok")

    request = RequestFactory().get(path)
    request.session = {}
    response = middleware_class(view)(request)
    return seen, response


@pytest.mark.parametrize(
    "middleware_class,attribute",
    [(middleware.MessageMiddleware, "messages"), (middleware.HtmxMiddleware, "htmx")],
)
def test_pages_get_it_and_the_api_does_not(middleware_class, attribute):
    page, _response = _seen_by(middleware_class, "/book/")
    api, _response = _seen_by(middleware_class, "/api/v1/sessions")
    assert page[attribute] is True
    assert api[attribute] is False


@pytest.mark.django_db
def test_pages_still_get_slash_redirects(client):
    page = client.get("/faq")
    assert page.status_code == 301
    assert page["Location"] == "/faq/"


def test_the_checks_that_look_for_the_originals_find_them():
    assert issubclass(middleware.MessageMiddleware, MessageMiddleware)


@pytest.mark.django_db
def test_an_api_call_with_a_token_answers_in_the_token_users_language(client):
    person = make_user("anna@example.se")
    person.language = "en"
    person.save(update_fields=["language"])
    _token, raw = api_token_create(user=person, name="script")
    # Signed in in the browser as someone else who reads Swedish: the token decides.
    other = make_user("bo@example.se")
    client.force_login(other)
    response = client.post(
        "/api/v1/bookings",
        {"slot_id": 999999},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
