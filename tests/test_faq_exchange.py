"""import_faq and export_faq: JSON Lines and CSV in, the same out, safe to run again."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError, OutputWrapper
from django.db import connections

from faq.management.commands import import_faq
from faq.models import Entry, Revision, Tag
from faq.services import entry_create, entry_set_state
from officehours.questions.models import Topic

pytestmark = pytest.mark.django_db


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def summary(self) -> str:
        lines = self.out.strip().splitlines()
        return lines[-1] if lines else ""


def run(command: str, *args, **options) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err, **options)
    except CommandError as error:
        return Outcome(error.returncode, out.getvalue(), f"{err.getvalue()}{error}\n")
    return Outcome(0, out.getvalue(), err.getvalue())


def jsonl(path, *rows) -> str:
    """Writes rows (dicts as JSON, strings as they are) one per line."""
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def row(title="Får jag gilla kundens inlägg?", **fields) -> dict:
    return {"title": title, "answer": "Ja, med omdöme.", "language": "sv", **fields}


def snapshot() -> set:
    return {
        (
            entry.title,
            entry.answer,
            entry.topic.slug if entry.topic else None,
            entry.language,
            tuple(sorted(entry.tags.values_list("name", flat=True))),
            entry.state,
        )
        for entry in Entry.objects.select_related("topic")
    }


@pytest.fixture
def crisis():
    return Topic.objects.create(slug="crisis", name_sv="Kris", name_en="Crisis")


# --- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_import_creates_entries_with_topics_tags_and_states(tmp_path, crisis):
    path = jsonl(
        tmp_path / "faq.jsonl",
        row("Vem svarar journalister?", topic="crisis", tags=["Press", "kris", "press"]),
        row("Who talks to the press?", language="en", topic="CRISIS", state="published"),
        row("Vad gör jag vid ett drev?", topic="kris", state="draft"),
        row("Får jag dela bilder?", topic="Säkerhet på nätet", tags="bilder, upphovsrätt"),
    )

    outcome = run("import_faq", path)

    assert outcome.code == 0, outcome.err
    assert outcome.summary == "created 4, updated 0, skipped 0, errors 0"
    entries = {entry.title: entry for entry in Entry.objects.all()}
    assert set(entries) == {
        "Vem svarar journalister?",
        "Who talks to the press?",
        "Vad gör jag vid ett drev?",
        "Får jag dela bilder?",
    }
    assert entries["Vem svarar journalister?"].topic == crisis
    assert entries["Who talks to the press?"].topic == crisis
    assert entries["Vad gör jag vid ett drev?"].topic == crisis
    assert sorted(entries["Vem svarar journalister?"].tags.values_list("name", flat=True)) == [
        "kris",
        "press",
    ]
    assert sorted(entries["Får jag dela bilder?"].tags.values_list("name", flat=True)) == [
        "bilder",
        "upphovsrätt",
    ]
    assert entries["Who talks to the press?"].state == Entry.PUBLISHED
    assert entries["Who talks to the press?"].published_at is not None
    assert entries["Vem svarar journalister?"].state == Entry.DRAFT
    assert entries["Vad gör jag vid ett drev?"].state == Entry.DRAFT


def test_a_missing_topic_is_created_once_with_a_transliterated_slug(tmp_path):
    path = jsonl(
        tmp_path / "faq.jsonl",
        row("Första frågan", topic="Säkerhet på nätet"),
        row("Andra frågan", topic="säkerhet på nätet"),
    )

    assert run("import_faq", path).code == 0

    topic = Topic.objects.get()
    assert (topic.slug, topic.name_sv, topic.name_en) == (
        "sakerhet-pa-natet",
        "Säkerhet på nätet",
        "Säkerhet på nätet",
    )
    assert set(Entry.objects.values_list("topic", flat=True)) == {topic.pk}


def test_importing_the_same_file_again_skips_everything(tmp_path, crisis):
    path = jsonl(
        tmp_path / "faq.jsonl",
        row("Ett", topic="Kris", tags=["a", "b"], state="published"),
        row("Två", topic="Nytt ämne"),
        row("Three", language="en", state="archived"),
    )
    assert run("import_faq", path).summary == "created 3, updated 0, skipped 0, errors 0"
    before = snapshot(), Revision.objects.count(), Topic.objects.count()

    outcome = run("import_faq", path)

    assert outcome.code == 0, outcome.err
    assert outcome.summary == "created 0, updated 0, skipped 3, errors 0"
    assert (snapshot(), Revision.objects.count(), Topic.objects.count()) == before
    assert Entry.objects.count() == 3


def test_a_changed_answer_updates_the_entry_with_a_new_revision(tmp_path):
    entry = entry_create(title="Får jag svara på kritik?", answer="Ja.", language="sv")
    path = jsonl(
        tmp_path / "faq.jsonl",
        # Another case: still the same entry (title any case, same language). Only ASCII
        # letters change case: SQLite's lower(), which the unique constraint uses there,
        # folds no others.
        row("får JAG svara på KRITIK?", answer="Ja, sakligt och vänligt."),
        # The same title in the other language is another entry.
        row("Får jag svara på kritik?", language="en", answer="Yes."),
    )

    outcome = run("import_faq", path)

    assert outcome.summary == "created 1, updated 1, skipped 0, errors 0"
    entry.refresh_from_db()
    assert entry.answer == "Ja, sakligt och vänligt."
    assert entry.title == "får JAG svara på KRITIK?"
    assert list(entry.revisions.values_list("number", "answer")) == [
        (2, "Ja, sakligt och vänligt."),
        (1, "Ja."),
    ]
    assert Entry.objects.filter(language="sv").count() == 1


def test_state_in_the_file_moves_an_existing_entry_and_no_state_leaves_it(tmp_path):
    draft = entry_create(title="Utkast", answer="Svar.", language="sv")
    published = entry_create(title="Publicerad", answer="Svar.", language="sv", publish=True)
    to_archive = entry_create(title="Gammal", answer="Svar.", language="sv", publish=True)
    path = jsonl(
        tmp_path / "faq.jsonl",
        row("Utkast", answer="Svar.", state="published"),
        row("Publicerad", answer="Svar."),  # no state: stays published
        row("Gammal", answer="Svar.", state="archived"),
    )

    outcome = run("import_faq", path)

    assert outcome.summary == "created 0, updated 2, skipped 1, errors 0"
    states = dict(Entry.objects.values_list("pk", "state"))
    assert states == {
        draft.pk: Entry.PUBLISHED,
        published.pk: Entry.PUBLISHED,
        to_archive.pk: Entry.ARCHIVED,
    }


def test_publish_option_publishes_every_entry(tmp_path):
    existing = entry_create(title="Finns redan", answer="Svar.", language="sv")
    path = jsonl(
        tmp_path / "faq.jsonl",
        row("Ny", state="draft"),
        row("Också ny"),
        row("Finns redan", answer="Svar."),
    )

    outcome = run("import_faq", path, "--publish")

    assert outcome.summary == "created 2, updated 1, skipped 0, errors 0"
    assert set(Entry.objects.values_list("state", flat=True)) == {Entry.PUBLISHED}
    existing.refresh_from_db()
    assert existing.published_at is not None


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_import(tmp_path):
    path = jsonl(
        tmp_path / "faq.jsonl",
        row("Bra rad ett"),  # 1
        '{"title": "Trasig", "answer": ',  # 2
        {"answer": "Ingen fråga", "language": "sv"},  # 3
        row("Fel språk", language="de"),  # 4
        row("Fel läge", state="hidden"),  # 5
        row("Fel taggar", tags=42),  # 6
        row("Taggar med tal", tags=["ok", 7]),  # 7
        '["inte", "ett", "objekt"]',  # 8
        row("x" * 201),  # 9
        row("Bra rad ett"),  # 10: the same entry as line 1
        row("Fel typ", answer=["inte", "text"]),  # 11
        row("Bra rad två", language="en"),  # 12
    )

    outcome = run("import_faq", path)

    assert outcome.code == 1
    assert outcome.summary == "created 2, updated 0, skipped 0, errors 10"
    assert set(Entry.objects.values_list("title", flat=True)) == {"Bra rad ett", "Bra rad två"}
    reported = [line for line in outcome.err.splitlines() if line.startswith("line ")]
    assert [line.split(":")[0] for line in reported] == [
        f"line {number}" for number in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    ]
    assert "line 2: invalid JSON" in outcome.err
    assert "line 3: title is missing" in outcome.err
    assert "line 4: language must be sv or en, not 'de'" in outcome.err
    assert "line 5: state must be draft, published or archived, not 'hidden'" in outcome.err
    assert "line 6: tags must be a list of strings, not a number" in outcome.err
    assert "line 7: tags must be a list of strings" in outcome.err
    assert "line 8: expected a JSON object, found a list" in outcome.err
    assert "line 9: title is longer than 200 characters" in outcome.err
    assert "line 10: same title and language as line 1" in outcome.err
    assert "line 11: answer must be text" in outcome.err
    assert "10 line(s) rejected" in outcome.err


def test_a_refused_row_leaves_nothing_behind_not_even_its_new_topic(tmp_path):
    path = jsonl(
        tmp_path / "faq.jsonl",
        row("För många taggar", topic="Nytt ämne", tags=[f"tagg{n}" for n in range(11)]),
        row("Långt svar", topic="Annat ämne", answer="rad\n" * 1_001),
    )

    outcome = run("import_faq", path)

    assert outcome.summary == "created 0, updated 0, skipped 0, errors 2"
    assert "line 1: at most 10 tags" in outcome.err
    assert "line 2: too long" in outcome.err  # the service's refusal, said in English
    assert not Entry.objects.exists()
    assert not Topic.objects.exists()
    assert not Tag.objects.exists()


def test_a_bom_and_blank_lines_are_fine_and_line_numbers_stay_physical(tmp_path):
    path = tmp_path / "faq.jsonl"
    text = "\n".join(
        [json.dumps(row("Först")), "", "   ", json.dumps(row("Sedan")), "", '{"title": 1}']
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\n\n")

    outcome = run("import_faq", str(path))

    assert outcome.summary == "created 2, updated 0, skipped 0, errors 1"
    assert "line 6: title must be text, not a number" in outcome.err
    assert set(Entry.objects.values_list("title", flat=True)) == {"Först", "Sedan"}


def test_bytes_that_are_not_utf8_reject_only_their_line(tmp_path):
    path = tmp_path / "faq.jsonl"
    path.write_bytes(
        json.dumps(row("Bra")).encode() + b'\n{"title": "Tr\xe5sig", "answer": "a", '
        b'"language": "sv"}\n'
    )

    outcome = run("import_faq", str(path))

    assert outcome.summary == "created 1, updated 0, skipped 0, errors 1"
    assert "line 2: title is not valid UTF-8 text" in outcome.err


def test_standard_input(monkeypatch):
    data = "\n".join(json.dumps(row(title)) for title in ("Ett", "Två")).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbf" + data)))

    outcome = run("import_faq", "-")

    assert outcome.summary == "created 2, updated 0, skipped 0, errors 0"
    assert set(Entry.objects.values_list("title", flat=True)) == {"Ett", "Två"}


def test_standard_input_as_csv(monkeypatch):
    data = "title,answer,language\nEtt,Svar,sv\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))

    outcome = run("import_faq", "-", "--format", "csv")

    assert outcome.summary == "created 1, updated 0, skipped 0, errors 0"


def test_exit_status_from_the_command_line(tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when done, the test's own included.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = jsonl(tmp_path / "good.jsonl", row("Bra"))
    bad = jsonl(tmp_path / "bad.jsonl", row("Bra"), row("Dålig", language="xx"))

    execute_from_command_line(["manage.py", "import_faq", good])
    assert capsys.readouterr().out.strip() == "created 1, updated 0, skipped 0, errors 0"

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_faq", bad])

    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == "created 0, updated 0, skipped 1, errors 1"
    assert "line 2: language must be sv or en, not 'xx'" in captured.err


def test_an_unreadable_file_is_a_command_error(tmp_path):
    outcome = run("import_faq", str(tmp_path / "missing.jsonl"))

    assert outcome.code == 1
    assert "cannot read" in outcome.err
    assert outcome.out == ""


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(import_faq, "PROGRESS_EVERY", 2)
    path = jsonl(tmp_path / "faq.jsonl", *(row(f"Fråga {n}") for n in range(5)))

    outcome = run("import_faq", path)

    assert outcome.code == 0
    assert [line for line in outcome.err.splitlines() if "rows read" in line] == [
        "2 rows read",
        "4 rows read",
    ]


def test_progress_bar_in_place_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    progress = import_faq.Progress(OutputWrapper(screen), total_lines=4)
    for line in (1, 2, 4):
        progress(line)
    progress.done()

    text = screen.getvalue()
    assert text.startswith("\r[")
    assert text.endswith("\r[" + "#" * import_faq.BAR_WIDTH + "] 100%  line 4 of 4\n")


# --- CSV ----------------------------------------------------------------------------------------


def write_csv(path, text: str) -> str:
    path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def test_csv_import_with_the_same_columns(tmp_path, crisis):
    path = write_csv(
        tmp_path / "faq.csv",
        "title,answer,topic,language,tags,state,notes\r\n"
        'Vem svarar journalister?,"Presstjänsten.\r\n\r\nRing dem.",Kris,sv,"press, kris",'
        "published,ignored\r\n"
        "Who writes the posts?,The comms team.,Nytt ämne,en,,,\r\n",
    )

    outcome = run("import_faq", path)

    assert outcome.summary == "created 2, updated 0, skipped 0, errors 0"
    sv = Entry.objects.get(language="sv")
    assert sv.answer == "Presstjänsten.\n\nRing dem."
    assert sv.topic == crisis
    assert sv.state == Entry.PUBLISHED
    assert sorted(sv.tags.values_list("name", flat=True)) == ["kris", "press"]
    en = Entry.objects.get(language="en")
    assert (en.state, en.topic.slug, en.tags.count()) == (Entry.DRAFT, "nytt-amne", 0)

    assert run("import_faq", path).summary == "created 0, updated 0, skipped 2, errors 0"


def test_csv_line_numbers_are_physical_lines_and_a_bom_is_fine(tmp_path):
    path = tmp_path / "faq.txt"  # not .csv: the format is chosen with --format
    text = (
        "title,answer,language,state\n"  # 1
        'Ett,"Första raden\nandra raden\ntredje",sv,\n'  # 2-4
        "\n"  # 5: blank, ignored
        "Två,Svar,de,\n"  # 6
        "Tre,Svar,sv,secret\n"  # 7
        ",Svar utan fråga,sv,\n"  # 8
        "Fyra,Svar,sv,draft\n"  # 9
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())

    outcome = run("import_faq", str(path), "--format", "csv")

    assert outcome.code == 1
    assert outcome.summary == "created 2, updated 0, skipped 0, errors 3"
    assert "line 6: language must be sv or en, not 'de'" in outcome.err
    assert "line 7: state must be draft, published or archived, not 'secret'" in outcome.err
    assert "line 8: title is missing" in outcome.err
    assert Entry.objects.get(title="Ett").answer == "Första raden\nandra raden\ntredje"


def test_csv_without_a_required_column_imports_nothing(tmp_path):
    path = write_csv(tmp_path / "faq.csv", "title,topic,language\nEtt,Kris,sv\n")

    outcome = run("import_faq", path)

    assert outcome.code == 1
    assert "lacks the column(s) answer" in outcome.err
    assert outcome.out == ""
    assert not Entry.objects.exists()
    assert not Topic.objects.exists()


def test_an_empty_csv_is_a_command_error(tmp_path):
    outcome = run("import_faq", write_csv(tmp_path / "faq.csv", ""))

    assert outcome.code == 1
    assert "header" in outcome.err


# --- Export -------------------------------------------------------------------------------------


@pytest.fixture
def entries(crisis):
    made = [
        entry_create(
            title="Vem svarar journalister?",
            answer="Presstjänsten.\n\nRing 010-123.",
            language="sv",
            topic=crisis,
            tags=["press", "kris"],
            publish=True,
        ),
        entry_create(title="Another question", answer="An answer.", language="en"),
        entry_create(
            title="Alla frågor, även med komma",
            answer='Citat: "så här"',
            language="sv",
            tags=["övrigt"],
        ),
        entry_create(title="An old one", answer="Gone.", language="en", tags=["old"]),
    ]
    entry_set_state(entry=made[3], state=Entry.ARCHIVED)
    return made


def test_export_jsonl(entries):
    out = io.StringIO()
    call_command("export_faq", stdout=out, stderr=io.StringIO())

    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "title": "An old one",
            "answer": "Gone.",
            "topic": None,
            "language": "en",
            "tags": ["old"],
            "state": "archived",
        },
        {
            "title": "Another question",
            "answer": "An answer.",
            "topic": None,
            "language": "en",
            "tags": [],
            "state": "draft",
        },
        {
            "title": "Alla frågor, även med komma",
            "answer": 'Citat: "så här"',
            "topic": None,
            "language": "sv",
            "tags": ["övrigt"],
            "state": "draft",
        },
        {
            "title": "Vem svarar journalister?",
            "answer": "Presstjänsten.\n\nRing 010-123.",
            "topic": "crisis",
            "language": "sv",
            "tags": ["kris", "press"],
            "state": "published",
        },
    ]
    assert "Alla frågor" in lines[2]  # UTF-8 as written, not \u escapes


def test_export_csv_to_a_file(entries, tmp_path):
    path = tmp_path / "faq.csv"

    outcome = run("export_faq", str(path))

    assert outcome.code == 0
    assert "exported 4 entries" in outcome.out
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["title", "answer", "topic", "language", "tags", "state"]
    assert rows[1:] == [
        ["An old one", "Gone.", "", "en", "old", "archived"],
        ["Another question", "An answer.", "", "en", "", "draft"],
        ["Alla frågor, även med komma", 'Citat: "så här"', "", "sv", "övrigt", "draft"],
        [
            "Vem svarar journalister?",
            "Presstjänsten.\n\nRing 010-123.",
            "crisis",
            "sv",
            "kris,press",
            "published",
        ],
    ]


def test_export_filters_by_state_and_language(entries):
    out = io.StringIO()
    call_command(
        "export_faq", "--format", "csv", "--state", "draft", "--language", "en", stdout=out
    )

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["title"] for row in rows] == ["Another question"]


@pytest.mark.parametrize("name", ["faq.jsonl", "faq.csv"])
def test_round_trip_export_wipe_import(entries, tmp_path, name):
    path = str(tmp_path / name)
    before = snapshot()
    assert run("export_faq", path).code == 0

    Entry.objects.all().delete()
    Tag.objects.all().delete()
    Topic.objects.all().delete()
    outcome = run("import_faq", path)

    assert outcome.code == 0, outcome.err
    assert outcome.summary == "created 4, updated 0, skipped 0, errors 0"
    assert snapshot() == before
    # And importing the export over the same entries changes nothing.
    assert run("import_faq", path).summary == "created 0, updated 0, skipped 4, errors 0"
