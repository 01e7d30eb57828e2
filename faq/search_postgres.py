"""FAQ search on PostgreSQL: the stored tsvectors (see migrations 0002 and 0004), ranked.

Each entry was indexed with its own language's configuration, so the query is
read twice, as Swedish and as English, and each entry is matched against the
reading in its language. ts_rank weighs title (A) over tags (B) over answer (C).

Two paths, chosen by a count that stops at COUNT_CAP + 1 matches:
- up to COUNT_CAP matches, every match is ranked and the total is exact;
- beyond it (a word a third of the entries use), ranking every match would read
  them all. The candidates are then the best HEAD_MIN+ of up to HEAD_SCAN
  title-and-tag matches, ranked in the narrow title index, plus BODY_SAMPLE other
  matches, re-ranked by the full vector; the total is reported as "more than
  COUNT_CAP". So for such a broad query the first page holds strong matches
  (the word in the title or tags), not necessarily the strongest of all. A title or
  tag match always outranks an answer-only one (weights A and B against C).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from faq.models import SearchWord
from faq.query import ParsedQuery, is_correctable, to_tsquery
from faq.stopwords import STOP_WORDS

COUNT_CAP = 200
HEAD_MIN = 200
BODY_SAMPLE = 200
HEAD_SCAN = 1000

_SV = "to_tsquery('pg_catalog.swedish', %(tsquery)s)"
_EN = "to_tsquery('pg_catalog.english', %(tsquery)s)"
_CONFIG = (
    "CASE WHEN e.language = 'sv' THEN 'pg_catalog.swedish'::regconfig"
    " ELSE 'pg_catalog.english'::regconfig END"
)


def _query(alias: str) -> str:
    return f"CASE WHEN {alias}.language = 'sv' THEN {_SV} ELSE {_EN} END"


def _matches(alias: str, column: str) -> str:
    return (
        f"{alias}.state = ANY(%(states)s)"
        f" AND (({alias}.language = 'sv' AND {alias}.{column} @@ {_SV})"
        f" OR ({alias}.language <> 'sv' AND {alias}.{column} @@ {_EN}))"
    )


_HEADLINE = (
    'StartSel="\x02", StopSel="\x03", MaxWords=30, MinWords=12, ShortWord=2,'
    ' MaxFragments=2, FragmentDelimiter=" … "'
)

# Snippets (ts_headline re-reads the text) only for the page shown.
_PAGE = f"""
SELECT e.id, e.title, e.slug, e.language, t.slug,
       ts_headline({_CONFIG}, e.answer, {_query("e")}, %(headline)s),
       r.score, r.total
FROM ranked r
JOIN faq_entry e ON e.id = r.id
LEFT JOIN questions_topic t ON t.id = e.topic_id
ORDER BY (e.language = %(prefer)s) DESC, r.score DESC, r.id DESC
"""  # noqa: S608 (constant fragments only; values are parameters)

# The matches' ids, up to one more than the cap: their number decides the path,
# and the ranking then reads these rows by primary key instead of matching again.
_MATCHING = f"""
SELECT e.id FROM faq_entry e WHERE {_matches("e", "search_vector")} {{filters}}
LIMIT %(cap)s
"""  # noqa: S608 (constant fragments only; values are parameters)

_EXACT = f"""
WITH ranked AS (
    SELECT e.id, ts_rank(e.search_vector, {_query("e")}) AS score, NULL::bigint AS total
    FROM faq_entry e
    WHERE e.id = ANY(%(ids)s::bigint[])
    ORDER BY (e.language = %(prefer)s) DESC, score DESC, e.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
{_PAGE}
"""  # noqa: S608 (constant fragments only; values are parameters)

_BROAD = f"""
WITH scanned AS (
    SELECT h.entry_id, h.language, h.vector FROM faq_entry_title_index h
    WHERE {_matches("h", "vector")} {{head_filters}}
    LIMIT %(head_scan)s
), head AS (
    SELECT h.entry_id AS id FROM scanned h
    ORDER BY ts_rank(h.vector, {_query("h")}) DESC, h.entry_id DESC
    LIMIT %(head)s
), ranked AS (
    SELECT e.id, ts_rank(e.search_vector, {_query("e")}) AS score, NULL::bigint AS total
    FROM (SELECT id FROM head UNION SELECT unnest(%(ids)s::bigint[])) c
    JOIN faq_entry e ON e.id = c.id
    -- The title may match where the whole entry does not (an excluded word in the answer).
    WHERE {_matches("e", "search_vector")}
    ORDER BY (e.language = %(prefer)s) DESC, score DESC, e.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
{_PAGE}
"""  # noqa: S608 (constant fragments only; values are parameters)


def _filters(alias: str, language: str | None, topic: str | None) -> tuple[str, dict[str, Any]]:
    sql, params = [], {}
    if language:
        sql.append(f"AND {alias}.language = %(language)s")
        params["language"] = language
    if topic:
        sql.append(
            f"AND {alias}.topic_id = (SELECT id FROM questions_topic WHERE slug = %(topic)s)"  # noqa: S608
        )
        params["topic"] = topic
    return " ".join(sql), params


def matching_statement(
    parsed: ParsedQuery,
    *,
    language: str | None,
    topic: str | None,
    states: list[str],
    limit: int,
    offset: int,
    prefer_language: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The first statement of a search and the parameters of both (public so the
    benchmark can time the very same SQL without Django)."""
    filters, params = _filters("e", language, topic)
    params.update(
        tsquery=to_tsquery(parsed),
        states=list(states),
        prefer=prefer_language or "",
        limit=limit,
        offset=offset,
        headline=_HEADLINE,
        cap=COUNT_CAP + 1,
        head=max(HEAD_MIN, offset + limit + 100),
        head_scan=HEAD_SCAN,
    )
    return _MATCHING.format(filters=filters), params


def ranking_statement(
    ids: list[int], params: dict[str, Any], *, language: str | None, topic: str | None
) -> tuple[str, dict[str, Any]]:
    """The second statement: every match ranked, or (more than COUNT_CAP) the
    title-index candidates and a sample of the rest."""
    if len(ids) <= COUNT_CAP:
        return _EXACT, {**params, "ids": ids}
    head_filters, _params = _filters("h", language, topic)
    broad = _BROAD.format(head_filters=head_filters)
    return broad, {**params, "ids": ids[:BODY_SAMPLE]}


def find(
    parsed: ParsedQuery,
    *,
    language: str | None,
    topic: str | None,
    states: list[str],
    limit: int,
    offset: int,
    prefer_language: str | None = None,
) -> tuple[list[tuple[Any, ...]], int, bool]:
    """(rows, total, exact): rows are (id, title, slug, language, topic slug, snippet,
    score), those in prefer_language first; when exact is False, total is COUNT_CAP
    and there are more matches."""
    sql, params = matching_statement(
        parsed,
        language=language,
        topic=topic,
        states=states,
        limit=limit,
        offset=offset,
        prefer_language=prefer_language,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
        total, exact = min(len(ids), COUNT_CAP), len(ids) <= COUNT_CAP
        if not ids or (exact and offset >= total):
            return [], total, exact
        cursor.execute(*ranking_statement(ids, params, language=language, topic=topic))
        return [row[:7] for row in cursor.fetchall()], total, exact


_NEAREST = """
SELECT word FROM faq_searchword
WHERE word %% %(word)s AND word <> ALL(%(stop_words)s)
ORDER BY similarity(word, %(word)s) DESC, word
LIMIT 1
"""


def corrections(words: list[str]) -> dict[str, str]:
    """For each word no entry uses, the most similar word one does (pg_trgm). Stop
    words are neither corrected nor offered as corrections (faq.stopwords)."""
    candidates = [word for word in words if is_correctable(word)]
    if not candidates:
        return {}
    known = set(SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True))
    found = {}
    with connection.cursor() as cursor:
        for word in candidates:
            if word in known:
                continue
            cursor.execute(_NEAREST, {"word": word, "stop_words": sorted(STOP_WORDS)})
            row = cursor.fetchone()
            if row:
                found[word] = row[0]
    return found
