"""FAQ entries in and out of files: JSON Lines or CSV, one entry per line or row.

Both formats carry the same fields: title, answer, topic, language, tags, state.
`import_rows` applies rows through the services in faq/services.py, each row in
its own transaction, so a bad line is reported with its line number and the rest
still import. An entry is matched on its title (any case) and language, the same
key as the database's unique constraint, which makes importing a file again a
no-op: every row is then counted as skipped.

State: a row's explicit state (draft, published, archived) is applied; a row
without one creates a draft and leaves an existing entry's state alone, so a file
without a state column never unpublishes anything. `publish_all` overrides both.

CSV is written to be opened in a spreadsheet: a cell that would start a formula
(`=`, `+`, `-`, `@`, …) gets a leading apostrophe, which reading CSV takes off
again (officehours/csvcells.py), so import gives back what export wrote. JSON
Lines carries every text exactly as it is stored.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

from django.db import DataError, IntegrityError, transaction
from django.db.models import CharField, Max, QuerySet, Value
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.text import slugify

from faq.models import ANSWER_MAX, TITLE_MAX, Entry
from faq.services import (
    TAGS_MAX,
    FaqRefused,
    clean_tags,
    clean_text,
    entry_create,
    entry_set_state,
    entry_update,
)
from officehours import csvcells
from officehours.markdown import MAX_INPUT_LINES
from officehours.questions.models import Topic

JSONL, CSV = "jsonl", "csv"
FORMATS = (JSONL, CSV)
COLUMNS = ("title", "answer", "topic", "language", "tags", "state")
REQUIRED_COLUMNS = ("title", "answer", "language")
LANGUAGES = ("sv", "en")
STATES = (Entry.DRAFT, Entry.PUBLISHED, Entry.ARCHIVED)
STDIN = "-"
BOM = "\ufeff"
# Both fields have one (CharField).
TOPIC_NAME_MAX = cast(int, Topic._meta.get_field("name_sv").max_length)
TOPIC_SLUG_MAX = cast(int, Topic._meta.get_field("slug").max_length)
# Bytes that were not UTF-8 come through the "surrogateescape" decoding as lone
# surrogates; JSON's "\ud800" escapes make them too. Neither can be stored.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TRANSLITERATE = str.maketrans("åäöÅÄÖéÉüÜ", "aaoAAOeEuU")

# The services' refusals, said for an operator reading a terminal.
REFUSALS = {
    "empty_title": "title is missing",
    "empty_answer": "answer is missing",
    "too_long": (
        f"too long (title at most {TITLE_MAX} characters, answer at most {ANSWER_MAX} "
        f"characters and {MAX_INPUT_LINES} lines)"
    ),
    "title_taken": "another entry in this language already has this title",
    "bad_language": "language must be sv or en",
    "too_many_tags": f"at most {TAGS_MAX} tags",
}


class ExchangeError(Exception):
    """The file as a whole cannot be read (nothing was imported)."""


class RowError(Exception):
    """One line or row is rejected; the others still import."""


@dataclass(frozen=True)
class Row:
    """One line (JSONL) or record (CSV) as read: its fields, or why it could not be read."""

    line: int
    data: dict | None = None
    error: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"skipped {self.skipped}, errors {len(self.errors)}"
        )


# --- Reading ----------------------------------------------------------------------------------


def detect_format(path: str, chosen: str | None = None) -> str:
    """The chosen format, else by the file's extension: .csv is CSV, anything else JSONL."""
    if chosen:
        if chosen not in FORMATS:
            raise ExchangeError(f"unknown format {chosen!r} (jsonl or csv)")
        return chosen
    return CSV if path != STDIN and path.lower().endswith(".csv") else JSONL


@contextlib.contextmanager
def open_input(path: str) -> Iterator[IO[str]]:
    """The file (or standard input for "-") as UTF-8 text; a BOM is dropped and bytes
    that are not UTF-8 reach the row checks instead of stopping the whole file."""
    options: dict[str, Any] = {"encoding": "utf-8-sig", "errors": "surrogateescape", "newline": ""}
    if path != STDIN:
        with open(path, **options) as stream:
            yield stream
        return
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # already text (a test's StringIO): the readers drop a BOM too
        yield sys.stdin
        return
    stream = io.TextIOWrapper(buffer, **options)
    try:
        yield stream
    finally:
        stream.detach()  # leave sys.stdin open


def count_lines(path: str) -> int | None:
    """Physical lines in the file, for a progress bar; None for standard input."""
    if path == STDIN:
        return None
    with open_input(path) as stream:
        return sum(1 for _line in stream)


def read_rows(stream: Iterable[str], file_format: str) -> Iterator[Row]:
    return read_csv(stream) if file_format == CSV else read_jsonl(stream)


def read_jsonl(stream: Iterable[str]) -> Iterator[Row]:
    """One JSON object per line; blank lines are ignored, line numbers are physical."""
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = line.removeprefix(BOM)
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield Row(number, error=f"invalid JSON ({error.msg} at column {error.colno})")
            continue
        except (ValueError, RecursionError):
            yield Row(number, error="invalid JSON")
            continue
        if not isinstance(data, dict):
            yield Row(number, error=f"expected a JSON object, found {_kind(data)}")
            continue
        yield Row(number, data)


def read_csv(stream: Iterable[str]) -> Iterator[Row]:
    """A header row, then one entry per record. Checks the header at once (raising
    ExchangeError), then yields rows numbered by the physical line they start on."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise ExchangeError("the CSV file is empty; it needs a header row") from None
    except csv.Error as error:
        raise ExchangeError(f"line 1: cannot read the CSV header ({error})") from None
    names = [name.removeprefix(BOM).strip().lower() for name in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise ExchangeError(
            f"the CSV header lacks the column(s) {', '.join(missing)} "
            f"(expected {','.join(COLUMNS)})"
        )
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in COLUMNS:
            positions.setdefault(name, position)
    return _csv_records(reader, positions)


def _csv_records(reader, positions: dict[str, int]) -> Iterator[Row]:
    previous = reader.line_num
    while True:
        start = previous + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Row(start, error=f"cannot read this CSV row ({error})")
            if reader.line_num == previous:
                return  # the reader cannot move on
            previous = reader.line_num
            continue
        previous = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        yield Row(
            start,
            {
                name: csvcells.unescape(cells[at])
                for name, at in positions.items()
                if at < len(cells)
            },
        )


# --- Checking ---------------------------------------------------------------------------------


def clean_row(data: dict) -> dict:
    """The row's fields checked and normalised as the services will store them."""
    title = _text(data, "title")
    answer = _text(data, "answer")
    if not title:
        raise RowError("title is missing")
    if not answer:
        raise RowError("answer is missing")
    if len(title) > TITLE_MAX:
        raise RowError(f"title is longer than {TITLE_MAX} characters")
    if len(answer) > ANSWER_MAX:
        raise RowError(f"answer is longer than {ANSWER_MAX} characters")
    language = _text(data, "language").lower()
    if not language:
        raise RowError("language is missing (sv or en)")
    if language not in LANGUAGES:
        raise RowError(f"language must be sv or en, not {_show(language)}")
    state = _text(data, "state").lower() or None
    if state is not None and state not in STATES:
        raise RowError(f"state must be draft, published or archived, not {_show(state)}")
    return {
        "title": title,
        "answer": answer,
        "topic": _text(data, "topic") or None,
        "language": language,
        "tags": _tags(data.get("tags")),
        "state": state,
    }


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"{key} must be text, not {_kind(value)}")
    if _SURROGATE.search(value):
        raise RowError(f"{key} is not valid UTF-8 text")
    return clean_text(value)


def _tags(value) -> list[str]:
    """A list of strings, or one comma-separated string (always so in CSV)."""
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = value
    else:
        raise RowError(f"tags must be a list of strings, not {_kind(value)}")
    if any(_SURROGATE.search(item) for item in items):
        raise RowError("tags are not valid UTF-8 text")
    tags = clean_tags(items)
    if len(tags) > TAGS_MAX:
        raise RowError(f"at most {TAGS_MAX} tags, not {len(tags)}")
    return tags


def _kind(value) -> str:
    if isinstance(value, list):
        return "a list holding other things"
    names = {dict: "an object", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "that")


def _show(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _refusal(error: FaqRefused) -> str:
    if error.code in REFUSALS:
        return REFUSALS[error.code]
    with translation.override("en"):
        return error.message


# --- Importing --------------------------------------------------------------------------------


def topic_slug(text: str) -> str:
    return slugify(text.translate(_TRANSLITERATE))[:TOPIC_SLUG_MAX].strip("-")


def topic_for(text: str | None) -> Topic | None:
    """The topic with this slug, or this Swedish or English name (any case); made if missing.

    Compared in Python (topics are a short list), so "Säkerhet" and "SÄKERHET" agree on
    SQLite too, whose case folding is ASCII only.
    """
    if not text:
        return None
    topics = list(Topic.objects.all())
    for topic in topics:
        if topic.slug in (text, text.lower()):
            return topic
    folded = text.casefold()
    for topic in topics:
        if folded in (topic.name_sv.casefold(), topic.name_en.casefold()):
            return topic
    if len(text) > TOPIC_NAME_MAX:
        raise RowError(f"topic is longer than {TOPIC_NAME_MAX} characters")
    slug = topic_slug(text)
    if not slug:
        raise RowError(f"topic {_show(text)} has no letters or digits to make a slug of")
    for topic in topics:
        if topic.slug == slug:
            return topic
    position = Topic.objects.aggregate(last=Max("position"))["last"]
    return Topic.objects.create(
        slug=slug, name_sv=text, name_en=text, position=0 if position is None else position + 1
    )


def entry_matching(*, title: str, language: str) -> Entry | None:
    """The entry with this title in any case: lower() on both sides, as the unique
    constraint compares them (and it can use that constraint's index)."""
    return (
        Entry.objects.filter(language=language)
        .alias(lower_title=Lower("title"))
        .filter(lower_title=Lower(Value(title, output_field=CharField())))
        .first()
    )


def import_rows(
    rows: Iterable[Row],
    *,
    publish_all: bool = False,
    author=None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Applies the rows, each in its own transaction; `progress` hears each line number."""
    result = ImportResult()
    first_line: dict[tuple[str, str], int] = {}
    for row in rows:
        try:
            if row.error:
                raise RowError(row.error)
            values = clean_row(row.data or {})
            key = (values["title"].lower(), values["language"])
            if key in first_line:
                # A second row for the same entry would undo the first on every import.
                raise RowError(f"same title and language as line {first_line[key]}")
            with transaction.atomic():
                outcome = _apply(values, publish_all=publish_all, author=author)
            first_line[key] = row.line
            setattr(result, outcome, getattr(result, outcome) + 1)
        except RowError as error:
            result.errors.append((row.line, str(error)))
        except FaqRefused as error:
            result.errors.append((row.line, _refusal(error)))
        except (IntegrityError, DataError) as error:
            result.errors.append((row.line, f"the database refused it ({error})"))
        if progress is not None:
            progress(row.line)
    return result


def _apply(values: dict, *, publish_all: bool, author) -> str:
    """Creates or updates one entry; says "created", "updated" or "skipped"."""
    state = Entry.PUBLISHED if publish_all else values["state"]
    topic = topic_for(values["topic"])
    content = {
        "title": values["title"],
        "answer": values["answer"],
        "language": values["language"],
        "topic": topic,
        "tags": values["tags"],
        "author": author,
    }
    entry = entry_matching(title=values["title"], language=values["language"])
    if entry is None:
        entry = entry_create(**content, publish=state == Entry.PUBLISHED)
        if state == Entry.ARCHIVED:
            entry_set_state(entry=entry, state=Entry.ARCHIVED, author=author)
        return "created"
    revisions = entry.revisions.count()
    entry = entry_update(entry=entry, **content)
    changed = entry.revisions.count() != revisions
    if state is not None and entry.state != state:
        entry_set_state(entry=entry, state=state, author=author)
        changed = True
    return "updated" if changed else "skipped"


# --- Exporting --------------------------------------------------------------------------------


def entries_for_export(*, state: str = "all", language: str | None = None) -> QuerySet[Entry]:
    entries = Entry.objects.select_related("topic").prefetch_related("tags")
    if state != "all":
        entries = entries.filter(state=state)
    if language:
        entries = entries.filter(language=language)
    return entries.order_by("language", "title", "pk")


def export_rows(queryset: QuerySet[Entry]) -> Generator[dict[str, Any], None, None]:
    """Each entry as a row in the import's shape (tags by name, the topic by slug)."""
    for entry in queryset.iterator(chunk_size=500):
        yield {
            "title": entry.title,
            "answer": entry.answer,
            "topic": entry.topic.slug if entry.topic else None,
            "language": entry.language,
            "tags": sorted(tag.name for tag in entry.tags.all()),
            "state": entry.state,
        }


def write_jsonl(rows: Iterable[dict], stream) -> int:
    count = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict], stream) -> int:
    """For a spreadsheet: a cell that would start a formula gets an apostrophe
    (officehours/csvcells.py), which read_csv removes again."""
    writer = csvcells.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(
            [*(row[column] or "" for column in COLUMNS[:4]), ",".join(row["tags"]), row["state"]]
        )
        count += 1
    return count


def write_rows(rows: Iterable[dict], stream, file_format: str) -> int:
    return write_csv(rows, stream) if file_format == CSV else write_jsonl(rows, stream)
