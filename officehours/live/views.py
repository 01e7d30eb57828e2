"""The live hour's pages: the hour itself (polled by htmx every POLL_MS), the
presenter view for a projector, and the forms behind each button. Every button is a
plain form: without JavaScript it posts and comes back to the page (reload to see what
others did); with htmx it swaps in the fresh list."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from officehours import permissions
from officehours.booking.models import Session
from officehours.live import hour, services
from officehours.live.forms import LiveAnswerForm, LiveAskForm, LiveHideForm
from officehours.live.selectors import hour_questions, live_hour, presenter_view
from officehours.live.summaries import live_summary_queue
from officehours.permissions import adviser_required, employee_required
from officehours.questions import services as question_services
from officehours.questions.models import Question
from officehours.refusals import Refused

# Each viewer's page asks this often whether anything changed: a change shows within
# POLL_MS and one request's time, inside the 2 s promised (issue 20). Polling a cheap
# endpoint, not server-sent events: see bench/live.py and the README for why.
POLL_MS = 1500
POLL_EVERY = f"{POLL_MS}ms"  # as htmx reads it, never localised (1 500)


def _session(session_id: int) -> Session:
    return get_object_or_404(Session.objects.select_related("series"), pk=session_id)


def _question(session: Session, question_id: int) -> Question:
    question = hour_questions(session).filter(pk=question_id).first()
    if question is None:
        raise Http404
    return question


def _button_question(session: Session, question_id: int, user) -> Question:
    """The question a button acts on; gone from the list since the page was drawn (merged,
    withdrawn, hidden), the refusal says so where the button was."""
    try:
        question = _question(session, question_id)
    except Http404:
        question = None
    if question is None or not permissions.can_view_question(user, question):
        raise services.LiveRefused("gone", status=404)
    return question


def _context(request, session: Session, **extra) -> dict:
    seen = live_hour(session, request.user)
    adviser = permissions.is_adviser(request.user)
    return {
        "session": session,
        "hour": seen,
        "adviser": adviser,
        "poll_every": POLL_EVERY,
        "opens_at": hour.opens_at(session),
        "live_url": settings.SITE_URL + reverse("live:short", args=[session.pk]),
        "summary_delay": settings.LIVE_SUMMARY_DELAY_MINUTES,
        **extra,
    }


@employee_required
def live(request, session_id: int):
    session = _session(session_id)
    context = _context(request, session, form=LiveAskForm())
    return render(request, "live/hour.html", context)


@employee_required
def poll(request, session_id: int):
    """The list, only if something changed since the caller's token (else 204, which
    htmx leaves alone): one primary-key read when nothing did."""
    version = Session.objects.filter(pk=session_id).values_list(
        "live_version", "starts_at", "ends_at"
    )
    row = version.first()
    if row is None:
        raise Http404
    live_version, starts_at, ends_at = row
    probe = Session(starts_at=starts_at, ends_at=ends_at)
    token = f"{live_version}.{hour.hour_state(probe)}"
    if request.GET.get("v") == token:
        return HttpResponse(status=204)
    session = _session(session_id)
    state_changed = request.GET.get("v", "").partition(".")[2] != token.partition(".")[2]
    if request.GET.get("view") == "present":
        seen, waiting = presenter_view(session)
        return render(
            request,
            "live/_present.html",
            {"session": session, "hour": seen, "waiting": waiting, "poll_every": POLL_EVERY},
        )
    context = _context(request, session, oob=True, state_changed=state_changed)
    return render(request, "live/_questions.html", {**context, "form": LiveAskForm()})


def _back(request, session: Session):
    """After a button: the fresh list for htmx, the page again without JavaScript."""
    if request.htmx:
        return render(request, "live/_questions.html", _context(request, session, oob=True))
    return redirect("live:hour", session.pk)


def _refused(request, session: Session, refusal: Refused, **extra):
    if request.htmx:
        # htmx swaps only a 2xx answer: the refusal shows in the fresh list instead.
        context = _context(request, session, refusal=refusal, oob=True)
        return render(request, "live/_questions.html", context)
    context = _context(request, session, refusal=refusal, form=LiveAskForm(), **extra)
    return render(request, "live/hour.html", context, status=refusal.status)


@employee_required
@require_POST
def ask(request, session_id: int):
    session = _session(session_id)
    form = LiveAskForm(request.POST)
    if not form.is_valid():
        # What was typed stays in the form.
        return render(request, "live/hour.html", _context(request, session, form=form), status=400)
    data = form.cleaned_data
    try:
        question = services.live_question_ask(
            session=session,
            author=request.user,
            title=data["title"],
            body=data["body"],
            shared=data["shared"],
        )
    except Refused as refusal:
        context = _context(request, session, form=form, refusal=refusal)
        return render(request, "live/hour.html", context, status=refusal.status)
    if question.live_status == Question.LIVE_PENDING:
        messages.success(
            request, _("Your question is sent. Colleagues see it once an adviser has approved it.")
        )
    else:
        messages.success(request, _("Your question is sent."))
    return redirect("live:hour", session.pk)


@employee_required
@require_POST
def me_too(request, session_id: int, question_id: int):
    session = _session(session_id)
    try:
        question = _button_question(session, question_id, request.user)
        if request.POST.get("action") == "remove":
            question_services.me_too_remove(question=question, user=request.user)
        else:
            question_services.me_too_add(question=question, user=request.user)
    except Refused as refusal:
        return _refused(request, session, refusal)
    return _back(request, _session(session_id))


@adviser_required
@require_POST
def approve(request, session_id: int, question_id: int):
    session = _session(session_id)
    try:
        question = _button_question(session, question_id, request.user)
        services.live_question_approve(question=question)
    except Refused as refusal:
        return _refused(request, session, refusal)
    return _back(request, _session(session_id))


@adviser_required
@require_POST
def now_answering(request, session_id: int, question_id: int):
    session = _session(session_id)
    try:
        question = _button_question(session, question_id, request.user)
        if request.POST.get("action") == "stop":
            services.live_now_answering_clear(question=question)
        else:
            services.live_now_answering(question=question)
    except Refused as refusal:
        return _refused(request, session, refusal)
    return _back(request, _session(session_id))


@adviser_required
def answer(request, session_id: int, question_id: int):
    session = _session(session_id)
    question = _question(session, question_id)
    form = LiveAnswerForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            question_services.question_answer(
                question=question, adviser=request.user, body=form.cleaned_data["body"]
            )
        except Refused as exc:
            refusal = exc
        else:
            messages.success(request, _("Answered. It shows as answered on the live page."))
            return redirect("live:hour", session.pk)
    status = refusal.status if refusal else (400 if request.method == "POST" else 200)
    context = {"session": session, "question": question, "form": form, "refusal": refusal}
    return render(request, "live/answer.html", context, status=status)


@adviser_required
def hide(request, session_id: int, question_id: int):
    session = _session(session_id)
    question = _question(session, question_id)
    form = LiveHideForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.live_question_hide(question=question, reason=form.cleaned_data["reason"])
        except Refused as exc:
            refusal = exc
        else:
            messages.success(request, _("Hidden. Only its asker sees why."))
            return redirect("live:hour", session.pk)
    status = refusal.status if refusal else (400 if request.method == "POST" else 200)
    context = {"session": session, "question": question, "form": form, "refusal": refusal}
    return render(request, "live/hide.html", context, status=status)


@adviser_required
@require_POST
def faq_drafts(request, session_id: int):
    session = _session(session_id)
    made = services.live_faq_drafts(session=session, adviser=request.user)
    context = {"session": session, "entries": made.entries, "skipped": made.skipped}
    return render(request, "live/drafts.html", context)


@adviser_required
@require_POST
def send_summary(request, session_id: int):
    session = _session(session_id)
    if hour.hour_state(session) != hour.ENDED:
        messages.error(request, _("The summary can be sent once the hour has ended."))
    elif live_summary_queue(session) is None:
        messages.info(request, _("The summary was already sent."))
    else:
        messages.success(request, _("The summary is on its way to the attendees and followers."))
    return redirect("live:hour", session.pk)


@employee_required
def present(request, session_id: int):
    session = _session(session_id)
    seen, waiting = presenter_view(session)
    context = {"session": session, "hour": seen, "waiting": waiting, "poll_every": POLL_EVERY}
    return render(request, "live/present.html", context)


def short(request, session_id: int):
    """The short link shown on screen (and in the QR code): to the live page."""
    return redirect("live:hour", session_id)
