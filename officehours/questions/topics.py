"""The topics of social media at work that the demo data (and a fresh site) start with."""

from officehours.questions.models import Topic

DEFAULT_TOPICS = [
    ("strategy", "Strategi", "Strategy"),
    ("guidelines", "Riktlinjer och policy", "Guidelines and policy"),
    ("private-professional", "Privat eller i tjänsten", "Private vs professional"),
    ("platforms", "Plattformar", "Platforms"),
    ("comments-moderation", "Kommentarer och moderering", "Comments and moderation"),
    ("crisis", "Kris", "Crisis"),
    ("images-copyright", "Bilder och upphovsrätt", "Images and copyright"),
    ("security", "Säkerhet", "Security"),
    ("training", "Utbildning", "Training"),
]


def topics_seed() -> int:
    """Creates the default topics that are missing; returns how many were created."""
    created = 0
    for position, (slug, name_sv, name_en) in enumerate(DEFAULT_TOPICS):
        _topic, made = Topic.objects.get_or_create(
            slug=slug, defaults={"name_sv": name_sv, "name_en": name_en, "position": position}
        )
        created += made
    return created
