"""Writing FAQ entries: create, edit, publish, archive, restore, votes and views.

Every content change adds a Revision, so advisers can compare and restore.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from faq.models import (
    ANSWER_MAX,
    COMMENT_MAX,
    TAG_MAX,
    TITLE_MAX,
    Deflection,
    Entry,
    EntryViewDay,
    EntryVisitor,
    Feedback,
    Revision,
    SearchWord,
    SynonymGroup,
    Tag,
)
from faq.synonyms import members
from officehours.markdown import MAX_INPUT_LINES
from officehours.questions.models import Question, Topic
from officehours.questions.services import question_published
from officehours.refusals import Refused

if TYPE_CHECKING:
    from officehours.accounts.models import User

TAGS_MAX = 10
# Control characters (other than line breaks and tabs) never belong in text; two of
# them mark highlights in search snippets.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INDEXED_WORD = re.compile(r"[^\W\d_]{3,60}")

MESSAGES = {
    "empty_title": _("Write the question."),
    "empty_answer": _("Write the answer."),
    "too_long": _("That is too long. Please shorten it."),
    "title_taken": _("An entry with this question already exists in that language."),
    "bad_language": _("Choose Swedish or English."),
    "too_many_tags": _("Use at most ten tags."),
    "not_answered": _("Only an answered question can become an FAQ entry."),
    "not_published": _("Only published entries can be rated."),
    "same_state": _("The entry is already in that state."),
    "empty_tag": _("Write the tag's new name."),
    "synonyms_too_few": _("Write at least two words or phrases, separated by commas."),
}


class FaqRefused(Refused):
    messages = MESSAGES


def clean_text(text: str) -> str:
    return _CONTROL.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_tags(tags: str | Iterable[object] | None) -> list[str]:
    """Lower case, no commas, each once, in the order given."""
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: dict[str, None] = {}
    for tag in tags or []:
        name = " ".join(clean_text(str(tag)).replace(",", " ").lower().split())[:TAG_MAX]
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _check(title: str, answer: str, language: str, tags: list[str]) -> None:
    if not title:
        raise FaqRefused("empty_title", status=422)
    if not answer:
        raise FaqRefused("empty_answer", status=422)
    if len(title) > TITLE_MAX or len(answer) > ANSWER_MAX:
        raise FaqRefused("too_long", status=422)
    if answer.count("\n") >= MAX_INPUT_LINES:
        raise FaqRefused("too_long", status=422)
    if language not in ("sv", "en"):
        raise FaqRefused("bad_language", status=422)
    if len(tags) > TAGS_MAX:
        raise FaqRefused("too_many_tags", status=422)


def _slug_for(title: str) -> str:
    base = slugify(title.translate(str.maketrans("åäöÅÄÖéÉüÜ", "aaoAAOeEuU")))[:70].strip("-")
    base = base or "entry"
    slug = base
    while Entry.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


def index_words(texts: Iterable[str | None]) -> None:
    """Adds the words of these texts to the spelling list ("did you mean")."""
    words = set()
    for text in texts:
        words.update(_INDEXED_WORD.findall((text or "").lower()))
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in sorted(words)],
            ignore_conflicts=True,
            batch_size=500,
        )


def _set_tags(entry: Entry, tags: list[str]) -> None:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=tags)}
    missing = [Tag(name=name) for name in tags if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=tags)}
    entry.tags.set([existing[name] for name in tags])


def _revise(entry: Entry, tags: list[str], author: User | None, summary: str) -> Revision:
    last = entry.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        entry=entry,
        number=last + 1,
        title=entry.title,
        answer=entry.answer,
        topic=entry.topic,
        tags=tags,
        language=entry.language,
        state=entry.state,
        author=author,
        summary=summary[:200],
    )


def _save(entry: Entry, tags: list[str]) -> None:
    entry.tags_text = " ".join(tags)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        if "title" in str(error).lower():
            raise FaqRefused("title_taken") from error
        raise
    _set_tags(entry, tags)
    index_words([entry.title, entry.tags_text, entry.answer])


def _tell_followers(entry: Entry) -> None:
    for question in entry.source_questions.all():
        question_published(question=question)


@transaction.atomic
def entry_create(
    *,
    title: str,
    answer: str,
    language: str,
    author: User | None = None,
    topic: Topic | None = None,
    tags: str | Iterable[object] = (),
    publish: bool = False,
    source_questions: Sequence[Question] = (),
    summary: str = "",
) -> Entry:
    title, answer, tags = clean_text(title), clean_text(answer), clean_tags(tags)
    _check(title, answer, language, tags)
    now = timezone.now()
    entry = Entry(
        title=title,
        answer=answer,
        language=language,
        topic=topic,
        slug=_slug_for(title),
        state=Entry.PUBLISHED if publish else Entry.DRAFT,
        created_at=now,
        updated_at=now,
        published_at=now if publish else None,
    )
    _save(entry, tags)
    if source_questions:
        entry.source_questions.set(source_questions)
    _revise(entry, tags, author, summary or str(_("Created")))
    if publish:
        _tell_followers(entry)
    return entry


def _locked(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    title: str,
    answer: str,
    language: str,
    author: User | None = None,
    topic: Topic | None = None,
    tags: str | Iterable[object] = (),
    summary: str = "",
) -> Entry:
    """Changes the content; the state stays. Saving without a change adds no revision."""
    title, answer, tags = clean_text(title), clean_text(answer), clean_tags(tags)
    _check(title, answer, language, tags)
    entry = _locked(entry)
    old_tags = list(entry.tags.values_list("name", flat=True))
    unchanged = (
        entry.title == title
        and entry.answer == answer
        and entry.language == language
        and entry.topic_id == (topic.pk if topic else None)
        and sorted(old_tags) == sorted(tags)
    )
    if unchanged:
        return entry
    entry.title, entry.answer, entry.language, entry.topic = title, answer, language, topic
    entry.updated_at = timezone.now()
    _save(entry, tags)
    _revise(entry, tags, author, summary or str(_("Edited")))
    return entry


@transaction.atomic
def entry_set_state(*, entry: Entry, state: str, author: User | None = None) -> Entry:
    """Publish, archive or return to draft. Publishing the first time tells the
    source questions' askers and followers."""
    entry = _locked(entry)
    if state not in dict(Entry.STATE_CHOICES):
        raise FaqRefused("same_state", status=422)
    if entry.state == state:
        raise FaqRefused("same_state")
    now = timezone.now()
    entry.state = state
    entry.updated_at = now
    if state == Entry.PUBLISHED and entry.published_at is None:
        entry.published_at = now
    entry.save(update_fields=["state", "updated_at", "published_at"])
    summaries = {
        Entry.PUBLISHED: _("Published"),
        Entry.ARCHIVED: _("Archived"),
        Entry.DRAFT: _("Returned to draft"),
    }
    _revise(entry, list(entry.tags.values_list("name", flat=True)), author, str(summaries[state]))
    if state == Entry.PUBLISHED:
        _tell_followers(entry)
    return entry


@transaction.atomic
def entry_restore(*, entry: Entry, revision: Revision, author: User | None = None) -> Entry:
    """The content of an earlier revision becomes the current one (a new revision)."""
    if revision.entry_id != entry.pk:
        raise Revision.DoesNotExist
    topic = (
        Topic.objects.filter(pk=revision.topic_id).first()
        if revision.topic_id is not None
        else None
    )
    return entry_update(
        entry=entry,
        title=revision.title,
        answer=revision.answer,
        language=revision.language,
        topic=topic,
        tags=revision.tags,
        author=author,
        summary=str(_("Restored revision %(number)s") % {"number": revision.number}),
    )


@transaction.atomic
def entry_from_question(*, question: Question, adviser: User) -> Entry:
    """A draft prefilled from an answered question: its title and the answer, never
    who asked. Asking again returns the entry already drafted from it."""
    if question.state != Question.ANSWERED:
        raise FaqRefused("not_answered")
    existing = question.faq_entries.order_by("pk").first()
    if existing:
        return existing
    return entry_create(
        title=question.title,
        answer=question.answer,
        language=question.language if question.language in ("sv", "en") else "sv",
        topic=question.topic,
        author=adviser,
        source_questions=[question],
        summary=str(_("Drafted from question %(number)s") % {"number": question.pk}),
    )


def feedback_recount(entry_ids: Iterable[int]) -> None:
    """Brings the helpful/unhelpful counts in line with the votes (after votes go away)."""
    for entry in Entry.objects.filter(pk__in=list(entry_ids)):
        _recount(entry)


def _recount(entry: Entry) -> None:
    counts = Feedback.objects.filter(entry=entry).aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    Entry.objects.filter(pk=entry.pk).update(
        helpful_count=counts["yes"], unhelpful_count=counts["no"]
    )
    entry.helpful_count, entry.unhelpful_count = counts["yes"], counts["no"]


@transaction.atomic
def feedback_set(*, entry: Entry, user: User, helpful: bool, comment: str = "") -> Feedback:
    """One vote per reader; voting again changes it. The comment is for advisers only."""
    entry = _locked(entry)
    if entry.state != Entry.PUBLISHED:
        raise FaqRefused("not_published", status=404)
    comment = clean_text(comment)
    if len(comment) > COMMENT_MAX:
        raise FaqRefused("too_long", status=422)
    feedback, _created = Feedback.objects.update_or_create(
        entry=entry,
        user=user,
        defaults={"helpful": helpful, "comment": comment, "updated_at": timezone.now()},
    )
    _recount(entry)
    feedback.entry = entry
    return feedback


def _today(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now(), timezone=ZoneInfo(settings.TIME_ZONE))


def _visitor_hash(visitor: str, day: date) -> str:
    # Keyed with SECRET_KEY, so the rows name nobody; with the day in it, one person's
    # rows of different days cannot even be linked to each other.
    digest = salted_hmac("faq.entry-visitor", f"{day.isoformat()} {visitor}", algorithm="sha256")
    return digest.hexdigest()[: EntryVisitor.HASH_LENGTH]


def entry_visitor_counted(*, entry: Entry, kind: str, visitor: str, day: date) -> bool:
    """True the first time this visitor does this (a view, a deflection) to the entry on
    this day, and from then on False: whatever counts it counts only on True.

    The unique row decides, so two requests at once still count once. One statement,
    INSERT ... ON CONFLICT DO NOTHING (PostgreSQL; SQLite since 3.24): its row count says
    whether this request made the row. get_or_create would need four (a read, and a
    savepoint around the insert), and the entry page's queries are counted
    (tests/test_faq_pages.py)."""
    meta = EntryVisitor._meta
    table = connection.ops.quote_name(meta.db_table)
    column = {field.name: connection.ops.quote_name(field.column) for field in meta.concrete_fields}
    columns = ", ".join(column[name] for name in ("day", "entry", "kind", "visitor"))
    insert = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING"  # noqa: S608 (the model's names; values are parameters)
    hashed = _visitor_hash(visitor, day)
    values = [connection.ops.adapt_datefield_value(day), entry.pk, kind, hashed]
    with connection.cursor() as cursor:
        cursor.execute(insert, values)
        return int(cursor.rowcount) == 1


def entry_visitors_forget(*, now: datetime | None = None) -> int:
    """Deletes who was counted on days before today: only today's rows decide anything.
    To run daily with the other retention (officehours.privacy.services.retention_apply)."""
    return EntryVisitor.objects.filter(day__lt=_today(now)).delete()[0]


def entry_viewed(*, entry: Entry, visitor: str, now: datetime | None = None) -> bool:
    """A read: counted in the entry's total and in the day's figure (for a period's
    insights) the first time this visitor (faq.visitors.visitor_of) reads it that day.

    No transaction around it (the page's query count again): should a count below fail
    after the visitor's row is written, that visitor goes uncounted today, never twice."""
    day = _today(now)
    if not entry_visitor_counted(entry=entry, kind=EntryVisitor.VIEW, visitor=visitor, day=day):
        return False
    Entry.objects.filter(pk=entry.pk).update(view_count=F("view_count") + 1)
    entry.view_count += 1
    # The day's row made if missing (someone else may make it at the same moment), then
    # added to: two statements, no savepoint.
    EntryViewDay.objects.bulk_create(
        [EntryViewDay(entry=entry, day=day, views=0)], ignore_conflicts=True
    )
    EntryViewDay.objects.filter(entry=entry, day=day).update(views=F("views") + 1)
    return True


def _refresh_tags_text(entry_ids: Iterable[int]) -> None:
    for entry in Entry.objects.filter(pk__in=list(entry_ids)).prefetch_related("tags"):
        names = " ".join(tag.name for tag in entry.tags.all())
        if names != entry.tags_text:
            Entry.objects.filter(pk=entry.pk).update(tags_text=names)


@transaction.atomic
def tag_rename(*, tag: Tag, name: str) -> Tag:
    """Renames a tag everywhere; renaming to an existing tag's name merges the two."""
    names = clean_tags([name])
    if not names:
        raise FaqRefused("empty_tag", status=422)
    name = names[0]
    entry_ids = list(tag.entries.values_list("pk", flat=True))
    other = Tag.objects.filter(name=name).exclude(pk=tag.pk).first()
    if other is None:
        tag.name = name
        tag.save(update_fields=["name"])
        kept = tag
    else:
        for entry in Entry.objects.filter(pk__in=entry_ids):
            entry.tags.add(other)
        tag.delete()
        kept = other
    _refresh_tags_text(entry_ids)
    index_words([name])
    return kept


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    entry_ids = list(tag.entries.values_list("pk", flat=True))
    tag.delete()
    _refresh_tags_text(entry_ids)


@transaction.atomic
def synonym_group_save(*, terms: str, group: SynonymGroup | None = None) -> SynonymGroup:
    """Creates or changes a synonym group; it takes effect with the next search."""
    words = members(terms)
    if len(words) < 2:
        raise FaqRefused("synonyms_too_few", status=422)
    text = ", ".join(" ".join(member) for member in words)
    group = group or SynonymGroup()
    group.terms = text
    group.save()
    return group


@transaction.atomic
def deflection_record(
    *, entry: Entry, source: str, visitor: str, now: datetime | None = None
) -> Deflection | None:
    """Someone found their answer in this entry instead of sending a question. Once per
    person and entry a day (None when already counted): clicking again adds nothing."""
    if source not in dict(Deflection.SOURCE_CHOICES):
        source = Deflection.ASK
    if entry.state != Entry.PUBLISHED:
        raise FaqRefused("not_published", status=404)
    now = now or timezone.now()
    if not entry_visitor_counted(
        entry=entry, kind=EntryVisitor.DEFLECTION, visitor=visitor, day=_today(now)
    ):
        return None
    return Deflection.objects.create(entry=entry, source=source, created_at=now)
