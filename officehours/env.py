"""Strict readers for configuration from the environment.

Every reader names the variable in its error, so a typo stops start-up with a
message that says what to fix instead of a surprise later. An empty value
counts as unset (``REDIS_URL=`` in an env file means "no Redis"). Any
variable can instead be read from a file named by ``NAME_FILE`` (Docker and
systemd credentials), with surrounding whitespace removed.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any, overload
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


class ConfigError(ImproperlyConfigured):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@overload
def env_str(name: str, default: str, environ: Mapping[str, str] = ...) -> str: ...
@overload
def env_str(
    name: str, default: str | None = None, environ: Mapping[str, str] = ...
) -> str | None: ...
def env_str(
    name: str, default: str | None = None, environ: Mapping[str, str] = os.environ
) -> str | None:
    value = environ.get(name) or None
    file_name = environ.get(f"{name}_FILE") or None
    if value is not None and file_name is not None:
        raise ConfigError(f"{name} and {name}_FILE are both set; set only one of them.")
    if file_name is not None:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {file_name!r}: {exc.strerror}.") from exc
    return default if value is None else value


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    value = env_str(name, environ=environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (or 1/0, yes/no, on/off), not {value!r}.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    value = env_str(name, environ=environ)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    value = env_str(name, environ=environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


@overload
def env_url(
    name: str, default: str, *, schemes: set[str], environ: Mapping[str, str] = ...
) -> str: ...
@overload
def env_url(
    name: str, default: str | None, *, schemes: set[str], environ: Mapping[str, str] = ...
) -> str | None: ...
def env_url(
    name: str, default: str | None, *, schemes: set[str], environ: Mapping[str, str] = os.environ
) -> str | None:
    value = env_str(name, environ=environ)
    if value is None:
        return default
    check_url(name, value, schemes=schemes)
    return value


def check_url(name: str, value: str, *, schemes: set[str], needs_host: bool = True) -> None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError as exc:
        raise ConfigError(f"{name} is not a valid URL ({exc}): {value!r}.") from None
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(f"{s}://" for s in schemes))
        raise ConfigError(f"{name} must start with one of {allowed}, not {value!r}.")
    if needs_host and not parts.hostname:
        raise ConfigError(f"{name} has no host name: {value!r}.")


def env_timezone(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    value = env_str(name, default, environ=environ)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name} must be an IANA time zone such as Europe/Stockholm, not {value!r}."
        ) from None
    return value


def env_choice(
    name: str, default: str, choices: set[str], environ: Mapping[str, str] = os.environ
) -> str:
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(sorted(choices))}, not {value!r}.")
    return value


def database_from_url(
    name: str, url: str, base_dir: Path, *, transaction_pooler: bool = False
) -> dict[str, Any]:
    """``sqlite:///relative/path``, ``sqlite:////absolute/path`` or
    ``postgres://user:password@host:port/database?sslmode=require``.

    ``transaction_pooler``: the database is reached through PgBouncer in transaction
    mode (``DATABASE_POOLER=pgbouncer``)."""
    check_url(name, url, schemes={"sqlite", "postgres", "postgresql"}, needs_host=False)
    parts = urlsplit(url)
    if transaction_pooler and parts.scheme == "sqlite":
        raise ConfigError(f"DATABASE_POOLER is set but {name} is SQLite: {url!r}.")
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):
            path = path[1:]
        elif path.startswith("/"):
            path = str(base_dir / path[1:])
        if not path or path == str(base_dir / ""):
            raise ConfigError(f"{name} names no SQLite file: {url!r}.")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # Wait for a writer instead of failing at once; IMMEDIATE takes the
            # write lock at the start of a transaction so read-then-write
            # sequences cannot deadlock each other.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ConfigError(f"{name} names no database: {url!r}.")
    if not parts.hostname:
        raise ConfigError(f"{name} has no host name: {url!r}.")
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    if "server_side_binding" in options:
        # psycopg 3: bind parameters on the server, which also lets it prepare statements.
        flag = options["server_side_binding"].lower()
        if flag not in _TRUE | _FALSE:
            raise ConfigError(f"{name}: server_side_binding must be true or false.")
        options["server_side_binding"] = flag in _TRUE
    if "prepare_threshold" in options:
        options["prepare_threshold"] = _prepare_threshold(name, options["prepare_threshold"])
    # Persistent connections by default: opening one costs more than most requests.
    conn_max_age = options.pop("conn_max_age", "60")
    try:
        conn_max_age_seconds = int(conn_max_age)
    except ValueError:
        raise ConfigError(f"{name}: conn_max_age must be a whole number of seconds.") from None
    # A transaction pooler gives each transaction whichever server connection is free, so
    # nothing may outlive one: no prepared statements (PgBouncer before 1.21 does not track
    # them) and no named cursors, which Django's .iterator() would keep open across
    # transactions. Advisory locks and lock_timeout are transaction-scoped already
    # (booking/services/locking.py).
    if transaction_pooler:
        options["prepare_threshold"] = None
    return {
        "ENGINE": "officehours.postgres_backend",
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname,
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": conn_max_age_seconds,
        "CONN_HEALTH_CHECKS": conn_max_age_seconds > 0,
        "OPTIONS": options,
        "DISABLE_SERVER_SIDE_CURSORS": transaction_pooler,
    }


# psycopg prepares statements only where parameters are bound on the server
# (`server_side_binding=true`); for a pooler in transaction mode that cannot carry
# prepared statements (PgBouncer before 1.21), `prepare_threshold=none` turns that off.
def _prepare_threshold(name: str, raw: str) -> int | None:
    if raw.lower() == "none":
        return None
    try:
        threshold = int(raw)
    except ValueError:
        threshold = -1
    if threshold < 0:
        raise ConfigError(f"{name}: prepare_threshold must be a whole number >= 0 or none.")
    return threshold


def email_from_url(name: str, url: str, base_dir: Path) -> dict[str, Any]:
    """Django e-mail settings from ``smtp://``, ``smtp+tls://``, ``smtp+ssl://``,
    ``consolemail://``, ``filemail://PATH`` or ``memorymail://``."""
    check_url(
        name,
        url,
        schemes={"smtp", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail"},
        needs_host=False,
    )
    parts = urlsplit(url)
    if parts.scheme == "consolemail":
        # Logged readably (subject, addresses, text, attachments by name), not raw MIME.
        return {"EMAIL_BACKEND": "officehours.mail_log.LoggingEmailBackend"}
    if parts.scheme == "memorymail":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "filemail":
        # filemail://var/mail is relative to the project, filemail:///srv/mail absolute.
        path = unquote((parts.netloc or "") + parts.path)
        if not path:
            raise ConfigError(f"{name}: filemail:// needs a folder, e.g. filemail://var/mail.")
        folder = Path(path) if path.startswith("/") else base_dir / path
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(folder),
        }
    if not parts.hostname:
        raise ConfigError(f"{name} has no host name: {url!r}.")
    options = dict(parse_qsl(parts.query))
    timeout = options.get("timeout", "20")
    try:
        timeout_seconds = int(timeout)
    except ValueError:
        raise ConfigError(f"{name}: timeout must be a whole number of seconds.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[parts.scheme],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtp+ssl",
        "EMAIL_TIMEOUT": timeout_seconds,
    }
