import zoneinfo

from django.utils import timezone, translation


class UserLanguageMiddleware:
    """A signed-in user's language is the one on their profile.

    Runs after LocaleMiddleware (which handles visitors: cookie, then
    Accept-Language) and AuthenticationMiddleware, and overrides the choice
    for signed-in users so every page they see matches their setting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class UserTimezoneMiddleware:
    """Pages show times in the signed-in user's time zone (their profile's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
