"""The advisers' question workspace: the queue with bulk actions, and one question's page.

Thin views: read through queue.py, check input with adviser_forms.py, write through the
services, redirect after every successful POST. A refusal or bad input re-renders the page
with a 4xx status and what was typed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from faq.models import Entry
from faq.suggestions import best_for_each
from officehours import limits, markdown
from officehours.booking.adviser_views import _zone_name
from officehours.permissions import adviser_required
from officehours.questions import queue as selectors
from officehours.questions import services, similar
from officehours.questions.adviser_forms import (
    AnswerForm,
    AssignForm,
    BulkActionForm,
    DeclineForm,
    MergeForm,
    NoteForm,
    QueueFilterForm,
)
from officehours.questions.models import Question
from officehours.questions.services import QuestionRefused

QUESTIONS_PER_PAGE = 50


def _queue_url(request) -> str:
    url = reverse("advisers_questions:queue")
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def _detail_url(question: Question) -> str:
    return reverse("advisers_questions:detail", args=[question.pk])


# The queue ------------------------------------------------------------------------


def _queue_page(request, *, bulk_form=None, status=200):
    filter_form = QueueFilterForm(request.GET or None, topics=selectors.topics_for_filter())
    filters = filter_form.filters() if request.GET else selectors.QueueFilters()
    queryset = selectors.question_queue(filters, viewer=request.user)
    page = Paginator(queryset, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    questions = list(page.object_list)
    # Duplicate and FAQ hints come after the page (htmx), so the queue itself stays quick.
    hint_ids = ",".join(str(q.pk) for q in questions if q.state == Question.SUBMITTED)
    context = {
        "filter_form": filter_form,
        "filters": filters,
        "page": page,
        "questions": questions,
        "hint_ids": hint_ids,
        "bulk_form": bulk_form or BulkActionForm(auto_id="bulk-%s"),
        "tz": _zone_name(request.user),
        "error": _("Please correct the errors below.") if bulk_form is not None else "",
    }
    return render(request, "advisers/questions/queue.html", context, status=status)


@adviser_required
def queue_hints(request):
    """For the rows of a queue page: a likely duplicate and an FAQ entry that may answer
    each open question, as out-of-band fragments into each row."""
    parts = request.GET.get("ids", "").split(",")[:100]
    ids = [pk for pk in map(limits.id_from, parts) if pk is not None]
    questions = list(
        Question.objects.filter(pk__in=ids, state=Question.SUBMITTED).only("id", "title", "body")
    )
    duplicates = similar.best_duplicates(questions)
    in_faq = best_for_each({q.pk: f"{q.title} {q.body}" for q in questions})
    rows = [(q, duplicates.get(q.pk), in_faq.get(q.pk)) for q in questions]
    return render(request, "advisers/questions/_queue_hints.html", {"rows": rows})


@never_cache
@adviser_required
@require_http_methods(["GET", "POST"])
def queue(request):
    if request.method != "POST":
        return _queue_page(request)
    form = BulkActionForm(request.POST, auto_id="bulk-%s")
    if not form.is_valid():
        return _queue_page(request, bulk_form=form, status=400)
    data = form.cleaned_data
    action = data["action"]
    changed = skipped = 0
    for question in data["ids"].order_by("pk"):
        try:
            if action == BulkActionForm.DECLINE:
                services.question_decline(
                    question=question, adviser=request.user, reason=data["reason"]
                )
            else:
                _refuse_if_closed(question)
                assignee = request.user if action == BulkActionForm.ASSIGN_ME else data["assignee"]
                services.question_assign(question=question, assignee=assignee)
        except QuestionRefused:
            skipped += 1
        else:
            changed += 1
    if action == BulkActionForm.DECLINE:
        text = ngettext(
            "%(count)d question declined.", "%(count)d questions declined.", changed
        ) % {"count": changed}
    else:
        text = ngettext(
            "%(count)d question assigned.", "%(count)d questions assigned.", changed
        ) % {"count": changed}
    if skipped:
        text += " " + ngettext(
            "%(count)d question was skipped: it is already closed.",
            "%(count)d questions were skipped: they are already closed.",
            skipped,
        ) % {"count": skipped}
    (messages.success if changed else messages.warning)(request, text)
    return redirect(_queue_url(request))


def _refuse_if_closed(question: Question) -> None:
    """Assigning is for questions still waiting for an answer."""
    if question.state != Question.SUBMITTED:
        raise QuestionRefused("not_open")


# One question -----------------------------------------------------------------------


def _get_question(question_id: int, *, detail: bool = False) -> Question:
    try:
        if detail:
            return selectors.question_for_detail(question_id)
        return selectors.question_for_action(question_id)
    except Question.DoesNotExist:
        raise Http404 from None


def _faq_link_answer(request, question: Question) -> str:
    """ "Answer with this entry": the answer box starts with a link to it."""
    entry_id = limits.id_from(request.GET.get("link_entry"))
    if entry_id is None:
        return ""
    entry = Entry.objects.filter(pk=entry_id, state=Entry.PUBLISHED).first()
    if entry is None:
        return ""
    url = settings.SITE_URL + reverse("faq:detail", args=[entry.slug])
    with translation.override(question.language):
        return _("The answer is in the FAQ: [%(title)s](%(url)s)") % {
            "title": entry.title.replace("]", ")").replace("[", "("),
            "url": url,
        }


def _detail_page(request, question_id: int, *, status=200, error="", **forms):
    question = _get_question(question_id, detail=True)  # fresh, with everything joined
    answer_form = forms.get("answer_form") or AnswerForm(
        auto_id="answer-%s", initial={"body": _faq_link_answer(request, question)}
    )
    context = {
        "question": question,
        "body_html": markdown.render(question.body),
        "answer_html": markdown.render(question.answer),
        "followers": list(selectors.followers(question)),
        "state_log": _labelled(selectors.state_log(question)),
        "notes": list(selectors.internal_notes(question)),
        "tz": _zone_name(request.user),
        "error": error,
        "preview_html": forms.get("preview_html"),
        "assign_form": forms.get("assign_form") or AssignForm(auto_id="assign-%s"),
        "answer_form": answer_form,
        "decline_form": forms.get("decline_form") or DeclineForm(auto_id="decline-%s"),
        "merge_form": forms.get("merge_form") or MergeForm(auto_id="merge-%s"),
        "note_form": forms.get("note_form") or NoteForm(auto_id="note-%s"),
        "is_open": question.state == Question.SUBMITTED,
        "similar_questions": similar.similar_questions(question)
        if question.state == Question.SUBMITTED
        else [],
        "similar_entries": similar.similar_entries(question),
    }
    return render(request, "advisers/questions/detail.html", context, status=status)


def _labelled(changes) -> list:
    labels = dict(Question.STATE_CHOICES)
    changes = list(changes)
    for change in changes:
        change.from_label = labels.get(change.from_state, change.from_state)
        change.to_label = labels.get(change.to_state, change.to_state)
    return changes


@never_cache
@adviser_required
@require_http_methods(["GET"])
def detail(request, question_id: int):
    return _detail_page(request, question_id)


def _action(request, question_id: int, form_name: str, form, apply):
    """Shared by the per-question POSTs: validate, apply, redirect; or re-render with a 4xx."""
    question = _get_question(question_id)
    if not form.is_valid():
        return _detail_page(
            request,
            question.pk,
            status=400,
            error=_("Please correct the errors below."),
            **{form_name: form},
        )
    try:
        message = apply(question, form.cleaned_data)
    except QuestionRefused as exc:
        return _detail_page(
            request, question.pk, status=exc.status, error=exc.message, **{form_name: form}
        )
    messages.success(request, message)
    return redirect(_detail_url(question))


@adviser_required
@require_POST
def assign(request, question_id: int):
    def apply(question, data):
        _refuse_if_closed(question)
        services.question_assign(question=question, assignee=data["assignee"])
        assignee = data["assignee"]
        return _("The question is assigned to %(name)s.") % {
            "name": assignee.name or assignee.email
        }

    form = AssignForm(request.POST, auto_id="assign-%s")
    return _action(request, question_id, "assign_form", form, apply)


@never_cache
@adviser_required
@require_POST
def answer(request, question_id: int):
    form = AnswerForm(request.POST, auto_id="answer-%s")
    if "preview" in request.POST:
        question = _get_question(question_id)
        if not form.is_valid():
            return _detail_page(
                request,
                question.pk,
                status=400,
                error=_("Please correct the errors below."),
                answer_form=form,
            )
        return _detail_page(
            request,
            question.pk,
            answer_form=form,
            preview_html=markdown.render(form.cleaned_data["body"]),
        )

    def apply(question, data):
        services.question_answer(question=question, adviser=request.user, body=data["body"])
        return _("The question is answered. The asker and followers will be told.")

    return _action(request, question_id, "answer_form", form, apply)


@adviser_required
@require_POST
def decline(request, question_id: int):
    def apply(question, data):
        services.question_decline(question=question, adviser=request.user, reason=data["reason"])
        return _("The question is declined. The asker and followers will be told why.")

    form = DeclineForm(request.POST, auto_id="decline-%s")
    return _action(request, question_id, "decline_form", form, apply)


@adviser_required
@require_POST
def merge(request, question_id: int):
    form = MergeForm(request.POST, auto_id="merge-%s")
    if form.is_valid():
        try:
            target = selectors.question_for_action(form.cleaned_data["into"])
        except Question.DoesNotExist:
            target = None
            form.add_error("into", _("There is no question with that number."))

    def apply(question, data):
        assert target is not None  # _action applies a valid form only
        services.question_merge(
            question=question, into=target, adviser=request.user, share_kept=data["share_kept"]
        )
        return _("The question is merged into “%(title)s”. Its followers moved over.") % {
            "title": target.title
        }

    return _action(request, question_id, "merge_form", form, apply)


@adviser_required
@require_POST
def note(request, question_id: int):
    def apply(question, data):
        services.note_add(question=question, adviser=request.user, body=data["body"])
        return _("The internal note is saved.")

    form = NoteForm(request.POST, auto_id="note-%s")
    return _action(request, question_id, "note_form", form, apply)
