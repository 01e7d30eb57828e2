import json
import logging
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from typing import Any

import django_htmx.middleware
from django.conf import settings
from django.contrib.messages import middleware as messages_middleware
from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware import common
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from whitenoise.middleware import WhiteNoiseMiddleware

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
UNSTORABLE = gettext_lazy(
    "The address or the data sent contains a character that cannot be saved,"
    " such as a NUL character. Remove it and try again."
)
UNREADABLE = gettext_lazy("The request could not be understood.")
OUT_OF_RANGE = gettext_lazy(
    "A number or a date sent is too large or too small. Check it and try again."
)

# NUL: PostgreSQL stores none in text. A lone surrogate (from a JSON "\ud800"): no
# database driver can encode one.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _session_user(request):
    """The signed-in user of the session, or None for an API call with a token: its
    user is known only once the API has read the token (apiauth.BearerTokenAuth, which
    then sets the language), and looking up the session's would be wasted."""
    bearer = request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
    if bearer and request.path_info.startswith(API_PREFIX):
        return None
    return getattr(request, "user", None)


class UserLanguageMiddleware:
    """A signed-in user's language is the one on their profile.

    Runs after LocaleMiddleware (which handles visitors: cookie, then
    Accept-Language) and AuthenticationMiddleware, and overrides the choice
    for signed-in users so every page they see matches their setting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = _session_user(request)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class UserTimezoneMiddleware:
    """Pages show times in the signed-in user's time zone (their profile's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = _session_user(request)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class _PagesOnly:
    """Mixed into a middleware the JSON API has no use for: API requests pass it by.

    Static files, slash redirects, flash messages and htmx details
    are the pages' concern; an API request would only pay for them (about a
    twentieth of a booking request's CPU). Subclasses keep the original's name
    checks (the admin looks for MessageMiddleware) and its own work for pages."""

    get_response: Any  # the middleware's own (sync or async, as each declares it)

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]  # the middleware after it in the MRO


class StaticFilesMiddleware(_PagesOnly, WhiteNoiseMiddleware):
    pass


class CommonMiddleware(_PagesOnly, common.CommonMiddleware):
    pass


class MessageMiddleware(_PagesOnly, messages_middleware.MessageMiddleware):
    pass


class HtmxMiddleware(_PagesOnly, django_htmx.middleware.HtmxMiddleware):
    pass


class UnstorableInputMiddleware:
    """Refuses (400) a request carrying a character the database cannot store.

    Wherever such a value met a query, the database driver failed and the visitor
    got a 500; one check here, before any view runs, covers every page and endpoint:
    the path, the query string, cookies and other headers, and a form or JSON body.
    SQLite would store a NUL; the refusal is the same on both databases. A body is
    read only if Django would read it anyway (DATA_UPLOAD_MAX_MEMORY_SIZE) and is
    cached, so the view still reads request.body and request.POST as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = any(_UNSTORABLE.search(text) for text in _request_texts(request))
        except (SuspiciousOperation, MultiPartParserError):
            # Too many fields, or a broken multipart body: unreadable here as in a view.
            return bad_request(request, UNREADABLE)
        if refused:
            return bad_request(request, UNSTORABLE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A number (or date) out of range that no form checked: past 64 bits for the
        database (OverflowError on SQLite, DataError on PostgreSQL), or past year 9999.
        The sender's mistake, refused as such; logged, as a check is missing."""
        if isinstance(exception, OverflowError | DataError):
            logger.warning(
                "Refused out of range: %s %s: %r", request.method, request.path, exception
            )
            return bad_request(request, OUT_OF_RANGE)
        return None


def _request_texts(request) -> Iterator[str]:
    yield request.path_info
    yield from _keys_and_values(request.GET.lists())
    yield from _keys_and_values(request.COOKIES.items())
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str):
            yield value
    if _body_to_read(request):
        body = request.body  # first, so that multipart parsing below reads the cache
        if request.path_info.startswith(API_PREFIX):
            # The API reads any body as JSON, a "form" too: checked as what it reads.
            yield from _json_texts(body)
        elif request.content_type in _FORMS:
            # Only the text fields: an uploaded file may hold any byte.
            yield from _keys_and_values(request.POST.lists())
        else:
            yield from _json_texts(body)


def _body_to_read(request) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # None: no limit
    # Too large: Django refuses it where a view reads it (413 in the API).
    return length > 0 and (limit is None or length <= limit)


def _keys_and_values(pairs: Iterable[tuple[str, Any]]) -> Iterator[str]:
    for key, values in pairs:
        yield key
        yield from values if isinstance(values, list) else [values]


def _json_texts(body: bytes) -> Iterator[str]:
    """The strings of a JSON body (the API reads any body as JSON), keys too."""
    if b"\x00" in body:
        yield "\x00"
        return
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return  # not JSON the API can read: it says so itself
    # Only an escape (\u0000, \ud800) brings such a character into clean UTF-8 text.
    if "\\u" not in text:
        return
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested too deep
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def bad_request(request, message):
    """A 400 saying why: a page, or the API's JSON. In the visitor's language from
    their cookie or browser, as it may come before LocaleMiddleware."""
    with translation.override(translation.get_language_from_request(request)):
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"code": "bad_request", "message": str(message)}, status=400)
        return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))
