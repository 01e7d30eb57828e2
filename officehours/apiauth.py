"""Who may call the API: token or browser session, and the role an endpoint needs.

The role is checked here, in authentication, so that a caller without it is
refused (403) before anything they sent is parsed or validated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import SessionAuth
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from officehours import permissions
from officehours.accounts.tokens import api_token_authenticate
from officehours.apierrors import ApiError

if TYPE_CHECKING:
    from officehours.accounts.models import User

ANY_USER = "any"


class ApiRequest(HttpRequest):
    """A request the API's authentication let through: its user is one of ours, signed in.

    For annotations only (Django builds the requests)."""

    user: User
    auth: User


def _check_role(user: User, role: str) -> User:
    if role == ANY_USER:
        return user
    if not permissions.is_employee(user):
        raise ApiError(
            "email_unverified", _("Verify your e-mail address before using this."), status=403
        )
    if role == permissions.ADVISER and not permissions.is_adviser(user):
        raise ApiError("forbidden", _("Only comms advisers may do that."), status=403)
    return user


class BearerTokenAuth(HttpBearer):
    def __init__(self, role: str = permissions.EMPLOYEE) -> None:
        self.role = role
        super().__init__()

    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _space, value = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        user = self.authenticate(request, value.strip())
        if user is None:
            # A token was sent and is wrong: say so, rather than falling back to the session.
            raise ApiError(
                "invalid_token",
                _("The API token is malformed, revoked or unknown."),
                status=401,
            )
        return _check_role(user, self.role)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        # UserLanguageMiddleware ran before the token was read: answer in the user's language now.
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


class BrowserSessionAuth(SessionAuth):
    """The browser session; unsafe methods must carry the CSRF token."""

    def __init__(self, role: str = permissions.EMPLOYEE) -> None:
        self.role = role
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(
                "csrf_failed",
                _("The form has expired or the CSRF token is missing. Reload the page."),
                status=403,
            )
        return _check_role(user, self.role)


def _auth_for(role: str) -> list[BearerTokenAuth | BrowserSessionAuth]:
    return [BearerTokenAuth(role), BrowserSessionAuth(role)]


EMPLOYEE_AUTH = _auth_for(permissions.EMPLOYEE)
ADVISER_AUTH = _auth_for(permissions.ADVISER)
ANY_USER_AUTH = _auth_for(ANY_USER)
