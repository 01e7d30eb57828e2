from django.conf import settings
from django.http import HttpRequest

from officehours import permissions


def navigation(request: HttpRequest) -> dict[str, bool]:
    """What the navigation shows: only what the user's role may do."""
    user = getattr(request, "user", None)
    return {
        "nav_is_employee": permissions.is_employee(user),
        "nav_is_adviser": permissions.is_adviser(user),
        "nav_is_administrator": permissions.is_administrator(user),
        "sso_enabled": bool(settings.OIDC_SERVER_URL),
    }
