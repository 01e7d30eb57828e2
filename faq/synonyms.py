"""Search synonyms: read fresh on every search, so an adviser's edit applies at once
(no restart, no re-index: the query is expanded, the indexes stay as they are)."""

from __future__ import annotations

from functools import lru_cache

from django.db import connection

from faq.models import SynonymGroup
from faq.query import words_of

MEMBERS_MAX = 12


def members(text: str) -> list[tuple[str, ...]]:
    """The distinct words or phrases of a group as typed, e.g. "X, Twitter"."""
    seen: dict[tuple[str, ...], None] = {}
    for part in text.split(","):
        words = words_of(part)
        if words:
            seen.setdefault(words, None)
    return list(seen)[:MEMBERS_MAX]


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Each member → the other members of its groups (one query)."""
    # A plain statement: building the ORM query cost more than running it, on every search.
    table = connection.ops.quote_name(SynonymGroup._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT terms FROM {table} ORDER BY terms")  # noqa: S608 (the model's table)
        return _mapping(tuple(row[0] for row in cursor.fetchall()))


@lru_cache(maxsize=4)
def _mapping(groups: tuple[str, ...]) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    # Read on every search, built only when the groups changed. Callers only read it.
    mapping: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for text in groups:
        group = members(text)
        for member in group:
            others = mapping.setdefault(member, [])
            others += [other for other in group if other != member and other not in others]
    return mapping
