"""The pages' middleware that the JSON API has no use for passes API requests by."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from officehours import middleware


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
    from django.contrib.messages.middleware import MessageMiddleware

    assert issubclass(middleware.MessageMiddleware, MessageMiddleware)
