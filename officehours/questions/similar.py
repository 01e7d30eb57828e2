"""Duplicate hints for advisers: open questions like this one, and FAQ entries that
may already answer it.

How the scores are made (no new service, the FAQ's machinery):
- Similar questions, PostgreSQL: pg_trgm's similarity() of the two titles (shared
  three-letter sequences over all of them, 0 to 1), through a trigram GIN index on
  the title; only pairs above pg_trgm's threshold (0.3) count. A near-identical
  title scores close to 1 and comes first.
- Similar questions, SQLite (no pg_trgm): difflib's ratio of the lower-cased titles
  (matching characters over all of them, 0 to 1) against those of the 500 newest
  open questions that share a word of four letters or more, above 0.5.
- FAQ entries: faq.suggestions, i.e. the FAQ search over the question's content
  words, keeping entries that share at least two of them (see that module).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from django.db import connection

from faq.models import Entry
from faq.suggestions import suggestions_for
from officehours.questions.models import Question

LIMIT = 5
SQLITE_CANDIDATES = 500
SQLITE_THRESHOLD = 0.5
_WORD = re.compile(r"[^\W\d_]{4,}")

_SIMILAR = """
SELECT q.* FROM questions_question q
WHERE q.state = %(state)s AND q.id <> %(id)s AND q.title %% %(title)s
ORDER BY similarity(q.title, %(title)s) DESC, q.id DESC
LIMIT %(limit)s
"""

# For a page of the queue at once: each question's most similar other open question.
_BEST_FOR_EACH = """
SELECT q.id, best.id FROM questions_question q
CROSS JOIN LATERAL (
    SELECT o.id FROM questions_question o
    WHERE o.state = %(state)s AND o.id <> q.id AND o.title %% q.title
    ORDER BY similarity(o.title, q.title) DESC, o.id DESC
    LIMIT 1
) best
WHERE q.id = ANY(%(ids)s::bigint[])
"""


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def _words(title: str) -> set[str]:
    return set(_WORD.findall(title.lower()))


def _closest(
    title: str, candidates: Iterable[tuple[int, str]], skip_id: int | None = None
) -> list[tuple[float, int]]:
    """(ratio, id) of the candidates (id, title) that share a longer word with this
    title, best first: the word check spares difflib most pairs."""
    words = _words(title)
    scored = [
        (_ratio(title, other), pk)
        for pk, other in candidates
        if pk != skip_id and words & _words(other)
    ]
    return sorted(scored, reverse=True)


def _sqlite_candidates(exclude_id: int | None = None) -> dict[int, Question]:
    """The newest open questions (id and title), for the SQLite comparison."""
    questions = Question.objects.filter(state=Question.SUBMITTED).order_by("-created_at")
    if exclude_id is not None:
        questions = questions.exclude(pk=exclude_id)
    return {q.pk: q for q in questions.only("id", "title")[:SQLITE_CANDIDATES]}


def _titles(candidates: dict[int, Question]) -> list[tuple[int, str]]:
    return [(pk, question.title) for pk, question in candidates.items()]


def similar_questions(question: Question, *, limit: int = LIMIT) -> list[Question]:
    if connection.vendor == "postgresql":
        # The questions themselves, most similar first: one query.
        params = {
            "state": Question.SUBMITTED,
            "id": question.pk,
            "title": question.title,
            "limit": limit,
        }
        return list(Question.objects.raw(_SIMILAR, params))
    candidates = _sqlite_candidates(question.pk)
    scored = _closest(question.title, _titles(candidates))
    return [candidates[pk] for score, pk in scored[:limit] if score >= SQLITE_THRESHOLD]


def similar_entries(question: Question, *, limit: int = 3) -> list[Entry]:
    return suggestions_for(f"{question.title} {question.body}", limit=limit)


def best_duplicates(questions: Sequence[Question]) -> dict[int, int]:
    """Question id → the id of its most similar other open question (one query)."""
    ids = [question.pk for question in questions]
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_BEST_FOR_EACH, {"state": Question.SUBMITTED, "ids": ids})
            return dict(cursor.fetchall())
    titles = _titles(_sqlite_candidates())
    best = {}
    for question in questions:
        scored = _closest(question.title, titles, skip_id=question.pk)
        if scored and scored[0][0] >= SQLITE_THRESHOLD:
            best[question.pk] = scored[0][1]
    return best
