"""The advisers' pages: session list, agenda and its actions, the weekly schedule.

Thin views: read through agenda.py, check input with adviser_forms.py, write
through the services, redirect after every successful POST. A refusal or bad
input re-renders the page with a 4xx status and what was typed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from officehours.booking import agenda as selectors
from officehours.booking.adviser_forms import (
    AttendanceNoteForm,
    ReasonForm,
    SeriesForm,
    SessionMoveForm,
)
from officehours.booking.models import Booking, Series, Session
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_set_adviser_note,
    booking_set_attendance,
)
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.sessions import (
    series_create,
    series_update,
    session_cancel,
    session_move,
    session_reinstate,
)
from officehours.permissions import adviser_required

SESSIONS_PER_PAGE = 50


def _zone_name(user) -> str:
    """The viewer's time zone, or the site's if theirs is unknown."""
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return settings.TIME_ZONE
    return name


def _get_session(session_id: int) -> Session:
    try:
        return selectors.session_for_agenda(session_id)
    except Session.DoesNotExist:
        raise Http404 from None


def _get_booking(booking_id: int) -> Booking:
    try:
        return selectors.booking_for_action(booking_id)
    except Booking.DoesNotExist:
        raise Http404 from None


def _get_series(series_id: int) -> Series:
    try:
        return selectors.series_for_edit(series_id)
    except Series.DoesNotExist:
        raise Http404 from None


def _refuse_if_started(session: Session) -> None:
    """Cancel, reinstate and move are for weeks to come; what has started stays as it was."""
    if session.starts_at <= timezone.now():
        raise BookingRefused("session_over")


def _person(booking: Booking) -> str:
    user = booking.user
    return (user.name or user.email) if user else _("a deleted user")


# The session list -------------------------------------------------------------------


@never_cache
@adviser_required
def sessions(request):
    past = request.GET.get("past") == "1"
    queryset = selectors.session_list(now=timezone.now(), past=past)
    page = Paginator(queryset, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "advisers/sessions.html",
        {"page": page, "sessions": page.object_list, "past": past, "tz": _zone_name(request.user)},
    )


# The agenda and its actions ---------------------------------------------------------


def _agenda_page(
    request,
    session: Session,
    *,
    status: int = 200,
    error: str = "",
    cancel_form: ReasonForm | None = None,
):
    """The agenda: read-only rows, each linking to its booking's edit and cancel pages."""
    context = {
        "agenda": selectors.session_agenda(session),
        "session": session,
        "series": session.series,
        "tz": _zone_name(request.user),
        "now": timezone.now(),
        "error": error,
        # A session cancel without a valid reason: the message links to the field.
        "error_anchor": "session-cancel-reason" if cancel_form and cancel_form.errors else "",
        "cancel_form": cancel_form or ReasonForm(auto_id="session-cancel-%s"),
    }
    return render(request, "advisers/agenda.html", context, status=status)


@never_cache
@adviser_required
def agenda(request, session_id: int):
    return _agenda_page(request, _get_session(session_id))


def _agenda_url(session: Session) -> str:
    return reverse("advisers:agenda", args=[session.pk])


def _booking_page(request, template: str, booking: Booking, status: int = 200, **context):
    """A page about one booking (its edit or cancel form), with who booked and when."""
    context.update(
        booking=booking,
        session=booking.session,
        series=booking.session.series,
        name=_person(booking),
        tz=_zone_name(request.user),
        agenda_url=f"{_agenda_url(booking.session)}#booking-{booking.pk}",
    )
    return render(request, template, context, status=status)


def _refused_page(request, booking: Booking, refusal: BookingRefused):
    """A booking action that cannot be done (the booking is cancelled, say): why, and a
    way back to the agenda."""
    return _booking_page(
        request, "advisers/booking_refused.html", booking, refusal.status, error=refusal.message
    )


@never_cache
@adviser_required
@require_http_methods(["GET", "POST"])
def booking_edit(request, booking_id: int):
    """Attendance and internal note of one booking. htmx loads the form into the agenda's
    row; without JavaScript it is this page. Saving goes back to the agenda."""
    booking = _get_booking(booking_id)
    if booking.status != Booking.ACTIVE:
        if request.htmx:  # htmx swaps no 4xx answer: the browser shows the page instead
            return HttpResponseClientRedirect(request.get_full_path())
        return _refused_page(request, booking, BookingRefused("not_active"))
    if request.method != "POST":
        form = AttendanceNoteForm(
            initial={"attendance": booking.attendance, "adviser_note": booking.adviser_note},
            auto_id=f"booking-{booking.pk}-%s",
        )
        if not request.htmx:
            return _booking_page(request, "advisers/booking_edit.html", booking, form=form)
        # In place of the row whose link was followed: the focus goes to the form.
        form.fields["attendance"].widget.attrs["autofocus"] = True
        return _booking_page(request, "advisers/_booking_edit_row.html", booking, form=form)
    form = AttendanceNoteForm(request.POST, auto_id=f"booking-{booking.pk}-%s")
    if not form.is_valid():
        return _booking_page(request, "advisers/booking_edit.html", booking, 400, form=form)
    # Only what this adviser changed (see AttendanceNoteForm), so two at once both count.
    changed, data, name = form.changed_data, form.cleaned_data, _person(booking)
    try:
        if "attendance" in changed:
            booking_set_attendance(booking=booking, attendance=data["attendance"])
            messages.success(request, _("Attendance saved for %(name)s.") % {"name": name})
        if "adviser_note" in changed:
            booking_set_adviser_note(booking=booking, note=data["adviser_note"])
            messages.success(request, _("Internal note saved for %(name)s.") % {"name": name})
    except BookingRefused as exc:  # cancelled meanwhile
        return _refused_page(request, booking, exc)
    if not changed:
        messages.info(request, _("Nothing was changed."))
    return redirect(f"{_agenda_url(booking.session)}#booking-{booking.pk}")


@never_cache
@adviser_required
@require_http_methods(["GET", "POST"])
def booking_cancel_view(request, booking_id: int):
    """GET asks for the reason (the person is told it); POST cancels the booking."""
    booking = _get_booking(booking_id)
    if booking.status != Booking.ACTIVE:
        return _refused_page(request, booking, BookingRefused("not_active"))
    if request.method != "POST":
        form = ReasonForm(auto_id="cancel-%s")
        return _booking_page(request, "advisers/booking_cancel.html", booking, form=form)
    form = ReasonForm(request.POST, auto_id="cancel-%s")
    if not form.is_valid():
        return _booking_page(request, "advisers/booking_cancel.html", booking, 400, form=form)
    try:
        booking_cancel(
            booking=booking, actor=request.user, reason=form.cleaned_data["reason"], by_adviser=True
        )
    except BookingRefused as exc:
        return _booking_page(
            request,
            "advisers/booking_cancel.html",
            booking,
            exc.status,
            form=form,
            error=exc.message,
        )
    messages.success(
        request, _("The booking of %(name)s is cancelled.") % {"name": _person(booking)}
    )
    return redirect(f"{_agenda_url(booking.session)}#booking-{booking.pk}")


@adviser_required
@require_POST
def session_cancel_view(request, session_id: int):
    session = _get_session(session_id)
    form = ReasonForm(request.POST, auto_id="session-cancel-%s")
    if not form.is_valid():
        return _agenda_page(
            request,
            session,
            status=400,
            error=_("Please correct the errors below."),
            cancel_form=form,
        )
    if session.is_cancelled:
        return _agenda_page(
            request, session, status=409, error=_("This session is already cancelled.")
        )
    try:
        _refuse_if_started(session)
        session_cancel(session=session, reason=form.cleaned_data["reason"], actor=request.user)
    except BookingRefused as exc:
        return _agenda_page(
            request, session, status=exc.status, error=exc.message, cancel_form=form
        )
    messages.success(request, _("The session is cancelled, and every booking in it."))
    return redirect("advisers:agenda", session.pk)


@adviser_required
@require_POST
def session_reinstate_view(request, session_id: int):
    session = _get_session(session_id)
    if not session.is_cancelled:
        return _agenda_page(request, session, status=409, error=_("This session is not cancelled."))
    try:
        _refuse_if_started(session)
        session_reinstate(session=session, actor=request.user)
    except BookingRefused as exc:
        return _agenda_page(request, session, status=exc.status, error=exc.message)
    messages.success(request, _("The session is back on the schedule and open for booking."))
    return redirect("advisers:agenda", session.pk)


@never_cache
@adviser_required
@require_http_methods(["GET", "POST"])
def session_move_view(request, session_id: int):
    session = _get_session(session_id)
    tz = _zone_name(request.user)
    if session.starts_at <= timezone.now():
        return _agenda_page(
            request, session, status=409, error=BookingRefused("session_over").message
        )
    if request.method != "POST":
        form = SessionMoveForm(session=session)
        return render(request, "advisers/session_move.html", _move_context(session, form, tz))
    form = SessionMoveForm(request.POST, session=session)
    if not form.is_valid():
        return render(
            request, "advisers/session_move.html", _move_context(session, form, tz), status=400
        )
    changes = form.changes()
    if not changes:
        messages.info(request, _("Nothing was changed."))
        return redirect("advisers:agenda", session.pk)
    try:
        session_move(session=session, actor=request.user, **changes)
    except BookingRefused as exc:
        context = _move_context(session, form, tz, error=exc.message)
        return render(request, "advisers/session_move.html", context, status=exc.status)
    messages.success(request, _("The session is moved. Its bookings moved with it."))
    return redirect("advisers:agenda", session.pk)


def _move_context(session, form, tz, error=""):
    return {"session": session, "series": session.series, "form": form, "tz": tz, "error": error}


# The weekly schedule ----------------------------------------------------------------


@never_cache
@adviser_required
def series_list(request):
    return render(
        request,
        "advisers/series_list.html",
        {"series_list": selectors.series_list(), "tz": _zone_name(request.user)},
    )


def _series_form_page(request, form, series=None, status=200):
    return render(
        request, "advisers/series_form.html", {"form": form, "series": series}, status=status
    )


def _save_series(request, form, save):
    """Runs series_create/series_update; a model validation error goes back on the form."""
    fields, advisers = form.service_fields()
    try:
        return save(fields, advisers)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


@never_cache
@adviser_required
@require_http_methods(["GET", "POST"])
def series_create_view(request):
    if request.method != "POST":
        return _series_form_page(request, SeriesForm())
    form = SeriesForm(request.POST)
    if form.is_valid():
        series = _save_series(
            request, form, lambda fields, advisers: series_create(advisers=advisers, **fields)
        )
        if series is not None:
            messages.success(
                request,
                _("The series “%(title)s” is created and its sessions are scheduled.")
                % {"title": series.title},
            )
            return redirect("advisers:series_list")
    return _series_form_page(request, form, status=400)


@never_cache
@adviser_required
@require_http_methods(["GET", "POST"])
def series_edit_view(request, series_id: int):
    series = _get_series(series_id)
    if request.method != "POST":
        return _series_form_page(request, SeriesForm(instance=series), series)
    form = SeriesForm(request.POST, instance=series)
    if form.is_valid():
        saved = _save_series(
            request,
            form,
            lambda fields, advisers: series_update(series=series, advisers=advisers, **fields),
        )
        if saved is not None:
            messages.success(
                request,
                _("The series “%(title)s” is saved. Sessions not yet started follow it.")
                % {"title": saved.title},
            )
            return redirect("advisers:series_list")
    # The form changed the instance while validating; show the stored title.
    return _series_form_page(request, form, _get_series(series_id), status=400)
