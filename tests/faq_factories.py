"""FAQ entries for tests, made through the services as advisers make them."""

from faq.models import Entry
from faq.services import entry_create, entry_set_state
from officehours.questions.models import Topic


def topic(slug: str = "guidelines", name: str = "Riktlinjer") -> Topic:
    found, _created = Topic.objects.get_or_create(
        slug=slug, defaults={"name_sv": name, "name_en": name}
    )
    return found


def make_entry(
    title: str,
    answer: str = "Ett svar.",
    *,
    language: str = "sv",
    topic: Topic | None = None,
    tags=(),
    state: str = Entry.PUBLISHED,
) -> Entry:
    entry = entry_create(
        title=title,
        answer=answer,
        language=language,
        topic=topic,
        tags=tags,
        publish=state == Entry.PUBLISHED,
    )
    if state == Entry.ARCHIVED:
        entry = entry_set_state(entry=entry, state=Entry.ARCHIVED)
    return entry
