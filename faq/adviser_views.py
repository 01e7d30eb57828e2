"""Advisers curate the FAQ: entries, their history, tags, and what readers miss."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faq import searchlog, services
from faq.forms import EntryForm, PeriodForm, SearchForm
from faq.models import Entry, Feedback, Revision, SynonymGroup, Tag
from faq.revisions import revision_diff
from faq.search import faq_search
from officehours.markdown import render as render_markdown
from officehours.permissions import adviser_required
from officehours.questions.models import Question, Topic

PAGE_SIZE = 50
STATES = [state for state, _label in Entry.STATE_CHOICES]
GAP_PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}


@adviser_required
def entry_list(request):
    values = SearchForm(request.GET).values()
    state = request.GET.get("state", "")
    states = (state,) if state in STATES else tuple(STATES)
    base = Entry.objects.select_related("topic").prefetch_related("tags")
    if values["q"].strip():
        results = faq_search(
            values["q"],
            language=values["language"] or None,
            topic=values["topic"] or None,
            states=states,
            limit=PAGE_SIZE,
        )
        by_id = base.in_bulk([hit.id for hit in results.hits])
        page = [by_id[hit.id] for hit in results.hits if hit.id in by_id]
        paginator_page = None
    else:
        entries = base.filter(state__in=states)
        if values["language"]:
            entries = entries.filter(language=values["language"])
        if values["topic"]:
            entries = entries.filter(topic__slug=values["topic"])
        paginator_page = Paginator(entries.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
            values["page"]
        )
        page = list(paginator_page)
    return render(
        request,
        "advisers/faq/list.html",
        {
            "entries": page,
            "paginator_page": paginator_page,
            "values": values,
            "state": state,
            "states": Entry.STATE_CHOICES,
            "topics": Topic.objects.filter(is_active=True),
        },
    )


def _entry(entry_id: int) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("topic").prefetch_related("tags", "source_questions"),
        pk=entry_id,
    )


def _form_page(request, form, entry=None, *, error="", status=200, preview=None):
    context = {"form": form, "entry": entry, "error": error, "preview": preview}
    if entry is not None:
        context["feedback"] = Feedback.objects.filter(entry=entry).exclude(comment="")[:20]
        context["revision_count"] = entry.revisions.count()
        context["answer_html"] = render_markdown(entry.answer)
    return render(request, "advisers/faq/form.html", context, status=status)


def _saved(request, entry: Entry, message: str):
    messages.success(request, message)
    return redirect("advisers_faq:edit", entry.pk)


@adviser_required
def entry_new(request):
    # The content gaps report links here with the search as the question.
    form = EntryForm(request.POST or None, initial={"title": request.GET.get("title", "")[:200]})
    if request.method != "POST":
        return _form_page(request, form)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    if "preview" in request.POST:
        return _form_page(request, form, preview=render_markdown(form.cleaned_data["answer"]))
    data = form.cleaned_data
    try:
        entry = services.entry_create(
            title=data["title"],
            answer=data["answer"],
            language=data["language"],
            topic=data["topic"],
            tags=data["tags"],
            author=request.user,
            publish="publish" in request.POST,
        )
    except services.FaqRefused as refusal:
        return _form_page(request, form, error=refusal.message, status=refusal.status)
    return _saved(request, entry, _("The entry is saved."))


@adviser_required
def entry_edit(request, entry_id: int):
    entry = _entry(entry_id)
    form = EntryForm.for_entry(entry, request.POST or None)
    if request.method != "POST":
        return _form_page(request, form, entry)
    if not form.is_valid():
        return _form_page(request, form, entry, status=400)
    if "preview" in request.POST:
        preview = render_markdown(form.cleaned_data["answer"])
        return _form_page(request, form, entry, preview=preview)
    data = form.cleaned_data
    try:
        entry = services.entry_update(
            entry=entry,
            title=data["title"],
            answer=data["answer"],
            language=data["language"],
            topic=data["topic"],
            tags=data["tags"],
            author=request.user,
        )
        if "publish" in request.POST and entry.state != Entry.PUBLISHED:
            services.entry_set_state(entry=entry, state=Entry.PUBLISHED, author=request.user)
    except services.FaqRefused as refusal:
        return _form_page(request, form, entry, error=refusal.message, status=refusal.status)
    return _saved(request, entry, _("The entry is saved."))


@require_POST
@adviser_required
def entry_state(request, entry_id: int):
    entry = _entry(entry_id)
    state = request.POST.get("state", "")
    if state not in STATES:
        messages.error(request, _("Choose draft, published or archived."))
        return redirect("advisers_faq:edit", entry.pk)
    try:
        services.entry_set_state(entry=entry, state=state, author=request.user)
    except services.FaqRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("advisers_faq:edit", entry.pk)
    done = {
        Entry.PUBLISHED: _("The entry is published."),
        Entry.ARCHIVED: _("The entry is archived."),
        Entry.DRAFT: _("The entry is a draft again."),
    }
    return _saved(request, entry, done[state])


def _revision_number(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdecimal() and len(value) < 9 else None


@adviser_required
def revisions(request, entry_id: int):
    entry = _entry(entry_id)
    history = list(entry.revisions.select_related("author", "topic"))
    by_number: dict[int | None, Revision] = {revision.number: revision for revision in history}
    newest = history[0].number if history else None
    older = newest - 1 if newest and newest > 1 else newest
    a = by_number.get(_revision_number(request.GET.get("a"))) or by_number.get(older)
    b = by_number.get(_revision_number(request.GET.get("b"))) or by_number.get(newest)
    diff = revision_diff(a, b) if a and b else []
    return render(
        request,
        "advisers/faq/revisions.html",
        {"entry": entry, "history": history, "a": a, "b": b, "diff": diff},
    )


@require_POST
@adviser_required
def revision_restore(request, entry_id: int, number: int):
    entry = _entry(entry_id)
    revision = get_object_or_404(Revision, entry=entry, number=number)
    try:
        services.entry_restore(entry=entry, revision=revision, author=request.user)
    except services.FaqRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("advisers_faq:revisions", entry.pk)
    return _saved(
        request, entry, _("Revision %(number)s is the current text again.") % {"number": number}
    )


@require_POST
@adviser_required
def from_question(request, question_id: int):
    question = get_object_or_404(Question, pk=question_id)
    try:
        entry = services.entry_from_question(question=question, adviser=request.user)
    except services.FaqRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("advisers_questions:detail", question.pk)
    return _saved(
        request, entry, _("A draft FAQ entry was made from the question. Edit it, then publish.")
    )


@adviser_required
def gaps(request):
    """The content gaps report over the last N days, or between two chosen dates."""
    period = PeriodForm(request.GET or None)
    data = period.cleaned_data if period.is_valid() else {}
    until = timezone.now()
    days = GAP_PERIODS.get(data.get("days") or "30", 30)
    since = until - timedelta(days=days)
    start, end = data.get("start"), data.get("end")
    if start:
        since = timezone.make_aware(datetime.combine(start, time.min))
        until = timezone.make_aware(datetime.combine(end or timezone.localdate(), time.min))
        until += timedelta(days=1)
    report = searchlog.content_gaps(since=since, until=until)
    return render(
        request,
        "advisers/faq/gaps.html",
        {
            "report": report,
            "days": days,
            "periods": GAP_PERIODS.values(),
            "period": period,
            "since": since,
            "until": until - timedelta(microseconds=1),
        },
    )


@adviser_required
def tags(request):
    all_tags = Tag.objects.annotate(uses=Count("entries")).order_by("name")
    return render(request, "advisers/faq/tags.html", {"tags": all_tags})


@require_POST
@adviser_required
def tag_change(request, tag_id: int):
    tag = get_object_or_404(Tag, pk=tag_id)
    if "delete" in request.POST:
        services.tag_delete(tag=tag)
        messages.success(request, _("The tag is removed."))
        return redirect("advisers_faq:tags")
    try:
        services.tag_rename(tag=tag, name=request.POST.get("name", "")[:200])
    except services.FaqRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The tag is renamed."))
    return redirect("advisers_faq:tags")


@adviser_required
def synonyms(request, group_id: int | None = None):
    """The synonym groups; add one, change one, or remove one (POST with "delete")."""
    editing = get_object_or_404(SynonymGroup, pk=group_id) if group_id else None
    error, status = "", 200
    text = editing.terms if editing else ""
    if request.method == "POST":
        if editing and "delete" in request.POST:
            editing.delete()
            messages.success(request, _("The synonym group is removed."))
            return redirect("advisers_faq:synonyms")
        text = request.POST.get("terms", "")[:500]
        try:
            services.synonym_group_save(terms=text, group=editing)
        except services.FaqRefused as refusal:
            error, status = refusal.message, refusal.status
        else:
            messages.success(request, _("Saved. Searches use it from now on."))
            return redirect("advisers_faq:synonyms")
    return render(
        request,
        "advisers/faq/synonyms.html",
        {
            "groups": SynonymGroup.objects.all(),
            "editing": editing,
            "text": text,
            "error": error,
        },
        status=status,
    )
