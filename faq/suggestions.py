"""FAQ entries that may answer a question while it is being written.

How an entry is chosen and ranked:
1. The question's content words (title and details, or a booking note): words of
   three letters or more that are not among the commonest Swedish and English
   words, at most twelve.
2. The FAQ search (faq.search) looks for any of them (an `or` query), so the
   ranking is the search's own: PostgreSQL ts_rank (title > tags > answer, each
   entry in its language) or SQLite bm25, synonyms and stemming included.
3. Of its ten best, an entry is kept only if it shares enough of those words:
   two, or the only one when the question has just one. A word is shared when the
   entry's title, tags or answer has a word starting with its lightly stemmed
   form ("journalister" → "journalist…"). One common word in a long answer is not
   a match; a question about the same thing usually shares two.
"""

from __future__ import annotations

import re

from faq.models import Entry
from faq.query import light_stem
from faq.search import faq_search, search_any_of

SUGGESTIONS_MAX = 3
WORDS_MAX = 12
_WORD = re.compile(r"[^\W\d_]{3,}")
_COMMON_TEXT = """
och att det som för med den har inte till kan jag vad hur när var ska får om men
eller vill man vår våra vårt min mitt mina din ditt dina sin sitt sina på av ett
från vid efter under över även också bara redan mycket någon något några alla
the and for with that this have not can what how when where should may our your
from about also just any some all are was were been will would could
"""
_COMMON = set(_COMMON_TEXT.split())


def content_words(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in _WORD.findall((text or "").lower()):
        if word not in _COMMON:
            seen.setdefault(word, None)
    return list(seen)[:WORDS_MAX]


def _answers(stems: list[str], entry: Entry) -> bool:
    needed = min(2, len(stems))
    words = getattr(entry, "_words", None)
    if words is None:  # split once, however many questions it is tried against
        words = entry._words = set(
            _WORD.findall(f"{entry.title} {entry.tags_text} {entry.answer}".lower())
        )
    return sum(any(word.startswith(stem) for word in words) for stem in stems) >= needed


QUEUE_WORDS = 4


def best_for_each(texts: dict[int, str]) -> dict[int, Entry]:
    """Key → the FAQ entry most likely to answer that text, for many texts with one
    search: the best 50 entries for their longest words together (QUEUE_WORDS each),
    each text then taking the best-ranked of them that shares enough of its words."""
    words_by_key = {key: content_words(text) for key, text in texts.items()}
    every_word = [
        word
        for words in words_by_key.values()
        for word in sorted(words, key=len, reverse=True)[:QUEUE_WORDS]
    ]
    ranked = search_any_of(every_word, limit=50)
    if not ranked:
        return {}
    entries = Entry.objects.in_bulk(ranked)
    best = {}
    for key, words in words_by_key.items():
        stems = list(dict.fromkeys(light_stem(word) for word in words))
        for pk in ranked:
            if stems and pk in entries and _answers(stems, entries[pk]):
                best[key] = entries[pk]
                break
    return best


def suggestions_for(text: str, *, limit: int = SUGGESTIONS_MAX) -> list[Entry]:
    words = content_words(text)
    if not words:
        return []
    found = faq_search(" or ".join(words), limit=10)
    if not found.hits:
        return []
    stems = list(dict.fromkeys(light_stem(word) for word in words))
    entries = Entry.objects.filter(pk__in=[hit.id for hit in found.hits]).only(
        "id", "title", "slug", "language", "tags_text", "answer"
    )
    by_id = {entry.pk: entry for entry in entries}
    chosen = []
    for hit in found.hits:
        entry = by_id.get(hit.id)
        if entry and _answers(stems, entry):
            chosen.append(entry)
        if len(chosen) == limit:
            break
    return chosen
