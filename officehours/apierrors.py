"""Refusals the API returns as {"code": ..., "message": ...}."""

from django.utils.translation import gettext as _

from officehours.permissions import is_employee


class ApiError(Exception):
    """A refusal with a stable machine-readable code and a translated message."""

    def __init__(self, code: str, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra


def require_employee(request) -> None:
    """Only employees (active users with a verified address) get past this."""
    if not is_employee(request.user):
        raise ApiError(
            "email_unverified",
            _("Verify your e-mail address before using this."),
            status=403,
        )
