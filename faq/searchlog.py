"""What people search for, without who searched: the content gaps report.

Search as you type would log every prefix of a word ("p", "po", "pol"...). A
search that extends or shortens the previous one from the same browser within a
minute replaces it instead; the browser session remembers which row that was,
and the row itself never holds anything about the person.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.core import signing
from django.db.models import Count, Max, Q
from django.db.models.functions import Lower
from django.utils import timezone

from faq.models import SearchLog

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

_SESSION_KEY = "faq_last_search"
_TYPING_WINDOW = timedelta(minutes=1)
_SIGNER_SALT = "faq.search-opened"
_OPEN_MAX_AGE = 60 * 60 * 24


class _LastSearch(TypedDict):
    """What the browser session keeps of its last search."""

    id: int
    query: str
    at: str  # ISO 8601


class ContentGaps(TypedDict):
    nothing_found: list[dict[str, Any]]
    never_opened: list[dict[str, Any]]
    totals: dict[str, int]


def search_logged(
    *, query: str, language: str, result_count: int, session: SessionBase | None = None
) -> int | None:
    """Records a search; returns the row's id (for marking it opened) or None if empty."""
    query = query.strip()[: SearchLog.QUERY_MAX]
    if not query:
        return None
    now = timezone.now()
    previous: _LastSearch | None = session.get(_SESSION_KEY) if session is not None else None
    if previous:
        earlier = previous.get("query", "").lower()
        typing_on = query.lower().startswith(earlier) or earlier.startswith(query.lower())
        recent = now - datetime.fromisoformat(previous.get("at")) < _TYPING_WINDOW
        if typing_on and recent:
            updated = SearchLog.objects.filter(pk=previous.get("id"), opened=False).update(
                query=query, language=language, result_count=result_count, created_at=now
            )
            if updated:
                assert session is not None  # previous came from it
                session[_SESSION_KEY] = {
                    "id": previous["id"],
                    "query": query,
                    "at": now.isoformat(),
                }
                return previous["id"]
    row_id = _insert(query, language, result_count, now)
    if session is not None:
        _remember(session, row_id, query, now)
    return row_id


def _insert(query: str, language: str, result_count: int, now: datetime) -> int:
    row = SearchLog.objects.create(
        query=query, language=language, result_count=result_count, created_at=now
    )
    return row.pk


def _remember(session: SessionBase, search_id: int, query: str, now: datetime) -> None:
    session[_SESSION_KEY] = {"id": search_id, "query": query, "at": now.isoformat()}


def opened_token(search_id: int | None) -> str:
    return signing.dumps(search_id, salt=_SIGNER_SALT) if search_id else ""


def search_opened(token: str) -> bool:
    """A result of this search was opened. Forged or stale tokens change nothing."""
    try:
        search_id = signing.loads(token, salt=_SIGNER_SALT, max_age=_OPEN_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return False
    if not isinstance(search_id, int):
        return False
    return bool(SearchLog.objects.filter(pk=search_id).update(opened=True))


def content_gaps(*, since: datetime, until: datetime, limit: int = 50) -> ContentGaps:
    """The most frequent searches in [since, until) that found nothing, and those whose
    results nobody opened. Queries are grouped regardless of letter case."""
    period = SearchLog.objects.filter(created_at__gte=since, created_at__lt=until)
    grouped = period.annotate(key=Lower("query")).values("key")
    nothing_found = (
        grouped.filter(result_count=0)
        .annotate(searches=Count("pk"), last=Max("created_at"))
        .order_by("-searches", "key")[:limit]
    )
    never_opened = (
        grouped.filter(result_count__gt=0)
        .annotate(
            searches=Count("pk"),
            opened=Count("pk", filter=Q(opened=True)),
            last=Max("created_at"),
        )
        .filter(opened=0)  # type: ignore[misc]  # the Count above, not the model's field
        .order_by("-searches", "key")[:limit]
    )
    totals = period.aggregate(
        searches=Count("pk"),
        empty=Count("pk", filter=Q(result_count=0)),
        opened=Count("pk", filter=Q(opened=True)),
    )
    return {
        "nothing_found": list(nothing_found),
        "never_opened": list(never_opened),
        "totals": totals,
    }
