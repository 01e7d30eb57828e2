"""FAQ search on PostgreSQL: the stored tsvector (see migrations/0002), ranked.

Each entry was indexed with its own language's configuration, so the query is
read twice, as Swedish and as English, and each entry is matched against the
reading in its language. ts_rank weighs title (A) over tags (B) over answer (C).
"""

from __future__ import annotations

from django.db import connection

from faq.models import SearchWord
from faq.query import ParsedQuery, to_tsquery

_SV = "to_tsquery('pg_catalog.swedish', %(tsquery)s)"
_EN = "to_tsquery('pg_catalog.english', %(tsquery)s)"
_CONFIG = (
    "CASE WHEN e.language = 'sv' THEN 'pg_catalog.swedish'::regconfig"
    " ELSE 'pg_catalog.english'::regconfig END"
)
_QUERY = f"CASE WHEN e.language = 'sv' THEN {_SV} ELSE {_EN} END"
_HEADLINE = (
    'StartSel="\x02", StopSel="\x03", MaxWords=30, MinWords=12, ShortWord=2,'
    ' MaxFragments=2, FragmentDelimiter=" … "'
)

# The inner query ranks every match and counts them; only the page it keeps gets
# a snippet, since ts_headline re-reads the text and is the costly part.
_SEARCH = f"""
WITH ranked AS (
    SELECT e.id, ts_rank(e.search_vector, {_QUERY}) AS score, count(*) OVER () AS total
    FROM faq_entry e
    WHERE e.state = ANY(%(states)s)
      AND ((e.language = 'sv' AND e.search_vector @@ {_SV})
           OR (e.language <> 'sv' AND e.search_vector @@ {_EN}))
      {{filters}}
    ORDER BY score DESC, e.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT e.id, e.title, e.slug, e.language, t.slug,
       ts_headline({_CONFIG}, e.answer, {_QUERY}, %(headline)s),
       r.score, r.total
FROM ranked r
JOIN faq_entry e ON e.id = r.id
LEFT JOIN questions_topic t ON t.id = e.topic_id
ORDER BY r.score DESC, r.id DESC
"""  # noqa: S608 (constant fragments only; values are parameters)

_COUNT = f"""
SELECT count(*) FROM faq_entry e
WHERE e.state = ANY(%(states)s)
  AND ((e.language = 'sv' AND e.search_vector @@ {_SV})
       OR (e.language <> 'sv' AND e.search_vector @@ {_EN}))
  {{filters}}
"""  # noqa: S608 (constant fragments only; values are parameters)


def _filters(language, topic) -> tuple[str, dict]:
    sql, params = [], {}
    if language:
        sql.append("AND e.language = %(language)s")
        params["language"] = language
    if topic:
        sql.append("AND e.topic_id = (SELECT id FROM questions_topic WHERE slug = %(topic)s)")
        params["topic"] = topic
    return " ".join(sql), params


def find(parsed: ParsedQuery, *, language, topic, states, limit, offset):
    """(rows, total): rows are (id, title, slug, language, topic slug, snippet, score)."""
    filters, params = _filters(language, topic)
    params.update(
        tsquery=to_tsquery(parsed),
        states=states,
        limit=limit,
        offset=offset,
        headline=_HEADLINE,
    )
    with connection.cursor() as cursor:
        cursor.execute(_SEARCH.format(filters=filters), params)
        rows = cursor.fetchall()
        if rows:
            return [row[:7] for row in rows], rows[0][7]
        if not offset:
            return [], 0
        # Past the last page: the rows are gone but the total is still wanted.
        cursor.execute(_COUNT.format(filters=filters), params)
        return [], cursor.fetchone()[0]


_NEAREST = """
SELECT word FROM faq_searchword
WHERE word %% %(word)s
ORDER BY similarity(word, %(word)s) DESC, word
LIMIT 1
"""


def corrections(words: list[str]) -> dict[str, str]:
    """For each word no entry uses, the most similar word one does (pg_trgm)."""
    candidates = [word for word in words if 3 <= len(word) <= 60 and word.isalpha()]
    if not candidates:
        return {}
    known = set(SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True))
    found = {}
    with connection.cursor() as cursor:
        for word in candidates:
            if word in known:
                continue
            cursor.execute(_NEAREST, {"word": word})
            row = cursor.fetchone()
            if row:
                found[word] = row[0]
    return found
