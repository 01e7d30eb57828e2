"""Employees' question pages: ask, my questions, one question, shared questions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faq.suggestions import suggestions_for
from officehours import limits, permissions
from officehours.booking.models import Booking
from officehours.permissions import employee_required
from officehours.questions import selectors, services
from officehours.questions.forms import EditQuestionForm, QuestionForm
from officehours.questions.models import MeToo, Question


def _visible(request, question_id) -> Question:
    question = get_object_or_404(
        Question.objects.select_related(
            "topic", "author", "booking__slot", "unscheduled_from__slot"
        ),
        pk=question_id,
    )
    if not permissions.can_view_question(request.user, question):
        raise Http404
    return question


@employee_required
def ask(request):
    initial = {"title": request.GET.get("title", "")[:200]}
    booking = limits.id_from(request.GET.get("booking"))
    if booking is not None:
        initial["booking"] = booking
    form = QuestionForm(request.POST or None, user=request.user, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("suggestions_seen"):
            # Without JavaScript the suggestions come as a step before sending.
            found = suggestions_for(f"{data['title']} {data['body']}")
            if found:
                return render(
                    request,
                    "questions/ask.html",
                    {"form": form, "suggestions": found, "preview": True},
                )
        try:
            question = services.question_create(
                author=request.user,
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                booking=data["booking"],
                shared=data["shared"],
            )
        except services.QuestionRefused as exc:
            refusal = exc
        else:
            messages.success(request, _("Your question is sent to the comms team."))
            return redirect("questions:detail", question.pk)
    status = refusal.status if refusal else (400 if request.method == "POST" else 200)
    return render(request, "questions/ask.html", {"form": form, "refusal": refusal}, status=status)


@employee_required
def mine(request):
    questions = (
        Question.objects.filter(author=request.user)
        .select_related("topic", "booking__slot", "merged_into")
        .order_by("-created_at", "-id")
    )
    return render(request, "questions/mine.html", {"questions": questions})


@employee_required
def shared(request):
    questions = (
        Question.objects.filter(
            shared=True,
            state__in=[Question.SUBMITTED, Question.ANSWERED],
            live_status__in=Question.LIVE_SEEN,
        )
        .exclude(author=request.user)
        .select_related("topic")
        .order_by("-me_too_count", "-created_at")[:100]
    )
    following = set(
        MeToo.objects.filter(user=request.user, question__in=questions).values_list(
            "question_id", flat=True
        )
    )
    return render(
        request, "questions/shared.html", {"questions": questions, "following": following}
    )


@employee_required
def detail(request, question_id: int):
    return _detail_page(request, _visible(request, question_id))


def _detail_page(request, question: Question, refusal=None):
    """The question's page; a refused action on it (bring, withdraw, me too) shows here,
    inside the layout, with the refusal's status."""
    mine = question.author_id == request.user.pk
    bring_to = []
    if mine and question.booking_id is None and question.state in Question.OPEN_STATES:
        bring_to = selectors.bookings_to_bring_to(author=request.user)
    context = {
        "question": question,
        "sees_author": permissions.sees_question_author(request.user, question),
        "mine": mine,
        "me_too": MeToo.objects.filter(question=question, user=request.user).exists(),
        "bring_to": bring_to,
        "refusal": refusal,
    }
    status = refusal.status if refusal else 200
    return render(request, "questions/detail.html", context, status=status)


def _back_to(request, default: str) -> str:
    """The page a form came from (its `next`), if it is one of ours."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
@employee_required
def bring(request, question_id: int):
    """The author brings an open question to one of their upcoming bookings, from the
    question's page, the booking's confirmation or the book-a-slot page (`next`)."""
    question = _visible(request, question_id)
    if question.author_id != request.user.pk:
        raise Http404
    booking_id = limits.id_from(request.POST.get("booking"))
    if booking_id is None:
        return _detail_page(request, question, services.QuestionRefused("choose_booking", 400))
    booking = Booking.objects.filter(pk=booking_id, user=request.user).first()
    if booking is None:
        raise Http404
    try:
        services.question_bring_to_booking(question=question, booking=booking, actor=request.user)
    except services.QuestionRefused as exc:
        return _detail_page(request, question, exc)
    messages.success(request, _("Your question will be taken up at that booking."))
    return redirect(_back_to(request, reverse("questions:detail", args=[question.pk])))


@employee_required
def edit(request, question_id: int):
    question = _visible(request, question_id)
    if question.author_id != request.user.pk:
        raise Http404
    initial = {
        "title": question.title,
        "body": question.body,
        "topic": question.topic,
        "shared": question.shared,
    }
    form = EditQuestionForm(request.POST or None, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_update(
                question=question,
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                shared=data["shared"],
            )
        except services.QuestionRefused as exc:
            refusal = exc
        else:
            messages.success(request, _("Your question is saved."))
            return redirect("questions:detail", question.pk)
    status = refusal.status if refusal else (400 if request.method == "POST" else 200)
    return render(
        request,
        "questions/edit.html",
        {"form": form, "question": question, "refusal": refusal},
        status=status,
    )


@require_POST
@employee_required
def withdraw(request, question_id: int):
    question = _visible(request, question_id)
    if question.author_id != request.user.pk:
        raise Http404
    try:
        services.question_withdraw(question=question, actor=request.user)
    except services.QuestionRefused as exc:
        return _detail_page(request, question, exc)
    messages.success(request, _("Your question is withdrawn."))
    return redirect("questions:mine")


@require_POST
@employee_required
def me_too(request, question_id: int):
    question = _visible(request, question_id)
    try:
        if request.POST.get("action") == "remove":
            services.me_too_remove(question=question, user=request.user)
        else:
            services.me_too_add(question=question, user=request.user)
    except services.QuestionRefused as exc:
        return _detail_page(request, question, exc)
    return redirect("questions:detail", question.pk)
