"""CSV exports a spreadsheet cannot run (OWASP "CSV injection"); JSONL and import exact."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from faq.models import Entry, Tag
from faq.services import entry_create
from officehours import csvcells
from officehours.questions import services as questions
from officehours.questions.models import Topic
from tests.people import make_user
from tests.test_faq_exchange import jsonl, row, run, snapshot, write_csv

pytestmark = pytest.mark.django_db

# What the issue names: each would start a formula in Excel, LibreOffice or Sheets.
HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
# The week of tests/clock.py's NOW (Monday 2 February 2026).
WEEK = {"period": "custom", "start": "2026-02-02", "end": "2026-02-08"}


# --- The cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*HOSTILE, "\0x", "\uff1dSUM(A1)", "\uff20x", "-", "="])
def test_a_cell_that_would_start_a_formula_gets_an_apostrophe(text):
    assert csvcells.safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Kris", "'Tis the season", "'", "a=b", " =1", "2026-02-02"])
def test_other_text_is_left_alone(text):
    assert csvcells.safe_cell(text) == text


@pytest.mark.parametrize("value", [0, -3, 2.5, -0.5, Decimal("-1.5"), True, None])
def test_numbers_stay_numbers_a_negative_one_too(value):
    assert csvcells.safe_cell(value) is value


def test_other_values_are_written_as_their_text():
    class Odd:
        def __str__(self):
            return "=1+1"

    assert csvcells.safe_cell(Odd()) == "'=1+1"


ROUND_TRIP = [
    *HOSTILE,
    "'",
    "''",
    "'=x",
    "''=x",
    "'-",
    "'Tis",
    "x'",
    "",
    "\uff0b1",
    "vanlig text",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_unescape_gives_back_exactly_what_was_written(text):
    assert csvcells.unescape(csvcells.safe_cell(text)) == text


def test_a_leading_apostrophe_before_a_formula_character_is_doubled():
    assert csvcells.safe_cell("'=x") == "''=x"
    assert csvcells.safe_cell("''") == "'''"
    assert csvcells.unescape("'Tis") == "'Tis"  # as typed by hand, kept


def test_the_writer_neutralises_every_cell_and_keeps_numbers():
    out = io.StringIO()
    csvcells.writer(out).writerows([["=a", -2, "b"], ["@c", 1.5, None]])
    assert out.getvalue() == "'=a,-2,b\r\n'@c,1.5,\r\n"


# --- Insights: the topics figure as a download ----------------------------------------------------


@pytest.fixture
def hostile_topics(frozen_now):
    made = []
    for n, name in enumerate(HOSTILE):
        topic = Topic.objects.create(slug=f"hostile-{n}", name_sv=name, name_en=name)
        for asked in range(n + 1):  # distinct counts: a fixed order in the figure
            questions.question_create(
                author=make_user(f"h{n}-{asked}@example.se"), title="Fråga", topic=topic
            )
        made.append(topic)
    return made


def test_the_insights_topics_csv_neutralises_hostile_names(
    frozen_now, adviser_client, hostile_topics
):
    response = adviser_client.get(reverse("insights:csv", args=["topics"]), WEEK)

    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1:] == [["'" + name, str(n + 1)] for n, name in reversed(list(enumerate(HOSTILE)))]
    assert "\n=" not in text and ",=" not in text


def test_the_insights_topics_csv_is_for_advisers_only(frozen_now, client, employee, hostile_topics):
    url = reverse("insights:csv", args=["topics"])
    assert client.get(url, WEEK).status_code == 302  # to sign in
    client.force_login(employee)
    response = client.get(url, WEEK)
    assert response.status_code == 403
    assert b"HYPERLINK" not in response.content


# --- export_faq and import_faq ------------------------------------------------------------------

FAQ_TEXT = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "'=x", "'Tis", "\uff1d1+1"]


@pytest.fixture
def hostile_entries():
    topic = Topic.objects.create(slug="-minus", name_sv="Minus", name_en="Minus")
    for n, text in enumerate(FAQ_TEXT):
        entry_create(
            title=text,
            answer=f"- punkt {n}\n- nästa" if n % 2 else text,
            language="sv",
            topic=topic if n == 0 else None,
            tags=["=cmd", "press"] if n == 1 else [],
            publish=n % 3 == 0,
        )
    return snapshot()


def test_export_faq_csv_neutralises_every_cell(hostile_entries):
    out = io.StringIO()
    call_command("export_faq", "--format", "csv", stdout=out, stderr=io.StringIO())

    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    titles = {row["title"] for row in rows}
    assert titles == {
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "''=x",
        "'Tis",
        "'\uff1d1+1",
    }
    by_title = {row["title"]: row for row in rows}
    assert by_title["'+1"]["answer"] == "'- punkt 1\n- nästa"
    assert by_title["'+1"]["tags"] == "'=cmd,press"
    assert by_title['\'=HYPERLINK("http://x")']["topic"] == "'-minus"
    for cells in rows:
        for value in cells.values():
            assert value[:1] not in csvcells.FORMULA_STARTS


def test_export_faq_jsonl_stays_exact(hostile_entries):
    out = io.StringIO()
    call_command("export_faq", "--format", "jsonl", stdout=out, stderr=io.StringIO())

    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {row["title"] for row in rows} == set(FAQ_TEXT)
    assert '"title": "=HYPERLINK(\\"http://x\\")"' in out.getvalue()
    by_title = {row["title"]: row for row in rows}
    assert by_title["+1"]["tags"] == ["=cmd", "press"]
    assert by_title['=HYPERLINK("http://x")']["topic"] == "-minus"


@pytest.mark.parametrize("name", ["faq.jsonl", "faq.csv"])
def test_import_takes_back_exactly_what_export_wrote(hostile_entries, tmp_path, name):
    path = str(tmp_path / name)
    assert run("export_faq", path).code == 0
    assert run("import_faq", path).summary == "created 0, updated 0, skipped 7, errors 0"

    Entry.objects.all().delete()
    Tag.objects.all().delete()
    outcome = run("import_faq", path)

    assert outcome.code == 0, outcome.err
    assert outcome.summary == "created 7, updated 0, skipped 0, errors 0"
    assert snapshot() == hostile_entries


def test_jsonl_import_keeps_a_leading_apostrophe(tmp_path):
    path = jsonl(tmp_path / "faq.jsonl", row("'=x"), row("''"))

    assert run("import_faq", path).code == 0

    assert set(Entry.objects.values_list("title", flat=True)) == {"'=x", "''"}


def test_a_hand_written_csv_keeps_an_apostrophe_that_guards_nothing(tmp_path):
    path = write_csv(
        tmp_path / "faq.csv",
        "title,answer,language\r\n'Tis the season,'- fine,sv\r\n'=1+1,'''quoted,sv\r\n",
    )

    assert run("import_faq", path).code == 0

    assert dict(Entry.objects.values_list("title", "answer")) == {
        "'Tis the season": "- fine",
        "=1+1": "''quoted",
    }
