"""FAQ entries, their history, readers' votes and what people searched for.

The search indexes (a tsvector column on PostgreSQL, an FTS5 table on SQLite)
are kept in step by the database itself; see migrations/0002_search_index.py.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officehours import model_defaults

TITLE_MAX = 200
ANSWER_MAX = 20_000
TAG_MAX = 50
COMMENT_MAX = 2_000


class Tag(models.Model):
    """A keyword advisers attach to entries; searchable, weighted between title and answer."""

    name = models.CharField(_("name"), max_length=TAG_MAX, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    STATE_CHOICES = [
        (DRAFT, _("draft")),
        (PUBLISHED, _("published")),
        (ARCHIVED, _("archived")),
    ]

    title = models.CharField(_("question"), max_length=TITLE_MAX)
    slug = models.SlugField(max_length=80, unique=True)
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX)
    topic = models.ForeignKey(
        "questions.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entries",
        verbose_name=_("topic"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries", verbose_name=_("tags"))
    # The tag names, space-separated, so the database can index them with the text.
    tags_text = models.TextField(blank=True, default="", editable=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=model_defaults.language_code,
    )
    state = models.CharField(_("state"), max_length=10, choices=STATE_CHOICES, default=DRAFT)
    source_questions = models.ManyToManyField(
        "questions.Question", blank=True, related_name="faq_entries"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_count = models.PositiveIntegerField(default=0)
    unhelpful_count = models.PositiveIntegerField(default=0)
    # PostgreSQL only (a trigger fills it); on SQLite the column stays empty.
    search_vector = SearchVectorField(null=True, editable=False)
    # Cached by suggestions._answers: the entry's words, split once (not a field).
    _words: set[str]

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["state", "language"], name="faq_entry_state_language"),
            models.Index(fields=["topic", "state"], name="faq_entry_topic_state"),
            # Browsing (readers' and advisers' lists) pages through entries newest first.
            models.Index(fields=["-updated_at", "-id"], name="faq_entry_updated"),
        ]
        constraints = [
            # The import's idempotency key: one entry per title (any case) and language.
            models.UniqueConstraint(
                Lower("title"), "language", name="faq_entry_one_title_per_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.PUBLISHED


class TitleIndex(models.Model):
    """An entry's title and tags as a small weighted tsvector, with the columns search
    filters on (PostgreSQL only; a trigger keeps it in step, see migration 0003).

    Broad searches rank their candidates here first: reading these narrow rows is
    far cheaper than reading every matching entry (faq/search_postgres.py)."""

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(max_length=10)
    state = models.CharField(max_length=10)
    topic_id = models.BigIntegerField(null=True)
    vector = SearchVectorField(null=True)

    class Meta:
        db_table = "faq_entry_title_index"

    def __str__(self) -> str:
        return str(self.entry_id)


class Revision(models.Model):
    """What an entry said at one point. Every saved change is kept; restoring adds one."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    answer = models.TextField(max_length=ANSWER_MAX)
    topic = models.ForeignKey(
        "questions.Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tags = models.JSONField(default=list)
    language = models.CharField(max_length=10)
    state = models.CharField(max_length=10)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="faq_revision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} r{self.number}"


class Feedback(models.Model):
    """ "Was this helpful?": one vote per reader and entry, changeable."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="faq_feedback"
    )
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=COMMENT_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="faq_feedback_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {'+' if self.helpful else '-'}"


class SearchLog(models.Model):
    """One search as people typed it, without who searched (the content gaps report)."""

    QUERY_MAX = 200

    query = models.CharField(max_length=QUERY_MAX)
    language = models.CharField(max_length=10)
    result_count = models.PositiveIntegerField()
    opened = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.query


class SearchWord(models.Model):
    """Every word the entries use, spelt as written: where "did you mean" looks for
    the nearest real word to a misspelt one (pg_trgm on PostgreSQL)."""

    word = models.CharField(max_length=60, primary_key=True)

    def __str__(self) -> str:
        return self.word


class SynonymGroup(models.Model):
    """Words (or short phrases) that mean the same to our readers: a loanword and its
    Swedish form, a platform's old and new name, an abbreviation and its expansion.
    A search for any of them finds entries that use any other; see faq.synonyms."""

    terms = models.CharField(
        _("words that mean the same"),
        max_length=500,
        help_text=_("Separate them with commas, e.g. X, Twitter or SoMe, sociala medier."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms


class Deflection(models.Model):
    """Someone about to ask (or book with a question) found the answer in the FAQ and
    did not send it. Counted for the insights page; who it was is not recorded."""

    ASK = "ask"
    BOOKING = "booking"
    SOURCE_CHOICES = [(ASK, _("asking")), (BOOKING, _("booking"))]

    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, related_name="deflections"
    )
    source = models.CharField(max_length=10, choices=SOURCE_CHOICES)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.source} → {self.entry_id}"


class EntryViewDay(models.Model):
    """How often an entry was read on one day (the site's time zone): insights show the
    most read entries of a period. Who read it is not recorded."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField(db_index=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "day"], name="entry_view_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.day}: {self.views}"


class EntryVisitor(models.Model):
    """Someone already counted for an entry today: a view or a deflection counts once per
    person (or anonymous visitor), entry and day, however often they reload or click.

    The visitor is a keyed hash of who it was and the day (faq.services._visitor_hash),
    never the person in clear, and rows of days gone by are deleted
    (faq.services.entry_visitors_forget): only today's rows decide anything."""

    # What was counted: one letter keeps the rows small.
    VIEW = "v"
    DEFLECTION = "d"
    HASH_LENGTH = 32

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=1)
    visitor = models.CharField(max_length=HASH_LENGTH)

    class Meta:
        constraints = [
            # Day first: the same index finds the rows that retention deletes.
            models.UniqueConstraint(
                fields=["day", "entry", "kind", "visitor"], name="faq_entry_visitor_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.day} {self.kind}"
