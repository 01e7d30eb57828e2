"""No input gives a 500 (issue 18, point 3): odd values anywhere get a clear 4xx.

PostgreSQL stores no NUL character in text and no database driver can encode a lone
surrogate (a JSON "\\ud800"): such a value used to fail inside a query, as a 500.
officehours.middleware.UnstorableInputMiddleware refuses both at the edge with a 400.
The walks below send them, and other odd values (very long, past 64 bits, negative,
broken UTF-8, impossible dates, wrong JSON types), to every URL pattern and every API
operation as each persona; a 500 anywhere fails the walk. Run on both databases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django import forms
from django.conf import settings
from django.db import DataError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from faq.models import Tag
from faq.services import synonym_group_save
from officehours.accounts.tokens import api_token_create
from officehours.api import api
from officehours.booking.services.bookings import booking_create
from officehours.middleware import UnstorableInputMiddleware
from officehours.notifications.models import Notification
from officehours.questions.models import Question
from officehours.questions.services import question_create
from officehours.tasks import record_heartbeat
from tests.booking_factories import slot_at
from tests.faq_factories import make_entry
from tests.faq_factories import topic as make_topic

pytestmark = pytest.mark.django_db

REFUSAL = "inte kan sparas"  # the refusal's words in Swedish, the default language
LONG = "x" * 10_000
HUGE = "9" * 30  # past 64 bits: no database integer holds it
# Percent-encoded, as they travel in a path, a query string or a form body.
NUL = "a%00b"
# Broken UTF-8: a stray byte, and a lone surrogate's bytes.
# "²" is a digit to str.isdigit() but not to int().
ODD = [LONG, HUGE, "-1", "%ff%ED%A0%80", "2026-02-30", "%C2%B2"]
ODD_IN_PATHS = ["%00", LONG, HUGE, "-1", "0", "%ff"]
# Where no persona may enter (staff only): walked as the anonymous visitor alone.
STAFF_ONLY = "admin/"
# Walked operation by operation below; its schema and docs read no input.
API = "api/"


def _json(response):
    return json.loads(response.content)


# --- the three findings -------------------------------------------------------------


def test_a_nul_in_a_calendar_address_is_a_400_without_signing_in(client):
    response = client.get("/calendar/%00/bookings.ics")

    assert response.status_code == 400
    assert REFUSAL in response.content.decode()


def test_a_nul_in_the_faq_search_is_a_400(frozen_now, employee_client):
    response = employee_client.get("/api/v1/faq/search?q=policy&topic=%00")
    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"
    assert REFUSAL in _json(response)["message"]

    page = employee_client.get("/faq/?q=policy&topic=%00")
    assert page.status_code == 400
    assert REFUSAL in page.content.decode()


def test_a_nul_in_a_new_questions_topic_is_a_400(frozen_now, employee_client):
    response = employee_client.post(
        "/api/v1/questions",
        {"title": "Policyn för TikTok?", "topic": "\u0000"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"
    assert REFUSAL in _json(response)["message"]
    assert not Question.objects.exists()


# --- the other ways in --------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"title": "Fråga", "body": "\\u0000"}',
        '{"title": "Fråga \\ud800"}',  # a lone surrogate
        '{"title": "Fråga", "extra": {"nested": ["ok", "\\u0000"]}}',
        '{"title": "Fråga", "extra": {"k\\u0000": 1}}',  # in a key
    ],
)
def test_an_unstorable_character_anywhere_in_a_json_body_is_a_400(
    frozen_now, employee_client, body
):
    response = employee_client.post("/api/v1/questions", body, content_type="application/json")

    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"
    assert not Question.objects.exists()


@pytest.mark.parametrize("inside", ['"x"', '"\\u0000"'])
def test_json_nested_too_deep_to_read_is_a_400(frozen_now, employee_client, inside):
    body = '{"title": ' + "[" * 100_000 + inside + "]" * 100_000 + "}"
    response = employee_client.post("/api/v1/questions", body, content_type="application/json")

    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"


def test_too_many_fields_is_a_400(employee_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    page = employee_client.get("/faq/?" + "&".join(f"f{i}=x" for i in range(20)))
    api_call = employee_client.get("/api/v1/faq/search?" + "&".join(f"f{i}=x" for i in range(20)))

    assert page.status_code == api_call.status_code == 400
    assert _json(api_call)["code"] == "bad_request"


def test_json_sent_as_another_type_is_checked_too(frozen_now, employee_client):
    # The API reads any body as JSON, whatever its Content-Type says.
    response = employee_client.post(
        "/api/v1/questions", '{"title": "x\\u0000"}', content_type="text/plain"
    )

    assert response.status_code == 400
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_json_sent_to_the_api_as_a_form_is_checked_too(frozen_now, employee_client, content_type):
    # A form's fields are not where the API looks: it reads the body as JSON anyway.
    response = employee_client.post(
        "/api/v1/questions", '{"title": "Fråga", "topic": "\\u0000"}', content_type=content_type
    )

    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"
    assert REFUSAL in _json(response)["message"]
    assert not Question.objects.exists()


def test_a_nul_in_a_form_is_a_400_whether_urlencoded_or_multipart(frozen_now, employee_client):
    url = "/questions/ask/"
    urlencoded = employee_client.post(
        url, "title=Fr%C3%A5ga&body=a%00b", content_type="application/x-www-form-urlencoded"
    )
    multipart = employee_client.post(url, {"title": "Fråga", "body": "a\x00b"})
    in_a_name = employee_client.post(url, {"title": "Fråga", "b\x00": "x"})

    assert (urlencoded.status_code, multipart.status_code, in_a_name.status_code) == (
        400,
        400,
        400,
    )
    assert not Question.objects.exists()


def test_a_nul_in_a_cookie_or_a_header_is_a_400(client, employee):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    assert client.get("/").status_code == 400

    bearer = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer fs_\x00abc")
    assert bearer.status_code == 400
    assert _json(bearer)["code"] == "bad_request"


def test_the_refusal_is_in_the_visitors_language(client):
    page = client.get("/faq/?topic=%00", HTTP_ACCEPT_LANGUAGE="en")
    api_call = client.get("/api/v1/faq/search?q=%00", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == api_call.status_code == 400
    assert "cannot be saved" in page.content.decode()
    assert "cannot be saved" in _json(api_call)["message"]


def test_forms_and_json_still_arrive_after_the_check(frozen_now, employee_client):
    """The check reads the body first; the views must still read it as usual."""
    urlencoded = employee_client.post(
        "/questions/ask/",
        "title=Fr%C3%A5ga+ett&body=Rad",
        content_type="application/x-www-form-urlencoded",
    )
    multipart = employee_client.post("/questions/ask/", {"title": "Fråga två", "body": "Rad"})
    api_call = employee_client.post(
        "/api/v1/questions", {"title": "Fråga tre"}, content_type="application/json"
    )
    multipart_to_the_api = employee_client.post("/api/v1/questions", {"title": "Fyra"})

    assert (urlencoded.status_code, multipart.status_code, api_call.status_code) == (
        302,
        302,
        201,
    )
    assert multipart_to_the_api.status_code == 400  # not JSON: the API's own answer
    assert sorted(Question.objects.values_list("title", flat=True)) == [
        "Fråga ett",
        "Fråga tre",
        "Fråga två",
    ]


def test_a_body_too_large_to_read_is_left_to_the_view(frozen_now, employee_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = employee_client.post(
        "/api/v1/questions", {"title": "x" * 2000}, content_type="application/json"
    )

    assert response.status_code == 413
    assert _json(response)["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "url",
    [
        f"/questions/{HUGE}/",
        f"/api/v1/questions/{HUGE}",
        f"/advisers/questions/hints/?ids={HUGE},1",
        f"/book/?series={HUGE}",
        "/faq/?page=99999999999999999999",
        f"/api/v1/faq/search?q=policy&offset={HUGE}&limit={HUGE}",
        "/api/v1/sessions?from=2026-02-30&to=x",
    ],
)
def test_numbers_past_64_bits_and_impossible_dates_are_no_500(frozen_now, adviser_client, url):
    assert adviser_client.get(url).status_code < 500


@pytest.mark.parametrize("path", ["/questions/", "/api/v1/questions"])
@pytest.mark.parametrize("error", [OverflowError("too large"), DataError("out of range")])
def test_a_number_out_of_the_databases_range_is_a_400(rf, path, error):
    """What no form checked, the database refuses (past 64 bits: OverflowError on SQLite,
    DataError on PostgreSQL); the sender hears why, not "something went wrong"."""
    response = UnstorableInputMiddleware(lambda request: None).process_exception(
        rf.get(path), error
    )

    assert response.status_code == 400
    text = _json(response)["message"] if path.startswith("/api/") else response.content.decode()
    assert "för stort eller för litet" in text


def test_the_api_answers_a_number_out_of_range_as_a_400(rf):
    response = api.on_exception(rf.get("/api/v1/questions"), OverflowError("too large"))

    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"


@pytest.mark.parametrize("zone", ["Europe", "x" * 10_000])
def test_a_time_zone_that_is_a_folder_or_too_long_is_a_422(frozen_now, adviser_client, zone):
    # Either made the zone database raise OSError, which no validator expected.
    response = adviser_client.post(
        "/api/v1/series",
        {"title": "Tisdagsfrågor", "weekday": 1, "start_time": "14:00", "timezone": zone},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert _json(response)["errors"][0]["loc"] == ["body", "payload", "timezone"]


# --- the walks ----------------------------------------------------------------------


@pytest.fixture
def world(frozen_now, employee, adviser, session):
    """One of everything a URL names, so the walk reaches the views behind the ids."""
    slot = slot_at(session)
    booking = booking_create(user=employee, slot_id=slot.pk)
    question = question_create(author=employee, title="Policyn för TikTok?")
    topic = make_topic()
    entry = make_entry("Hur gör jag?", topic=topic, tags=["policy"])
    token, _secret = api_token_create(user=employee, name="Skript")
    notification = Notification.objects.order_by("pk").first()
    record_heartbeat()  # /health/ready/ answers 503 (by design) while no worker ran
    ids = {
        "series_id": session.series_id,
        "session_id": session.pk,
        "slot_id": slot.pk,
        "booking_id": booking.pk,
        "question_id": question.pk,
        "into_id": question.pk,
        "entry_id": entry.pk,
        "topic_id": topic.pk,
        "tag_id": Tag.objects.get().pk,
        "group_id": synonym_group_save(terms="bil, auto").pk,
        "token_id": token.pk,
        "notification_id": notification.pk if notification else 1,
    }
    texts = {
        "slug": entry.slug,
        "token": employee.calendar_token,
        "key": "bookings",
        "app_label": "auth",
        "url": "",
        "uidb36": "1",
        "provider_id": "x",
        "rest": "x",
    }
    return {name: str(value) for name, value in ids.items()} | texts


@pytest.fixture
def personas(employee, adviser):
    """Anonymous, employee, adviser: a client for each, signed in (again, where a walk
    may have signed itself out)."""

    def signed_in(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return {
        name: (user, signed_in(user))
        for name, user in (("anonymous", None), ("employee", employee), ("adviser", adviser))
    }


def _patterns(patterns=None, prefix="") -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern, with its parents' routes before its own."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + _route(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route)
        else:
            yield route, entry


def _route(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        # A regex's named groups become <name>, as in a route; the rest unescaped.
        text = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", r"<\1>", text.strip("^$"))
        text = re.sub(r"\\(.)", r"\1", text)
    return text


def _url(route: str, values: dict[str, str], default: str | None = None) -> str | None:
    def value(match: re.Match[str]) -> str:
        found = values.get(match.group(1), default)
        if found is None:
            raise KeyError(match.group(1))
        return found

    try:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    except KeyError:
        return None


def _reaches(url: str, pattern: URLPattern) -> bool:
    """Whether a URL is the pattern's: one another pattern answers is not its test."""
    try:
        return resolve(unquote(url.split("?")[0])).func is pattern.callback
    except Resolver404:
        return False


def _input_names() -> list[str]:
    """The names of every field the site reads: its forms' and its request.GET/POST keys."""
    names: set[str] = set()
    stack = list(forms.BaseForm.__subclasses__())
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        if form.__module__.startswith(("officehours", "faq", "allauth")):
            names.update(getattr(form, "base_fields", {}))
    for source in [
        *Path(settings.BASE_DIR, "officehours").rglob("*.py"),
        *Path(settings.BASE_DIR, "faq").rglob("*.py"),
    ]:
        names.update(
            re.findall(
                r"request\.(?:GET|POST)(?:\.get\(|\.getlist\(|\[)\"(\w+)\"", source.read_text()
            )
        )
    return sorted(names)


def _kept_out(response) -> bool:
    """Refused before the view reads input: a 403, a 404, a sign-in, a wrong method."""
    location = response.get("Location", "")
    return response.status_code in (403, 404, 405) or "/login/" in location


class Walk:
    """Sends requests and keeps every answer of 500 or more (or an exception)."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.count = 0

    def send(self, client, method, url, who, *, query=None, body=None):
        """query: the query string of a GET, the form of any other; body: JSON."""
        kwargs = {}
        if query is not None and method == "get":
            url = f"{url}?{query}"
        elif query is not None:
            kwargs = {"data": query, "content_type": "application/x-www-form-urlencoded"}
        elif body is not None:
            kwargs = {"data": body, "content_type": "application/json"}
        self.count += 1
        what = f"{who} {method.upper()} {url[:100]} {body or ''!r:.100}"
        try:
            response = getattr(client, method)(url, **kwargs)
        except Exception as exc:  # the test client re-raises a page's exception
            self.failures.append(f"{what}: {exc!r}"[:300])
            return None
        if response.status_code >= 500:
            self.failures.append(f"{what}: {response.status_code}")
        return response

    def expect(self, response, status: int, what: str) -> None:
        if response is not None and response.status_code != status:
            self.failures.append(f"{what}: {response.status_code}, not {status}")


@pytest.mark.walk
def test_every_url_pattern_answers_odd_values_in_its_path_below_500(world, personas):
    walk = Walk()
    for route, pattern in _patterns():
        if "<" not in route:
            continue
        for odd in ODD_IN_PATHS:
            url = _url(route, {}, default=odd)
            if url is None or not _reaches(url, pattern):
                continue  # the converter does not take it: a 404 before any view
            for who, (_user, client) in personas.items():
                if who != "anonymous" and route.startswith(STAFF_ONLY):
                    continue
                response = walk.send(client, "get", url, who)
                if response is None or response.status_code == 405 or not _kept_out(response):
                    # (A POST is refused as the GET was: not found, not allowed.)
                    walk.send(client, "post", url, who)
    assert walk.count > 1000  # the walk found the URL patterns
    assert walk.failures == [], "\n".join(walk.failures[:20])


@pytest.mark.walk
def test_every_page_answers_odd_queries_and_forms_below_500(world, personas):
    names = _input_names()
    assert {"q", "topic", "page", "title", "body", "ids"} <= set(names)
    # Request i gives field j the value ODD[(i + j) % n]: every field meets every value.
    queries = [
        "&".join(f"{quote(name)}={ODD[(i + j) % len(ODD)]}" for j, name in enumerate(names))
        for i in range(len(ODD))
    ]
    nul_query = "&".join(f"{quote(name)}={NUL}" for name in names)
    walk = Walk()
    for route, pattern in _patterns():
        url = _url(route, world)
        if url is None or route.startswith((STAFF_ONLY, API)) or not _reaches(url, pattern):
            continue
        for who, (user, client) in personas.items():
            if user is not None:
                client.force_login(user)
            for method in ("get", "post"):
                for query in [*queries, nul_query]:
                    response = walk.send(client, method, url, who, query=query)
                    if query == nul_query:
                        walk.expect(response, 400, f"{who} {method.upper()} {url} with a NUL")
                    elif response is not None and _kept_out(response):
                        # Refused before the view reads anything: the rest would be too.
                        walk.send(client, method, url, who, query=nul_query)
                        break
    assert walk.count > 2000
    assert walk.failures == [], "\n".join(walk.failures[:20])


def _schema_value(schema: dict, components: dict, leaf) -> object:
    """A value shaped as the OpenAPI schema says, with leaf(type) at every leaf."""
    if "$ref" in schema:
        return _schema_value(components[schema["$ref"].rsplit("/", 1)[1]], components, leaf)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            return _schema_value(schema[union][0], components, leaf)
    kind = schema.get("type", "string")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _schema_value(sub, components, leaf) for name, sub in properties.items()}
    if kind == "array":
        return [_schema_value(schema.get("items", {}), components, leaf)]
    return leaf(kind)


# Each: what a string, a number and a boolean become in one body.
BODY_LEAVES = {
    "nul": {"string": "a\x00b", "integer": 1, "number": 1, "boolean": True},
    "surrogate": {"string": "a\ud800b", "integer": 1, "number": 1, "boolean": True},
    "long": {"string": LONG, "integer": 1, "number": 1, "boolean": True},
    "huge": {"string": HUGE, "integer": 2**70, "number": 1e308, "boolean": True},
    "negative": {"string": "-1", "integer": -(2**70), "number": -1e308, "boolean": False},
    "wrong types": {"string": 123, "integer": HUGE, "number": "x", "boolean": "maybe"},
    "lists": {"string": ["x"], "integer": [1], "number": {}, "boolean": []},
}


@pytest.mark.walk
def test_every_api_operation_answers_odd_values_below_500(world, personas):
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    walk = Walk()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            known = _url(re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")), world, default="1")
            body_schema = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ).get("schema")
            requests: list[tuple[str, str | None, bool]] = []  # (url, body, refused?)
            for odd in (HUGE, "-1", "%00", LONG):
                # Odd path and query values: an id past 64 bits, a NUL in a filter, ...
                url = _url(re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")), {}, default=odd)
                query = "&".join(f"{p['name']}={odd}" for p in parameters if p["in"] == "query")
                requests.append((f"{url}?{query}", None, "%00" in f"{url}?{query}"))
                if query:
                    requests.append((f"{known}?{query}", None, "%00" in query))
            if body_schema:
                for leaves in BODY_LEAVES.values():
                    body = json.dumps(_schema_value(body_schema, components, leaves.get))
                    requests.append((known, body, "\\u0000" in body or "\\ud800" in body))
                requests.append((known, '{"k\\u0000": {"x": ["\\u0000"]}}', True))
                requests.append((known, "[1, 2", False))
                requests.append((known, "\x00", True))
            for who, (user, client) in personas.items():
                if user is not None:
                    client.force_login(user)
                for url, body, refused in dict.fromkeys(requests):
                    response = walk.send(client, method, url, who, body=body)
                    if refused:
                        walk.expect(
                            response, 400, f"{who} {method.upper()} {url[:80]} {body!r:.80}"
                        )
    assert walk.count > 500  # the schema listed the operations
    assert walk.failures == [], "\n".join(walk.failures[:20])
