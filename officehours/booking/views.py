"""Employees' pages: book a slot, my bookings, cancel, reschedule, the waitlist."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faq.suggestions import suggestions_for
from officehours import limits
from officehours.booking import selectors
from officehours.booking.forms import BookForm, RescheduleForm
from officehours.booking.models import Booking, Session, Slot
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.waitlist import waitlist_join, waitlist_leave
from officehours.calendars.addresses import series_feed_address
from officehours.permissions import employee_required
from officehours.questions import selectors as question_selectors
from officehours.questions.services import question_from_note


def _when(dt):
    return formats.date_format(timezone.localtime(dt), "l j F H:i")


@employee_required
def book(request):
    series_id = limits.id_from(request.GET.get("series"))
    sessions = selectors.upcoming_sessions(
        user=request.user, now=timezone.now(), series_id=series_id
    )
    # Each series on the page, once, with its public calendar feed.
    shown = {view.session.series_id: view.session.series for view in sessions}
    feeds = [{"series": one, **series_feed_address(one)} for one in shown.values()]
    # A question brought from the ask page rides along to the chosen slot's form.
    note = request.GET.get("note", "")[:4000]
    return render(
        request,
        "booking/book.html",
        {"sessions": sessions, "series_feeds": feeds, "note": note},
    )


@employee_required
def book_slot(request, slot_id: int):
    slot = get_object_or_404(Slot.objects.select_related("session__series"), pk=slot_id)
    if request.method == "POST":
        form = BookForm(request.POST)
        if form.is_valid():
            note = form.cleaned_data["note"]
            if note.strip() and not request.POST.get("suggestions_seen"):
                # Without JavaScript (which shows them beside the form as the note is
                # typed, and marks the form as it is sent) the FAQ's suggestions come
                # as a step before booking.
                found = suggestions_for(note)
                if found:
                    return _book_page(request, slot, form, suggestions=found)
            try:
                booking = booking_create(
                    user=request.user, slot_id=slot.pk, note=form.cleaned_data["note"]
                )
            except BookingRefused as refusal:
                return _book_page(request, slot, form, refusal)
            except Slot.DoesNotExist as gone:  # removed meanwhile
                raise Http404 from gone
            question_from_note(author=request.user, note=booking.note, booking=booking)
            messages.success(
                request, _("Booked: %(when)s.") % {"when": _when(booking.slot.starts_at)}
            )
            return redirect("booking:booked", booking.pk)
        return _book_page(request, slot, form, status=400)
    form = BookForm(initial={"note": request.GET.get("note", "")[:4000]})
    return _book_page(request, slot, form)


def _book_page(request, slot, form, refusal=None, status=200, suggestions=None):
    # What the booking rule says now: a slot that cannot be booked says why up front.
    view, item = selectors.slot_to_book(user=request.user, slot=slot, now=timezone.now())
    # Their booking of this very slot, if they have one: where open questions can go.
    here = next((one for one in view.my_bookings if one.slot_id == slot.pk), None)
    return render(
        request,
        "booking/book_slot.html",
        {
            "slot": slot,
            "session": slot.session,
            "session_view": view,
            "blocked": item.refusal,
            "form": form,
            "refusal": refusal,
            "suggestions": suggestions or [],
            "preview": suggestions is not None,
            "booking_here": here,
            "to_bring": question_selectors.questions_to_bring(author=request.user),
        },
        status=refusal.status if refusal else status,
    )


@employee_required
def mine(request):
    return _mine_page(request)


def _mine_page(request, refusal=None):
    """My bookings; a refused action on one of them (leaving a waitlist) shows here."""
    now = timezone.now()
    context: dict[str, object] = dict(selectors.my_bookings(user=request.user, now=now))
    context["waitlist"] = selectors.my_waitlist(user=request.user, now=now)
    context["refusal"] = refusal
    status = refusal.status if refusal else 200
    return render(request, "booking/my_bookings.html", context, status=status)


def _own_booking(request, booking_id) -> Booking:
    # Someone else's booking does not exist for this person: 404, not 403.
    return get_object_or_404(
        Booking.objects.select_related("slot", "session__series"),
        pk=booking_id,
        user=request.user,
    )


@employee_required
def cancel(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    if request.method == "POST":
        try:
            booking_cancel(booking=booking, actor=request.user)
        except BookingRefused as refusal:
            context = {"booking": booking, "refusal": refusal}
            return render(request, "booking/cancel.html", context, status=refusal.status)
        messages.success(
            request, _("Cancelled: %(when)s.") % {"when": _when(booking.slot.starts_at)}
        )
        return redirect("booking:mine")
    return render(request, "booking/cancel.html", {"booking": booking})


@employee_required
def reschedule(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    if not booking.is_active:
        raise Http404
    now = timezone.now()
    free = selectors.free_slots_for(booking=booking, user=request.user, now=now)
    choices = [(view.slot.pk, _when(view.slot.starts_at)) for view in free]
    form = RescheduleForm(request.POST or None, slot_choices=choices)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            moved = booking_reschedule(
                booking=booking, slot_id=form.cleaned_data["slot"], actor=request.user
            )
        except (BookingRefused, Slot.DoesNotExist) as exc:
            refusal = exc if isinstance(exc, BookingRefused) else BookingRefused("slot_full")
        else:
            messages.success(
                request, _("Moved to %(when)s.") % {"when": _when(moved.slot.starts_at)}
            )
            return redirect("booking:mine")
    status = refusal.status if refusal else (400 if request.method == "POST" else 200)
    return render(
        request,
        "booking/reschedule.html",
        {"booking": booking, "form": form, "refusal": refusal, "has_choices": bool(choices)},
        status=status,
    )


@employee_required
def waitlist(request, session_id: int):
    session = get_object_or_404(Session.objects.select_related("series"), pk=session_id)
    form = BookForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = waitlist_join(
                user=request.user, session_id=session.pk, note=form.cleaned_data["note"]
            )
        except BookingRefused as exc:
            refusal = exc
        else:
            question_from_note(author=request.user, note=entry.note, waitlist_entry=entry)
            messages.success(
                request,
                _("You are on the waitlist for %(when)s. We will tell you if a seat frees up.")
                % {"when": _when(session.starts_at)},
            )
            return redirect("booking:mine")
    status = refusal.status if refusal else (400 if request.method == "POST" else 200)
    return render(
        request,
        "booking/waitlist.html",
        {"session": session, "form": form, "refusal": refusal},
        status=status,
    )


@require_POST
@employee_required
def waitlist_leave_view(request, session_id: int):
    session = get_object_or_404(Session, pk=session_id)
    try:
        waitlist_leave(user=request.user, session_id=session.pk)
    except BookingRefused as refusal:
        return _mine_page(request, refusal)
    messages.success(request, _("You have left the waitlist."))
    return redirect("booking:mine")


@employee_required
def booked(request, booking_id: int):
    """After booking: what was booked, and buttons that put it in a calendar."""
    booking = selectors.booking_of(user=request.user, booking_id=booking_id)
    if booking is None:
        # Someone else's booking does not exist for this person: 404, not 403.
        raise Http404
    questions = question_selectors.booking_questions(booking=booking)
    upcoming = booking.is_active and booking.slot.starts_at > timezone.now()
    to_bring = question_selectors.questions_to_bring(author=request.user) if upcoming else []
    return render(
        request,
        "booking/booked.html",
        {"booking": booking, "questions": questions, "to_bring": to_bring},
    )
