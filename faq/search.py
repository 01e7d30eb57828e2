"""The one FAQ search behind the search page, the API, suggestions while typing,
related entries and the hints in the advisers' queue.

faq_search() reads the query (faq.query), asks the database's own full-text
engine (faq.search_postgres or faq.search_sqlite), and when nothing matches
tries the nearest spellings of the words and says so ("did you mean"). Stop words
(faq.stopwords) are never corrected, nor offered as a correction: "hat" does not
become "har".
Snippets are computed by the database for the page of results only.

Every word must match. When that finds fewer than FALLBACK_BELOW entries (a
question typed as a sentence: "får jag gilla", "hur gör jag om någon skriver hat"),
the search is run again for any of the query's meaningful words (faq.query.any_of:
stop words left out), and if that finds more its results are shown instead, with
match = "any" so the page and the API can say so. The ranking is then the
database's own for an `or` query: ts_rank and bm25 both add up what each word
contributes, so an entry matching more of the words, or matching them in the title
rather than the answer, ranks higher.

With a preferred language (the reader's), entries in it come first and the
others after them, each part best first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from faq import query as query_syntax
from faq import search_postgres, search_sqlite
from faq.models import Entry
from faq.synonyms import synonym_map

LIMIT_MAX = 50
# Fewer strict matches than this and the search also tries any of the words.
FALLBACK_BELOW = 3
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    slug: str
    language: str
    topic: str | None  # the topic's slug
    snippet: SafeString
    score: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    # The corrected query when the one typed found nothing; the hits are then its hits.
    suggestion: str | None = None
    # False when there are more matches than were counted (PostgreSQL: over 1,000).
    total_exact: bool = True
    # "all": every word matched; "any": too few did, so these match some of the words.
    match: str = "all"
    # With match "any": how many entries matched every word (fewer than FALLBACK_BELOW).
    all_total: int = 0


class _Backend(Protocol):
    """What search_postgres and search_sqlite both offer."""

    def find(
        self,
        parsed: query_syntax.ParsedQuery,
        *,
        language: str | None,
        topic: str | None,
        states: list[str],
        limit: int,
        offset: int,
        prefer_language: str | None = None,
    ) -> tuple[list[tuple[Any, ...]], int, bool]: ...

    def corrections(self, words: list[str]) -> dict[str, str]: ...


class _Filters(TypedDict):
    language: str | None
    topic: str | None
    states: list[str]
    prefer_language: str | None


def _backend() -> _Backend:
    return search_postgres if connection.vendor == "postgresql" else search_sqlite


_MARKDOWN_LINK = re.compile(r"!?\[([^\]\x02\x03]*)\]\([^)\s]*\)?")
_MARKDOWN_NOISE = re.compile(r"(\*\*|__|`+|^#{1,6}\s|(?<=\s)#{1,6}\s|^>\s|\]\([^)\s]*\)?)")
_LIST_MARKER = re.compile(r"(^|\n)\s*(?:[-*+]|\d+[.)])\s+")
_MARKERS = re.compile(f"([{HIGHLIGHT_START}{HIGHLIGHT_END}])")


def snippet_html(raw: str) -> SafeString:
    """Database snippet (Markdown source with highlight markers) → safe HTML with <mark>."""
    text = _LIST_MARKER.sub(r"\1", raw or "")
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_NOISE.sub("", text)
    text = escape(" ".join(text.split()))
    # Markers the database left unclosed at a fragment's end must not leave <mark> open.
    html, open_mark = [], False
    for part in _MARKERS.split(text):
        if part == HIGHLIGHT_START:
            if not open_mark:
                html.append("<mark>")
                open_mark = True
        elif part == HIGHLIGHT_END:
            if open_mark:
                html.append("</mark>")
                open_mark = False
        else:
            html.append(part)
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308 -- escaped above; only <mark> added


def faq_search(
    text: str,
    *,
    language: str | None = None,
    topic: str | None = None,
    limit: int = 10,
    offset: int = 0,
    states: tuple[str, ...] = (Entry.PUBLISHED,),
    prefer_language: str | None = None,
) -> SearchResults:
    """Entries matching `text` (web-search syntax), best first (those in
    prefer_language before the others). Never raises on odd input."""
    cleaned = query_syntax.clean(text)
    parsed = query_syntax.parse(cleaned)
    if parsed.is_empty:
        return SearchResults(query=cleaned)
    synonyms = synonym_map()
    parsed = query_syntax.expand(parsed, synonyms)
    limit = max(1, min(limit, LIMIT_MAX))
    offset = max(0, offset)
    backend = _backend()
    filters: _Filters = {
        "language": language,
        "topic": topic,
        "states": list(states),
        "prefer_language": prefer_language if not language else None,
    }
    rows, total, exact = backend.find(parsed, limit=limit, offset=offset, **filters)
    suggestion = None
    if total == 0:
        corrections = backend.corrections(parsed.words())
        if corrections:
            corrected = query_syntax.replace_words(cleaned, corrections)
            corrected_parsed = query_syntax.expand(query_syntax.parse(corrected), synonyms)
            rows, total, exact = backend.find(
                corrected_parsed, limit=limit, offset=offset, **filters
            )
            if total:
                suggestion, parsed = corrected, corrected_parsed
    match, all_total = "all", total
    loose = query_syntax.any_of(parsed) if total < FALLBACK_BELOW else None
    if loose is not None:
        loose_rows, loose_total, loose_exact = backend.find(
            loose, limit=limit, offset=offset, **filters
        )
        if loose_total > total:
            rows, total, exact, match = loose_rows, loose_total, loose_exact, "any"
    hits = [
        Hit(
            id=row[0],
            title=row[1],
            slug=row[2],
            language=row[3],
            topic=row[4],
            snippet=snippet_html(row[5]),
            score=round(float(row[6]), 6),
        )
        for row in rows
    ]
    return SearchResults(
        query=cleaned,
        hits=hits,
        total=total,
        suggestion=suggestion,
        total_exact=exact,
        match=match,
        all_total=all_total if match == "any" else total,
    )


def search_any_of(words: list[str], *, limit: int = LIMIT_MAX) -> list[int]:
    """Ids of published entries matching any of these words, best first: one search
    for many questions at once (the advisers' queue), past the typed-query term cap."""
    terms = [query_syntax.Term((word,)) for word in dict.fromkeys(words) if word]
    if not terms:
        return []
    parsed = query_syntax.ParsedQuery(tuple(query_syntax.Group((term,)) for term in terms))
    parsed = query_syntax.expand(parsed, synonym_map())
    rows, _total, _exact = _backend().find(
        parsed,
        language=None,
        topic=None,
        states=[Entry.PUBLISHED],
        limit=max(1, min(limit, LIMIT_MAX)),
        offset=0,
    )
    return [row[0] for row in rows]
