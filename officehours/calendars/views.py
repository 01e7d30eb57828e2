"""Calendar files over HTTP: the secret personal feeds, the public series feed, invitations.

A personal feed is found by its user's secret token alone (calendar apps send
no cookies). A wrong token, a regenerated one, an inactive or unverified
account, or a non-adviser asking for the sessions feed all get the same 404.
"""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from officehours import permissions
from officehours.accounts.models import User
from officehours.booking.models import Booking, Series
from officehours.calendars.ics import adviser_feed, employee_feed, series_feed
from officehours.calendars.responses import ics_response, invitation_response
from officehours.permissions import employee_required

PERSONAL_CACHE = "private, max-age=300"
PUBLIC_CACHE = "public, max-age=300"
TOKEN_MAX = cast(int, User._meta.get_field("calendar_token").max_length)  # a CharField has one


def _owner_of(token: str) -> User:
    # Looked up by the unique index; too long a token is not worth a query.
    if not token or len(token) > TOKEN_MAX:
        raise Http404
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or not permissions.is_employee(user):
        raise Http404
    return user


def _personal(body: bytes, filename: str) -> HttpResponse:
    response = ics_response(body, filename=filename, attachment=False, cache=PERSONAL_CACHE)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def bookings_feed(request: HttpRequest, token: str) -> HttpResponse:
    return _personal(employee_feed(_owner_of(token)), "fragestund-bookings.ics")


@require_safe
def sessions_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = _owner_of(token)
    if not permissions.is_adviser(user):
        raise Http404
    return _personal(adviser_feed(user), "fragestund-sessions.ics")


@require_safe
def series_feed_view(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    return ics_response(
        series_feed(series),
        filename=f"fragestund-series-{series.pk}.ics",
        attachment=False,
        cache=PUBLIC_CACHE,
    )


@require_safe
@employee_required
def booking_invite(request, booking_id: int):
    # Someone else's booking does not exist for this person: 404, not 403.
    booking = get_object_or_404(
        Booking.objects.select_related("slot", "session__series", "user"),
        pk=booking_id,
        user=request.user,
    )
    return invitation_response(booking)
