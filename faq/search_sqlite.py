"""FAQ search on SQLite: the FTS5 table (see migrations/0002), bm25 ranking.

FTS5 has no stemmer for Swedish; faq.query.light_stem strips common endings
before prefix matching instead. Weights: title 10, tags 4, answer 1.
"""

from __future__ import annotations

import difflib
from typing import Any

from django.db import connection
from django.db.models.functions import Length

from faq.models import SearchWord
from faq.query import ParsedQuery, is_correctable, to_fts5
from faq.stopwords import STOP_WORDS

_RANK = "bm25(faq_entry_fts, 10.0, 4.0, 1.0)"

# bm25 is lower for better matches; the score shown is its negation. The match is
# materialised first because FTS5 functions refuse to run beside a window function.
_SEARCH = f"""
WITH m AS MATERIALIZED (
    SELECT rowid AS id, {_RANK} AS rank FROM faq_entry_fts WHERE faq_entry_fts MATCH %s
)
SELECT e.id, e.title, e.slug, e.language, t.slug, -m.rank AS score, count(*) OVER ()
FROM m
JOIN faq_entry e ON e.id = m.id
LEFT JOIN questions_topic t ON t.id = e.topic_id
WHERE e.state IN ({{states}}) {{filters}}
ORDER BY e.language = %s DESC, m.rank, e.id DESC
LIMIT %s OFFSET %s
"""  # noqa: S608 (constant fragments only; values are parameters)

_COUNT = """
SELECT count(*) FROM faq_entry_fts
JOIN faq_entry e ON e.id = faq_entry_fts.rowid
LEFT JOIN questions_topic t ON t.id = e.topic_id
WHERE faq_entry_fts MATCH %s AND e.state IN ({states}) {filters}
"""

# Snippets for the page shown only.
_SNIPPETS = """
SELECT rowid, snippet(faq_entry_fts, 2, char(2), char(3), ' … ', 24)
FROM faq_entry_fts WHERE faq_entry_fts MATCH %s AND rowid IN ({ids})
"""


def _filters(language: str | None, topic: str | None) -> tuple[str, list[str]]:
    sql, params = [], []
    if language:
        sql.append("AND e.language = %s")
        params.append(language)
    if topic:
        sql.append("AND t.slug = %s")
        params.append(topic)
    return " ".join(sql), params


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
    score), those in prefer_language first. FTS5 counts every match; the total is
    always exact here."""
    match = to_fts5(parsed)
    filters, filter_params = _filters(language, topic)
    marks = ", ".join(["%s"] * len(states))
    params = [match, *states, *filter_params]
    with connection.cursor() as cursor:
        cursor.execute(
            _SEARCH.format(states=marks, filters=filters),
            [*params, prefer_language or "", limit, offset],
        )
        rows = cursor.fetchall()
        if not rows:
            if not offset:
                return [], 0, True
            cursor.execute(_COUNT.format(states=marks, filters=filters), params)
            return [], cursor.fetchone()[0], True
        ids = ", ".join(str(int(row[0])) for row in rows)
        cursor.execute(_SNIPPETS.format(ids=ids), [match])
        snippets = dict(cursor.fetchall())
    return [(*row[:5], snippets.get(row[0], ""), row[5]) for row in rows], rows[0][6], True


def corrections(words: list[str]) -> dict[str, str]:
    """For each word no entry uses, the closest one that starts with the same letter.
    Stop words are neither corrected nor offered as corrections (faq.stopwords)."""
    candidates = [word for word in words if is_correctable(word)]
    if not candidates:
        return {}
    known = set(SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True))
    found = {}
    for word in candidates:
        if word in known:
            continue
        nearby = (
            SearchWord.objects.annotate(length=Length("word"))
            .filter(word__startswith=word[0], length__range=(len(word) - 2, len(word) + 2))
            .values_list("word", flat=True)[:5000]
        )
        possible = [known_word for known_word in nearby if known_word not in STOP_WORDS]
        best = difflib.get_close_matches(word, possible, n=1, cutoff=0.7)
        if best:
            found[word] = best[0]
    return found
