"""The migrations say what the models say, whatever the machine's settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent

# Not the defaults (sv, Europe/Stockholm, SE): a field default that reads one of
# these at import would show up as a change.
OTHER_SETTINGS = {"LANGUAGE_CODE": "en", "TIME_ZONE": "UTC", "HOLIDAY_COUNTRY": "NO"}


def test_it_finds_no_missing_migrations_under_other_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        OTHER_SETTINGS,
        DJANGO_SETTINGS_MODULE="officehours.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    )
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
