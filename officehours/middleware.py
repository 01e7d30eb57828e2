import zoneinfo
from typing import Any

import django_htmx.middleware
from django.contrib.messages import middleware as messages_middleware
from django.middleware import common
from django.utils import timezone, translation
from whitenoise.middleware import WhiteNoiseMiddleware

API_PREFIX = "/api/"


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
