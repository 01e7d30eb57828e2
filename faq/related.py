"""Entries related to one: shared tags first, then the same topic, then similar text."""

from __future__ import annotations

import re

from django.db.models import Case, Count, IntegerField, Q, Value, When

from faq.models import Entry
from faq.search import faq_search

_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")


def related_entries(entry: Entry, *, limit: int = 5) -> list[Entry]:
    tag_ids = [tag.pk for tag in entry.tags.all()]
    same = Q(topic_id=entry.topic_id) if entry.topic_id else Q(pk__in=[])
    if tag_ids:
        same |= Q(tags__in=tag_ids)
    chosen: list[Entry] = list(
        Entry.objects.filter(same, state=Entry.PUBLISHED, language=entry.language)
        .exclude(pk=entry.pk)
        .annotate(
            shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            same_topic=Case(
                When(topic_id=entry.topic_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-shared_tags", "-same_topic", "-view_count", "-id")
        .only("id", "title", "slug", "language")[:limit]
    )
    if len(chosen) < limit:
        # Similar wording: any of the title's longer words, ranked by the search.
        words = _TITLE_WORD.findall(entry.title.lower())[:8]
        if words:
            found = faq_search(" or ".join(words), language=entry.language, limit=limit + 1)
            known = {entry.pk} | {other.pk for other in chosen}
            extra_ids = [hit.id for hit in found.hits if hit.id not in known]
            extra = Entry.objects.filter(pk__in=extra_ids).only("id", "title", "slug", "language")
            by_id = {other.pk: other for other in extra}
            chosen += [by_id[pk] for pk in extra_ids if pk in by_id][: limit - len(chosen)]
    return chosen
