"""Configuration from the environment: strict parsing, clear errors naming the variable."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from officehours.env import (
    ConfigError,
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
)

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

BASE = Path("/srv/app")


@pytest.mark.parametrize(
    "raw,expected", [("true", True), ("1", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_it_reads_booleans(raw, expected):
    assert env_bool("DEBUG", False, environ={"DEBUG": raw}) is expected


def test_it_uses_the_default_for_unset_and_empty():
    assert env_bool("DEBUG", True, environ={}) is True
    assert env_bool("DEBUG", True, environ={"DEBUG": ""}) is True


@pytest.mark.parametrize("raw", ["maybe", "tru", "2", "enabled"])
def test_it_rejects_malformed_booleans_naming_the_variable(raw):
    with pytest.raises(ConfigError, match="DEBUG must be true or false"):
        env_bool("DEBUG", False, environ={"DEBUG": raw})


def test_it_rejects_malformed_integers():
    with pytest.raises(ConfigError, match="SECURE_HSTS_SECONDS must be a whole number"):
        env_int("SECURE_HSTS_SECONDS", 0, environ={"SECURE_HSTS_SECONDS": "1 year"})
    with pytest.raises(ConfigError, match="SECURE_HSTS_SECONDS must be at least 0"):
        env_int("SECURE_HSTS_SECONDS", 0, minimum=0, environ={"SECURE_HSTS_SECONDS": "-5"})
    assert env_int("N", 3, environ={"N": " 42 "}) == 42


@pytest.mark.parametrize(
    "raw,message",
    [
        ("example.se", "must start with one of"),
        ("ftp://example.se", "must start with one of"),
        ("https://", "has no host name"),
        ("https://example.se:notaport", "not a valid URL"),
    ],
)
def test_it_rejects_malformed_urls(raw, message):
    with pytest.raises(ConfigError, match=f"SITE_URL.*{message}|{message}.*SITE_URL"):
        env_url("SITE_URL", None, schemes={"http", "https"}, environ={"SITE_URL": raw})


def test_it_reads_lists():
    environ = {"ALLOWED_EMAIL_DOMAINS": " example.se, ,kommun.se "}
    assert env_list("ALLOWED_EMAIL_DOMAINS", [], environ=environ) == ["example.se", "kommun.se"]


def test_it_reads_secrets_from_files(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cret"


def test_it_refuses_both_value_and_file(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY and SECRET_KEY_FILE are both set"):
        env_str("SECRET_KEY", environ={"SECRET_KEY": "a", "SECRET_KEY_FILE": "/x"})


def test_it_names_an_unreadable_secret_file(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY_FILE: cannot read"):
        env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_it_checks_time_zones():
    assert env_timezone("TIME_ZONE", "Europe/Stockholm", environ={}) == "Europe/Stockholm"
    with pytest.raises(ConfigError, match="TIME_ZONE must be an IANA time zone"):
        env_timezone("TIME_ZONE", "UTC", environ={"TIME_ZONE": "Europe/Stokholm"})


def test_it_parses_database_urls():
    sqlite = database_from_url("DATABASE_URL", "sqlite:///var/db.sqlite3", BASE)
    assert sqlite["NAME"] == "/srv/app/var/db.sqlite3"
    absolute = database_from_url("DATABASE_URL", "sqlite:////tmp/x.db", BASE)
    assert absolute["NAME"] == "/tmp/x.db"
    pg = database_from_url(
        "DATABASE_URL", "postgres://fs:p%40ss@db.example.se:5433/fragestund?sslmode=require", BASE
    )
    assert pg["ENGINE"] == "officehours.postgres_backend"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "fs",
        "p@ss",
        "db.example.se",
        "5433",
    )
    assert pg["NAME"] == "fragestund"
    assert pg["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    "raw,message",
    [
        ("mysql://x/y", "must start with one of"),
        ("postgres://db.example.se/", "names no database"),
        ("postgres:///fragestund", "has no host name"),
        ("postgres://h/d?conn_max_age=forever", "conn_max_age"),
        ("postgres://h/d?prepare_threshold=soon", "prepare_threshold"),
        ("postgres://h/d?prepare_threshold=-1", "prepare_threshold"),
    ],
)
def test_it_rejects_bad_database_urls(raw, message):
    with pytest.raises(ConfigError, match=message) as info:
        database_from_url("DATABASE_URL", raw, BASE)
    assert "DATABASE_URL" in str(info.value)


def test_it_parses_email_urls():
    smtp = email_from_url("EMAIL_URL", "smtp+tls://mailer:pw%21@smtp.example.se", BASE)
    assert smtp["EMAIL_HOST"] == "smtp.example.se"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_USE_TLS"] is True
    assert smtp["EMAIL_HOST_PASSWORD"] == "pw!"
    plain = email_from_url("EMAIL_URL", "smtp://relay.example.se:2525", BASE)
    assert (plain["EMAIL_PORT"], plain["EMAIL_USE_TLS"]) == (2525, False)
    console = email_from_url("EMAIL_URL", "consolemail://", BASE)
    assert console["EMAIL_BACKEND"] == "officehours.mail_log.LoggingEmailBackend"
    memory = email_from_url("EMAIL_URL", "memorymail://", BASE)
    assert memory["EMAIL_BACKEND"].endswith("locmem.EmailBackend")
    relative = email_from_url("EMAIL_URL", "filemail://var/mail", BASE)
    assert relative["EMAIL_FILE_PATH"] == "/srv/app/var/mail"
    absolute = email_from_url("EMAIL_URL", "filemail:///srv/mail", BASE)
    assert absolute["EMAIL_FILE_PATH"] == "/srv/mail"


@pytest.mark.parametrize("raw", ["sendmail://x", "smtp://", "filemail://", "smtp://h?timeout=soon"])
def test_it_rejects_bad_email_urls(raw):
    with pytest.raises(ConfigError, match="EMAIL_URL"):
        email_from_url("EMAIL_URL", raw, BASE)


ROOT = Path(__file__).resolve().parent.parent


def _run_check(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    """Starts Django in a fresh process with exactly these variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "officehours.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "pQ9!xZ2@mN5#vB8$cR1%tY4^wE7&uI0*oP3(aS6)dF",
    "SITE_URL": "https://fragestund.example.se",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.se",
    "DEFAULT_FROM_EMAIL": "Frågestund <fragestund@example.se>",
    "ALLOWED_EMAIL_DOMAINS": "example.se",
}


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is required when DEBUG is off"),
        ({"SITE_URL": ""}, "SITE_URL is required when DEBUG is off"),
        ({"SITE_URL": "fragestund.example.se"}, "SITE_URL must start with one of"),
        ({"EMAIL_URL": ""}, "EMAIL_URL is required when DEBUG is off"),
        ({"DATABASE_URL": "oracle://db/x"}, "DATABASE_URL must start with one of"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must start with one of"),
        ({"SECURE_HSTS_SECONDS": "lots"}, "SECURE_HSTS_SECONDS must be a whole number"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA time zone"),
        ({"LANGUAGE_CODE": "de"}, "LANGUAGE_CODE must be one of"),
        ({"OIDC_SERVER_URL": "https://login.example.se"}, "OIDC_SERVER_URL and OIDC_CLIENT_ID"),
    ],
)
def test_it_stops_start_up_on_bad_configuration(overrides, message):
    result = _run_check({**PRODUCTION, **overrides})
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_in_production():
    result = _run_check(PRODUCTION, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "officehours" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read - listed == set(), "add these to .env.example"


def test_it_reads_postgres_connection_options():
    pg = database_from_url("DATABASE_URL", "postgres://h/d", BASE)
    assert (pg["CONN_MAX_AGE"], pg["CONN_HEALTH_CHECKS"]) == (60, True)
    closed = database_from_url("DATABASE_URL", "postgres://h/d?conn_max_age=0", BASE)
    assert (closed["CONN_MAX_AGE"], closed["CONN_HEALTH_CHECKS"]) == (0, False)
    bound = database_from_url("DATABASE_URL", "postgres://h/d?server_side_binding=true", BASE)
    assert bound["OPTIONS"] == {"server_side_binding": True}
    assert "prepare_threshold" not in pg["OPTIONS"]  # psycopg's own default
    never = database_from_url("DATABASE_URL", "postgres://h/d?prepare_threshold=none", BASE)
    assert never["OPTIONS"]["prepare_threshold"] is None
    at_once = database_from_url("DATABASE_URL", "postgres://h/d?prepare_threshold=0", BASE)
    assert at_once["OPTIONS"]["prepare_threshold"] == 0
    with pytest.raises(ConfigError, match="server_side_binding"):
        database_from_url("DATABASE_URL", "postgres://h/d?server_side_binding=maybe", BASE)


def test_it_prepares_nothing_and_opens_no_cursors_behind_pgbouncer():
    # PgBouncer in transaction mode (1.18 on Debian 12) hands each transaction to any server
    # connection: a statement prepared, or a named cursor opened, on one is missing on the next.
    pooled = database_from_url(
        "DATABASE_URL", "postgres://h/d?prepare_threshold=5", BASE, transaction_pooler=True
    )
    assert pooled["OPTIONS"]["prepare_threshold"] is None
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    direct = database_from_url("DATABASE_URL", "postgres://h/d", BASE)
    assert "prepare_threshold" not in direct["OPTIONS"]
    assert direct.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
    with pytest.raises(ConfigError, match="DATABASE_POOLER"):
        database_from_url("DATABASE_URL", "sqlite:///x.db", BASE, transaction_pooler=True)


def _database_settings(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "officehours.settings", **env_overrides})
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['OPTIONS'].get('prepare_threshold', 'unset'),"
        " d.get('DISABLE_SERVER_SIDE_CURSORS', False))"
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_settings_follow_database_pooler():
    url = {**PRODUCTION, "DATABASE_URL": "postgres://fs@127.0.0.1:56432/fragestund"}
    pooled = _database_settings({**url, "DATABASE_POOLER": "pgbouncer"})
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.split() == ["None", "True"]
    direct = _database_settings(url)
    assert direct.returncode == 0, direct.stderr
    assert direct.stdout.split() == ["unset", "False"]
    wrong = _database_settings({**url, "DATABASE_POOLER": "pgpool"})
    assert wrong.returncode != 0
    assert "DATABASE_POOLER must be one of" in wrong.stderr
