"""Demo FAQ entries and search synonyms for `seed_demo`, published; running it
again adds nothing."""

from faq.demo_entries import DEMO_ENTRIES
from faq.models import Entry, SynonymGroup
from faq.services import entry_create, synonym_group_save
from faq.synonyms import members
from officehours.questions.models import Topic

# An abbreviation and a renamed platform, as advisers would write them.
DEMO_SYNONYMS = ["SoMe, sociala medier, social media", "X, Twitter"]


def faq_seed(author=None) -> int:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    created = 0
    for item in DEMO_ENTRIES:
        if Entry.objects.filter(title__iexact=item["title"], language=item["language"]).exists():
            continue
        entry_create(
            title=item["title"],
            answer=item["answer"],
            language=item["language"],
            topic=topics.get(item["topic"]),
            tags=item["tags"],
            author=author,
            publish=True,
        )
        created += 1
    synonyms_seed()
    return created


def synonyms_seed() -> int:
    existing = {
        tuple(members(terms)) for terms in SynonymGroup.objects.values_list("terms", flat=True)
    }
    created = 0
    for terms in DEMO_SYNONYMS:
        if tuple(members(terms)) not in existing:
            synonym_group_save(terms=terms)
            created += 1
    return created
