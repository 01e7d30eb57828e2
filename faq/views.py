"""The FAQ for readers: search (as you type with htmx, or by submitting), entries, votes."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faq import searchlog, services
from faq.forms import FeedbackForm, SearchForm
from faq.models import Entry, Feedback
from faq.related import related_entries
from faq.search import faq_search
from faq.suggestions import suggestions_for
from faq.visibility import can_read_faq, can_see_entry, can_vote
from faq.visitors import visitor_of
from officehours import limits
from officehours.markdown import render as render_markdown
from officehours.permissions import employee_required
from officehours.questions.models import Topic

PAGE_SIZE = 10


def faq_reader_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_read_faq(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _search(request, values: dict) -> dict:
    page = values["page"]
    results = faq_search(
        values["q"],
        language=values["language"] or None,
        topic=values["topic"] or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        prefer_language=get_language(),
    )
    token = ""
    if results.query and page == 1:
        search_id = searchlog.search_logged(
            query=results.query,
            language=values["language"] or get_language(),
            result_count=results.total,
            session=request.session,
        )
        token = searchlog.opened_token(search_id)
    pages = max(1, -(-results.total // PAGE_SIZE))
    return {"results": results, "opened_token": token, "page": page, "pages": pages}


def _browse(values: dict) -> dict:
    entries = Entry.objects.filter(state=Entry.PUBLISHED).select_related("topic")
    if values["language"]:
        entries = entries.filter(language=values["language"])
    if values["topic"]:
        entries = entries.filter(topic__slug=values["topic"])
    paginator = Paginator(entries.order_by("-updated_at", "-id"), PAGE_SIZE)
    return {"browse": paginator.get_page(values["page"])}


@faq_reader_required
def index(request):
    values = SearchForm(request.GET).values()
    context = {"values": values, "query": values["q"].strip()}
    context.update(_search(request, values) if values["q"].strip() else _browse(values))
    template = "faq/index.html"
    # A history restore (the back button after search as you type) needs the whole page.
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template = "faq/_results.html"
    else:
        context["topics"] = Topic.objects.filter(is_active=True)
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _entry_for_reader(request, slug: str) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("topic").prefetch_related("tags"), slug=slug
    )
    if not can_see_entry(request.user, entry):
        raise Http404
    return entry


def _feedback_context(request, entry: Entry, form=None) -> dict:
    vote = None
    if can_vote(request.user):
        vote = Feedback.objects.filter(entry=entry, user=request.user).first()
    if form is None:
        initial = {"helpful": "yes" if vote.helpful else "no"} if vote else {}
        form = FeedbackForm(initial={**initial, "comment": vote.comment if vote else ""})
    return {
        "entry": entry,
        "answer_html": render_markdown(entry.answer),
        "vote": vote,
        "feedback_form": form,
        "can_vote": can_vote(request.user),
    }


@faq_reader_required
def detail(request, slug: str):
    entry = _entry_for_reader(request, slug)
    if entry.is_published:
        services.entry_viewed(entry=entry, visitor=visitor_of(request))
        if request.GET.get("s"):
            searchlog.search_opened(request.GET["s"][:300])
    context = _feedback_context(request, entry)
    context["related"] = related_entries(entry) if entry.is_published else []
    return render(request, "faq/detail.html", context)


@require_POST
@faq_reader_required
def feedback(request, slug: str):
    entry = _entry_for_reader(request, slug)
    if not can_vote(request.user):
        return redirect_to_login(entry_url(entry))
    form: FeedbackForm | None
    form = FeedbackForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            # The service locks and recounts a fresh copy: show its counts, not the stale ones.
            entry = services.feedback_set(
                entry=entry,
                user=request.user,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
            ).entry
        except services.FaqRefused as refusal:
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            if not request.htmx:
                messages.success(request, _("Thank you for telling us."))
                return redirect(entry_url(entry) + "#feedback")
            form = None
    else:
        status = 400
    context = _feedback_context(request, entry, form)
    context["thanked"] = form is None
    template = "faq/_feedback.html" if request.htmx else "faq/detail.html"
    if not request.htmx:
        context["related"] = related_entries(entry)
    return render(request, template, context, status=status)


def entry_url(entry: Entry) -> str:
    return reverse("faq:detail", args=[entry.slug])


@employee_required
def suggest(request):
    """While a question is typed (htmx): FAQ entries that may already answer it."""
    text = " ".join(request.GET.get(name, "")[:4000] for name in ("title", "body", "note"))
    source = "booking" if request.GET.get("source") == "booking" else "ask"
    return render(
        request,
        "faq/_suggestions.html",
        {
            "suggestions": suggestions_for(text),
            "source": source,
            "form_id": request.GET.get("form", "")[:40],
        },
    )


@require_POST
@employee_required
def deflect(request):
    """ "This answered my question": nothing is sent, the FAQ gets the credit."""
    entry_id = limits.id_from(request.POST.get("entry"))
    if entry_id is None:
        raise Http404
    entry = get_object_or_404(Entry, pk=entry_id, state=Entry.PUBLISHED)
    services.deflection_record(
        entry=entry, source=request.POST.get("source", ""), visitor=visitor_of(request)
    )
    messages.success(request, _("Good that the FAQ had the answer. Nothing was sent."))
    return redirect(entry_url(entry))
