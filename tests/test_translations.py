"""The Swedish and English catalogues are complete and up to date with the code."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_catalogue_is_complete(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 50
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    # Left by msgmerge's fuzzy matching: a guessed translation nobody checked.
    assert [e.msgid for e in catalogue if e.previous_msgid] == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_placeholders_match(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)s")
    for entry in catalogue:
        if entry.msgid_plural:
            for form, text in entry.msgstr_plural.items():
                source = entry.msgid if form == 0 else entry.msgid_plural
                assert set(pattern.findall(text)) == set(pattern.findall(source)), entry.msgid
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            entry.msgid
        )


def test_swedish_is_compiled_and_used():
    with translation.override("sv"):
        assert translation.gettext("Sign in") == "Logga in"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is missing")
def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Re-extracts into a copy, so a string added without `make makemessages` fails here."""
    for name in ("officehours", "faq", "templates", "locale", "manage.py"):
        source = ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, target)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "sv",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/sv/LC_MESSAGES/django.po"))}
    ours = {e.msgid for e in polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po"))}
    assert fresh - ours == set(), "run `make makemessages` and translate the new strings"
