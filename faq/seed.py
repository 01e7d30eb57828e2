"""Demo FAQ entries for `seed_demo`, published; running it again adds nothing."""

from faq.demo_entries import DEMO_ENTRIES
from faq.models import Entry
from faq.services import entry_create
from officehours.questions.models import Topic


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
    return created
