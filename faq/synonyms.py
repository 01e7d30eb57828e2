"""Search synonyms: read fresh on every search, so an adviser's edit applies at once
(no restart, no re-index: the query is expanded, the indexes stay as they are)."""

from __future__ import annotations

from functools import lru_cache

from django.db import connection

from faq.models import SynonymGroup
from faq.query import Term, is_abbreviation, words_of

MEMBERS_MAX = 12
# A one-word member this short matches whole words only, never as the start of a
# longer one: "some" (SoMe) must not find "someone", nor "x" (Twitter) "xylofon".
WHOLE_WORD_MAX = 4


def members(text: str) -> list[tuple[str, ...]]:
    """The distinct words or phrases of a group as typed, e.g. "X, Twitter"."""
    seen: dict[tuple[str, ...], None] = {}
    for part in text.split(","):
        words = words_of(part)
        if words:
            seen.setdefault(words, None)
    return list(seen)[:MEMBERS_MAX]


def whole_word(words: tuple[str, ...]) -> bool:
    return len(words) == 1 and len(words[0]) <= WHOLE_WORD_MAX


def _term(text: str) -> Term | None:
    """A member as a search term: a short one ("some", "x") matches whole words only."""
    words = words_of(text)
    if not words:
        return None
    return Term(words, exact=whole_word(words) or is_abbreviation(text.strip()))


def synonym_map() -> dict[tuple[str, ...], list[Term]]:
    """Each member's words → the other members of its groups (one query)."""
    # A plain statement: building the ORM query cost more than running it, on every search.
    table = connection.ops.quote_name(SynonymGroup._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT terms FROM {table} ORDER BY terms")  # noqa: S608 (the model's table)
        return _mapping(tuple(row[0] for row in cursor.fetchall()))


@lru_cache(maxsize=4)
def _mapping(groups: tuple[str, ...]) -> dict[tuple[str, ...], list[Term]]:
    # Read on every search, built only when the groups changed. Callers only read it.
    mapping: dict[tuple[str, ...], list[Term]] = {}
    for text in groups:
        group: dict[tuple[str, ...], Term] = {}
        for part in text.split(","):
            term = _term(part)
            if term is not None:
                group.setdefault(term.words, term)
        terms = list(group.values())[:MEMBERS_MAX]
        for member in terms:
            others = mapping.setdefault(member.words, [])
            others += [
                other
                for other in terms
                if other.words != member.words and all(o.words != other.words for o in others)
            ]
    return mapping
