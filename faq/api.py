"""API: search the FAQ, read an entry, say whether it helped.

Reading follows the pages: employees, or anyone when FAQ_PUBLIC is on.
Snippets are HTML: the entry's text escaped, with the matches in <mark>.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import field_validator

from faq import searchlog, services
from faq.models import COMMENT_MAX, Entry
from faq.related import related_entries
from faq.search import LIMIT_MAX, faq_search
from faq.visibility import can_read_faq, can_see_entry
from faq.visitors import visitor_of
from officehours.apiauth import ANY_USER, ApiRequest, BearerTokenAuth, BrowserSessionAuth
from officehours.apierrors import ApiError
from officehours.apiinput import check_text
from officehours.limits import MAX_ID
from officehours.markdown import render

router = Router(tags=["faq"])


class PublicFaqAuth:
    """No credentials needed while FAQ_PUBLIC is on (read-only endpoints only)."""

    def __call__(self, request: HttpRequest) -> str | None:
        return "public" if settings.FAQ_PUBLIC else None


READ_AUTH = [BearerTokenAuth(ANY_USER), BrowserSessionAuth(ANY_USER), PublicFaqAuth()]


def _check_reader(request: HttpRequest) -> None:
    if not can_read_faq(request.user):
        raise ApiError(
            "email_unverified", _("Verify your e-mail address before using this."), status=403
        )


def _url(entry_slug: str) -> str:
    return settings.SITE_URL + reverse("faq:detail", args=[entry_slug])


def _url_maker() -> Callable[[str], str]:
    """_url for many entries: one reverse() for all of them (slugs need no escaping)."""
    template = _url("slug-placeholder")
    return lambda slug: template.replace("slug-placeholder", slug)


class HitOut(Schema):
    id: int
    title: str
    url: str
    snippet: str = Field(description="HTML: escaped text with the matches in <mark>")
    topic: str | None = Field(description="The topic's slug")
    language: str
    score: float


class SearchOut(Schema):
    results: list[HitOut]
    total: int = Field(description="How many entries match; see total_exact")
    total_exact: bool = Field(
        description="False when there are more matches than were counted (then total is "
        "the cap: more than 200 on PostgreSQL); the first results are still the strongest"
    )
    suggestion: str | None = Field(
        description="When the query as typed found nothing: the corrected query whose "
        "results these are"
    )
    match: Literal["all", "any"] = Field(
        "all",
        description='"all": the results contain every word; "any": fewer than 3 entries '
        "did, so these are the entries with some of the words (stop words left out), "
        "those with more of them first",
    )


class SearchQuery(Schema):
    q: str = ""
    topic: str | None = Field(None, description="A topic's slug")
    language: Literal["sv", "en"] | None = None
    limit: int = Field(10, ge=1, le=LIMIT_MAX)
    offset: int = Field(0, ge=0, le=10_000)


@router.get("/faq/search", response=SearchOut, auth=READ_AUTH, summary="Search the FAQ")
def search(request: HttpRequest, filters: Query[SearchQuery]) -> dict[str, object]:
    _check_reader(request)
    found = faq_search(
        filters.q,
        language=filters.language,
        topic=(filters.topic or "")[:100] or None,
        limit=filters.limit,
        offset=filters.offset,
        prefer_language=get_language(),
    )
    if filters.offset == 0:
        searchlog.search_logged(
            query=found.query,
            language=filters.language or get_language(),
            result_count=found.total,
        )
    url = _url_maker()
    return {
        "results": [
            {
                "id": hit.id,
                "title": hit.title,
                "url": url(hit.slug),
                "snippet": str(hit.snippet),
                "topic": hit.topic,
                "language": hit.language,
                "score": hit.score,
            }
            for hit in found.hits
        ],
        "total": found.total,
        "total_exact": found.total_exact,
        "suggestion": found.suggestion,
        "match": found.match,
    }


class RelatedOut(Schema):
    id: int
    title: str
    url: str
    language: str


class EntryOut(Schema):
    id: int
    title: str
    slug: str
    url: str
    answer: str = Field(description="Markdown")
    answer_html: str = Field(description="The answer rendered and sanitised")
    topic: str | None = Field(description="The topic's slug")
    topic_name: str | None
    tags: list[str]
    language: str
    state: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    view_count: int
    helpful_count: int
    unhelpful_count: int
    related: list[RelatedOut]


def _entry(request: HttpRequest, entry_id: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("topic").prefetch_related("tags"), pk=entry_id
    )
    if not can_see_entry(request.user, entry):
        raise Http404
    return entry


@router.get("/faq/{entry_id}", response=EntryOut, auth=READ_AUTH, summary="One FAQ entry")
def get_entry(
    request: HttpRequest,
    # ninja.Path is a call at run time and a generic alias to mypy: hence [type-arg].
    entry_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> dict[str, object]:
    _check_reader(request)
    entry = _entry(request, entry_id)
    if entry.is_published:
        services.entry_viewed(entry=entry, visitor=visitor_of(request))
    related = related_entries(entry) if entry.is_published else []
    return {
        "id": entry.pk,
        "title": entry.title,
        "slug": entry.slug,
        "url": _url(entry.slug),
        "answer": entry.answer,
        "answer_html": str(render(entry.answer)),
        "topic": entry.topic.slug if entry.topic else None,
        "topic_name": entry.topic.name if entry.topic else None,
        "tags": [tag.name for tag in entry.tags.all()],
        "language": entry.language,
        "state": entry.state,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "published_at": entry.published_at,
        "view_count": entry.view_count,
        "helpful_count": entry.helpful_count,
        "unhelpful_count": entry.unhelpful_count,
        "related": [
            {
                "id": other.pk,
                "title": other.title,
                "url": _url(other.slug),
                "language": other.language,
            }
            for other in related
        ],
    }


class FeedbackIn(Schema):
    helpful: bool
    comment: str = Field("", max_length=COMMENT_MAX)

    @field_validator("comment")
    @classmethod
    def _text(cls, value: str) -> str:
        return check_text(value) or ""


class FeedbackOut(Schema):
    entry_id: int
    helpful: bool
    comment: str
    helpful_count: int
    unhelpful_count: int


@router.post("/faq/{entry_id}/feedback", response=FeedbackOut, summary="Was this helpful?")
def give_feedback(
    request: ApiRequest,
    payload: FeedbackIn,
    entry_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> dict[str, object]:
    entry = _entry(request, entry_id)
    feedback = services.feedback_set(
        entry=entry, user=request.user, helpful=payload.helpful, comment=payload.comment
    )
    return {
        "entry_id": entry.pk,
        "helpful": feedback.helpful,
        "comment": feedback.comment,
        "helpful_count": feedback.entry.helpful_count,
        "unhelpful_count": feedback.entry.unhelpful_count,
    }
