"""The JSON API under /api/v1/: authentication and the error format.

Every error is JSON: {"code": "<stable machine-readable code>", "message": "<translated text>"}.
Callers authenticate with a personal token (Authorization: Bearer <token>) or
with the browser session, which then needs the CSRF token on unsafe methods.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from officehours.apiauth import EMPLOYEE_AUTH
from officehours.apierrors import ApiError
from officehours.middleware import API_PREFIX, OUT_OF_RANGE, UNREADABLE
from officehours.refusals import Refused

logger = logging.getLogger(__name__)


api = NinjaAPI(
    title="Frågestund API",
    version="1",
    description="Book the weekly question hour, ask ahead, search the FAQ.",
    urls_namespace="api",
    auth=EMPLOYEE_AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(
    request: HttpRequest, code: str, message: str, status: int, **extra: object
) -> HttpResponse:
    response = api.create_response(
        request, {"code": code, "message": message, **extra}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.code, exc.message, exc.status, **exc.extra)


@api.exception_handler(Refused)
def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    response = error_response(request, exc.code, exc.message, exc.status)
    if exc.code == "busy":
        response["Retry-After"] = "2"
    return response


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        "not_authenticated",
        _("Sign in, or send a personal API token as “Authorization: Bearer <token>”."),
        401,
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, "forbidden", _("You may not do that."), 403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, "not_found", _("Not found."), 404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        request,
        "invalid",
        _("Some of the data sent is not valid."),
        422,
        errors=[
            {"loc": list(e.get("loc", [])), "message": str(e.get("msg", ""))} for e in exc.errors
        ],
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's "Cannot parse request body (...)": malformed JSON or form data.
        return error_response(
            request, "bad_request", _("The request body could not be read as JSON."), 400
        )
    codes = {403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
    return error_response(request, codes.get(exc.status_code, "error"), str(exc), exc.status_code)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, "payload_too_large", _("The request is too large."), 413)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(request, "bad_request", str(UNREADABLE), 400)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # As UnstorableInputMiddleware answers for the pages: a number no schema limited.
    logger.warning("Refused out of range: %s %s: %r", request.method, request.path, exc)
    return error_response(request, "bad_request", str(OUT_OF_RANGE), 400)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error", exc_info=exc)
    return error_response(
        request, "server_error", _("Something went wrong on our side. Try again later."), 500
    )


def not_found_view(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's own format."""
    return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)


class ApiJsonErrorsMiddleware:
    """The few errors ninja answers in plain text (a wrong method: 405) become JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            json_response = JsonResponse(
                {"code": "method_not_allowed", "message": _("This method is not allowed here.")},
                status=405,
            )
            if allowed:
                json_response["Allow"] = allowed
            return json_response
        return response


# Routers register themselves here so the schema lists every endpoint.
from faq.api import router as faq_router  # noqa: E402
from officehours.accounts.api import router as accounts_router  # noqa: E402
from officehours.booking.api import router as booking_router  # noqa: E402
from officehours.live.api import router as live_router  # noqa: E402
from officehours.questions.api import router as questions_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/", booking_router)
api.add_router("/", questions_router)
api.add_router("/", live_router)
api.add_router("/", faq_router)
